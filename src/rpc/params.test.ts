import { describe, expect, it } from "vitest";
import { RpcError } from "./errors.js";
import {
  any,
  array,
  blockNumber,
  bool,
  hash,
  hex,
  listOrValue,
  numberOrHex,
  oneOf,
  optional,
  parseParams,
  string,
  u32,
} from "./params.js";

/** The RpcError thrown by fn (fails the test if none). */
function rpcErrorOf(fn: () => unknown): RpcError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RpcError);
    return err as RpcError;
  }
  throw new Error("expected an RpcError");
}

describe("param validators", () => {
  it("hex parses to bytes and rejects malformed input", () => {
    expect(parseParams([hex()], ["0x0102ff"])[0]).toEqual(new Uint8Array([1, 2, 255]));
    expect(parseParams([hex()], ["0x"])[0]).toEqual(new Uint8Array());
    expect(parseParams([hex()], ["0xABcd"])[0]).toEqual(new Uint8Array([0xab, 0xcd]));
    for (const bad of ["0102", "0x123", "0xzz", "0x12g4", 12, null, ["0x00"]]) {
      const err = rpcErrorOf(() => parseParams([hex().named("data")], [bad]));
      expect(err.code).toBe(-32602);
      expect(err.message).toBe("Invalid params");
      expect(err.data).toMatch(/^param 0 'data': (expected 0x-prefixed hex string|missing)/);
    }
    expect(() => parseParams([hex({ maxBytes: 2 })], ["0x010203"])).toThrow(RpcError);
    expect(parseParams([hex({ maxBytes: 2 })], ["0x0102"])[0]).toEqual(new Uint8Array([1, 2]));
  });

  it("hash requires exactly 32 bytes", () => {
    const h = `0x${"ab".repeat(32)}`;
    expect(parseParams([hash()], [h])[0]).toEqual(new Uint8Array(32).fill(0xab));
    const err = rpcErrorOf(() => parseParams([string(), hash().named("at")], ["x", "0x1234"]));
    expect(err.data).toBe(`param 1 'at': expected 0x-prefixed hex string of 32 bytes, got string "0x1234"`);
  });

  it("u32 accepts integers within range only", () => {
    expect(parseParams([u32()], [0])).toEqual([0]);
    expect(parseParams([u32()], [4294967295])).toEqual([4294967295]);
    for (const bad of [-1, 1.5, 4294967296, "1", "0x1", true]) {
      expect(rpcErrorOf(() => parseParams([u32()], [bad])).code).toBe(-32602);
    }
  });

  it("blockNumber accepts numbers and hex within u32", () => {
    expect(parseParams([blockNumber()], [7])).toEqual([7]);
    expect(parseParams([blockNumber()], ["0x1a"])).toEqual([26]);
    expect(parseParams([blockNumber()], ["0xffffffff"])).toEqual([4294967295]);
    for (const bad of ["0x100000000", 4294967296, "12", -1, "0x"]) {
      expect(rpcErrorOf(() => parseParams([blockNumber()], [bad])).data).toMatch(/expected block number/);
    }
  });

  it("numberOrHex parses to bigint", () => {
    expect(parseParams([numberOrHex()], [5])).toEqual([5n]);
    expect(parseParams([numberOrHex()], [`0x${"f".repeat(64)}`])).toEqual([2n ** 256n - 1n]);
    expect(() => parseParams([numberOrHex()], [`0x1${"0".repeat(64)}`])).toThrow(RpcError);
    expect(() => parseParams([numberOrHex()], [2 ** 60])).toThrow(RpcError); // not a safe integer
  });

  it("string, bool, oneOf, any", () => {
    expect(parseParams([string(), bool(), oneOf(["PERSISTENT", "LOCAL"]), any()], ["a", false, "LOCAL", { x: 1 }])).toEqual([
      "a",
      false,
      "LOCAL",
      { x: 1 },
    ]);
    expect(() => parseParams([string({ maxLength: 2 })], ["abc"])).toThrow(RpcError);
    expect(() => parseParams([bool()], ["true"])).toThrow(RpcError);
    expect(rpcErrorOf(() => parseParams([oneOf(["A", "B"])], ["C"])).data).toBe(
      'param 0: expected one of "A", "B", got string "C"',
    );
    // a required any() accepts null but not absence
    expect(parseParams([any()], [null])).toEqual([null]);
    expect(() => parseParams([any()], [])).toThrow(RpcError);
  });

  it("array validates every element and names its index", () => {
    expect(parseParams([array(hex())], [["0x01", "0x"]])[0]).toEqual([new Uint8Array([1]), new Uint8Array()]);
    const err = rpcErrorOf(() => parseParams([array(hex()).named("keys")], [["0x01", 5]]));
    expect(err.data).toMatch(/^param 0 'keys'\[1\]: expected 0x-prefixed hex string/);
    expect(() => parseParams([array(u32(), { maxLength: 1 })], [[1, 2]])).toThrow(RpcError);
  });

  it("listOrValue accepts one value or an array", () => {
    expect(parseParams([listOrValue(blockNumber())], [3])).toEqual([3]);
    expect(parseParams([listOrValue(blockNumber())], [[3, "0x4"]])).toEqual([[3, 4]]);
  });

  it("optional: missing or null gives undefined; present values are checked", () => {
    const specs = [hex().named("key"), optional(hash()).named("at")];
    expect(parseParams(specs, ["0x01"])).toEqual([new Uint8Array([1]), undefined]);
    expect(parseParams(specs, ["0x01", null])).toEqual([new Uint8Array([1]), undefined]);
    expect(() => parseParams(specs, ["0x01", "0x00"])).toThrow(RpcError);
    expect(specs[1].optional).toBe(true);
    expect(specs[1].name).toBe("at");
  });

  it("missing params member and null mean []; extra positional params are ignored", () => {
    expect(parseParams([], undefined)).toEqual([]);
    expect(parseParams([], null)).toEqual([]);
    expect(parseParams([optional(u32())], undefined)).toEqual([undefined]);
    expect(parseParams([u32()], [1, 2, 3])).toEqual([1]);
    const err = rpcErrorOf(() => parseParams([u32().named("n")], undefined));
    expect(err.data).toBe("param 0 'n': missing, expected u32 integer 0..=4294967295");
  });

  it("named params by name, snake_case or camelCase", () => {
    const specs = [string().named("methodName"), optional(u32()).named("at_block")];
    expect(parseParams(specs, { methodName: "x", atBlock: 3 })).toEqual(["x", 3]);
    expect(parseParams(specs, { method_name: "y" })).toEqual(["y", undefined]);
    expect(() => parseParams(specs, { other: 1 })).toThrow(RpcError);
  });

  it("params that are neither array nor object are invalid", () => {
    const err = rpcErrorOf(() => parseParams([], "nope"));
    expect(err.code).toBe(-32602);
    expect(err.data).toMatch(/params must be an array or an object/);
  });

  it("long values are truncated in messages", () => {
    const err = rpcErrorOf(() => parseParams([u32()], ["y".repeat(10_000)]));
    expect(String(err.data).length).toBeLessThan(200);
  });
});
