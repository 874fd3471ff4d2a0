/** The export/import block file: Substrate's binary layout, round trip, and clear errors. */
import { describe, expect, it } from "vitest";
import { decodeBlockFile, encodeCount, encodeSignedBlock, BlockFileError } from "./blockFile.js";
import type { Header } from "../codec/types.js";

const header = (number: number): Header => ({
  parentHash: new Uint8Array(32).fill(number),
  number,
  stateRoot: new Uint8Array(32).fill(1),
  extrinsicsRoot: new Uint8Array(32).fill(2),
  digest: { logs: [] },
});

const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe("block file", () => {
  it("round-trips blocks with and without justifications", () => {
    const justification = Uint8Array.from([4, 115, 116, 102, 110, 8, 0xaa, 0xbb]); // vec of 1: ("stfn", [aa bb])
    const a = { block: { header: header(1), extrinsics: [Uint8Array.from([8, 1, 2])] }, justifications: justification };
    const b = { block: { header: header(2), extrinsics: [] } };
    const file = concat(encodeCount(2), encodeSignedBlock(a), encodeSignedBlock(b));
    const out = decodeBlockFile(file);
    expect(out).toHaveLength(2);
    expect(out[0].block.header.number).toBe(1);
    expect([...out[0].block.extrinsics[0]]).toEqual([8, 1, 2]);
    expect([...out[0].justifications!]).toEqual([...justification]);
    expect(out[1].justifications).toBeUndefined();
  });

  it("names the block that does not decode, and refuses trailing bytes", () => {
    const good = encodeSignedBlock({ block: { header: header(1), extrinsics: [] } });
    expect(() => decodeBlockFile(concat(encodeCount(2), good))).toThrow(/block 1 of the file does not decode/);
    expect(() => decodeBlockFile(concat(encodeCount(1), good, Uint8Array.from([0])))).toThrow(BlockFileError);
    expect(() => decodeBlockFile(Uint8Array.from([1, 2]))).toThrow(/not a block file/);
  });
});
