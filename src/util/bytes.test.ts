import { describe, expect, it } from "vitest";
import { bytesEqual } from "./bytes.js";

describe("bytesEqual", () => {
  it("compares short and long arrays, views and Buffers by content", () => {
    for (const n of [0, 1, 32, 64, 65, 300]) {
      const a = Uint8Array.from({ length: n }, (_, i) => (i * 31) & 0xff);
      expect(bytesEqual(a, a.slice())).toBe(true);
      expect(bytesEqual(a, Buffer.from(a))).toBe(true);
      if (n === 0) continue;
      for (const at of [0, n >> 1, n - 1]) {
        const b = a.slice();
        b[at] ^= 1;
        expect(bytesEqual(a, b)).toBe(false);
      }
      expect(bytesEqual(a, a.subarray(0, n - 1))).toBe(false);
    }
    const backing = new Uint8Array([9, 1, 2, 3, 9]);
    expect(bytesEqual(backing.subarray(1, 4), new Uint8Array([1, 2, 3]))).toBe(true);
  });
});
