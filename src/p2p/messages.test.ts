import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { byteMutationArb, mutate } from "../../test/utils/byteMutations.js";
import {
  FIELD_BODY,
  FIELD_HEADER,
  FIELD_JUSTIFICATION,
  ROLE_AUTHORITY,
  ROLE_FULL,
  StatusCodec,
  decodeBlockAnnounce,
  decodeBlockData,
  decodeBlockRequest,
  encodeBlockAnnounce,
  encodeBlockData,
  encodeBlockRequest,
  type BlockData,
  type BlockRequest,
  type Status,
} from "./messages.js";
import { encodeBody, encodeHeader, headerHash } from "../chain/codec/block.js";
import type { Header } from "../chain/codec/types.js";
import { preDigest, sealDigest } from "../consensus/auraDigest.js";
import { encodeJustifications } from "../consensus/finality/messages.js";
import { concatBytes, toHex } from "../util/bytes.js";
import { ScaleWriter } from "../chain/codec/scale.js";

const fill = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (seed * 37 + i * 11) & 0xff);

const header = (number: number, seed = 1): Header => ({
  parentHash: fill(32, seed),
  number,
  stateRoot: fill(32, seed + 1),
  extrinsicsRoot: fill(32, seed + 2),
  digest: { logs: [preDigest(BigInt(number) * 2n), sealDigest(fill(64, seed + 3))] },
});

/** Bytes with their SCALE compact length prefix (Vec<u8>). */
const withLen = (b: Uint8Array) => {
  const w = new ScaleWriter();
  w.compact(b.length);
  w.bytes(b);
  return w.finish();
};
/** An extrinsic as stored: compact length prefix then the bytes. */
const ext = (len: number, seed: number) => withLen(fill(len, seed));
const extrinsics = [ext(0, 1), ext(10, 2), ext(70, 3), ext(300, 4)];

const hx = (x: unknown): unknown => (x instanceof Uint8Array ? toHex(x) : Array.isArray(x) ? x.map(hx) : x && typeof x === "object" ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, hx(v)])) : x);

describe("Status", () => {
  it("round-trips and has a fixed layout", () => {
    const s: Status = {
      genesisHash: fill(32, 1),
      slotDurationMs: 12_000n,
      bestNumber: 4_294_967_295,
      bestHash: fill(32, 2),
      finalizedNumber: 7,
      finalizedHash: fill(32, 3),
      role: ROLE_AUTHORITY,
    };
    const bytes = StatusCodec.encode(s as Status & Record<string, unknown>);
    expect(bytes.length).toBe(32 + 8 + 4 + 32 + 4 + 32 + 1);
    expect(hx(StatusCodec.decode(bytes))).toEqual(hx(s));
    expect(StatusCodec.decode(StatusCodec.encode({ ...s, role: ROLE_FULL } as Status & Record<string, unknown>)).role).toBe(ROLE_FULL);
    expect(() => StatusCodec.decode(bytes.subarray(1))).toThrow();
    expect(() => StatusCodec.decode(new Uint8Array([...bytes, 0]))).toThrow();
  });
});

describe("BlockRequest", () => {
  it("round-trips from a number or a hash, in both directions, with any fields", () => {
    const requests: BlockRequest[] = [
      { from: { tag: "Number", value: 0 }, direction: "Ascending", max: 128, fields: FIELD_HEADER | FIELD_BODY | FIELD_JUSTIFICATION },
      { from: { tag: "Number", value: 4_294_967_295 }, direction: "Descending", max: 1, fields: FIELD_HEADER },
      { from: { tag: "Hash", value: fill(32, 9) }, direction: "Descending", max: 4_294_967_295, fields: FIELD_HEADER | FIELD_JUSTIFICATION },
      { from: { tag: "Hash", value: fill(32, 8) }, direction: "Ascending", max: 0, fields: 0 },
    ];
    for (const r of requests) expect(hx(decodeBlockRequest(encodeBlockRequest(r)))).toEqual(hx(r));
    // from: Hash = 0, Number = 1; direction: Ascending = 0, Descending = 1
    expect(toHex(encodeBlockRequest(requests[1]))).toBe("0x01ffffffff0101000000" + "01");
    expect(encodeBlockRequest(requests[2])[0]).toBe(0);
  });

  it("refuses unknown variants, truncation and trailing bytes", () => {
    const bytes = encodeBlockRequest({ from: { tag: "Number", value: 5 }, direction: "Ascending", max: 3, fields: 1 });
    expect(() => decodeBlockRequest(new Uint8Array([2, ...bytes.subarray(1)]))).toThrow();
    const badDir = bytes.slice();
    badDir[5] = 2;
    expect(() => decodeBlockRequest(badDir)).toThrow();
    expect(() => decodeBlockRequest(bytes.subarray(0, bytes.length - 1))).toThrow();
    expect(() => decodeBlockRequest(new Uint8Array([...bytes, 0]))).toThrow();
  });
});

describe("BlockData", () => {
  const cases: Record<string, BlockData> = {
    hashOnly: { hash: fill(32, 1), header: null, body: null, justifications: null },
    header: { hash: headerHash(header(5)), header: header(5), body: null, justifications: null },
    headerAndBody: { hash: headerHash(header(6)), header: header(6), body: extrinsics, justifications: null },
    emptyBody: { hash: headerHash(header(7)), header: header(7), body: [], justifications: null },
    everything: { hash: headerHash(header(8)), header: header(8), body: extrinsics, justifications: encodeJustifications(fill(100, 5)) },
    justificationOnly: { hash: fill(32, 2), header: null, body: null, justifications: encodeJustifications(fill(3, 6)) },
  };

  for (const [name, d] of Object.entries(cases)) {
    it(`round-trips: ${name}`, () => {
      const bytes = encodeBlockData(d);
      const back = decodeBlockData(bytes);
      expect(hx(back)).toEqual(hx(d));
      expect(toHex(encodeBlockData(back))).toBe(toHex(bytes));
    });
  }

  it("keeps each extrinsic with its length prefix, as the body is stored", () => {
    const back = decodeBlockData(encodeBlockData(cases.headerAndBody));
    expect(back.body!.map((e) => e.length)).toEqual([1, 11, 72, 302]);
  });

  it("refuses trailing bytes, truncation and bad option tags", () => {
    const bytes = encodeBlockData(cases.everything);
    expect(() => decodeBlockData(new Uint8Array([...bytes, 0]))).toThrow(/trailing/);
    expect(() => decodeBlockData(bytes.subarray(0, bytes.length - 1))).toThrow();
    const badTag = encodeBlockData(cases.hashOnly);
    badTag[32] = 2;
    expect(() => decodeBlockData(badTag)).toThrow();
  });

  it("refuses a body whose bytes go on after its declared extrinsics", () => {
    // body field: Some(bytes) where bytes = Vec<extrinsic> ++ garbage
    const body = concatBytes(encodeBody(extrinsics), new Uint8Array([0xde, 0xad]));
    const bodyField = concatBytes(new Uint8Array([1]), withLen(body));
    const bytes = concatBytes(fill(32, 1), new Uint8Array([0]), bodyField, new Uint8Array([0]));
    expect(() => decodeBlockData(bytes)).toThrow();
  });
});

describe("BlockAnnounce", () => {
  it("round-trips a header with its body (flag 1, empty or not) or alone (flag 0)", () => {
    for (const exts of [extrinsics, [], [ext(0, 9)]]) {
      const a = { header: header(42), extrinsics: exts };
      const bytes = encodeBlockAnnounce(a);
      expect(toHex(bytes)).toBe(toHex(concatBytes(encodeHeader(a.header), new Uint8Array([1]), encodeBody(exts))));
      expect(hx(decodeBlockAnnounce(bytes))).toEqual(hx(a));
    }
    const headerOnly = { header: header(43), extrinsics: null };
    const bytes = encodeBlockAnnounce(headerOnly);
    expect(toHex(bytes)).toBe(toHex(concatBytes(encodeHeader(headerOnly.header), new Uint8Array([0]))));
    expect(hx(decodeBlockAnnounce(bytes))).toEqual(hx(headerOnly));
  });

  it("refuses trailing garbage, a truncated body, a missing flag and an unknown flag", () => {
    const a = { header: header(42), extrinsics };
    const bytes = encodeBlockAnnounce(a);
    expect(() => decodeBlockAnnounce(new Uint8Array([...bytes, 0]))).toThrow(/trailing/);
    expect(() => decodeBlockAnnounce(new Uint8Array([...bytes, 1, 2, 3]))).toThrow(/trailing/);
    expect(() => decodeBlockAnnounce(bytes.subarray(0, bytes.length - 1))).toThrow();
    expect(() => decodeBlockAnnounce(encodeHeader(a.header))).toThrow();
    expect(() => decodeBlockAnnounce(new Uint8Array([...encodeHeader(a.header), 2]))).toThrow(/flag/);
    expect(() => decodeBlockAnnounce(new Uint8Array([...encodeHeader(a.header), 0, 0]))).toThrow(/trailing/);
    // the body says 4 extrinsics: one fewer declared leaves the last one as garbage
    const fewer = bytes.slice();
    const bodyStart = encodeHeader(a.header).length + 1;
    fewer[bodyStart] = 3 << 2;
    expect(() => decodeBlockAnnounce(fewer)).toThrow(/trailing/);
  });
});

// ------------------------------------------------------------------ fuzz

const decoders: Record<string, { decode: (b: Uint8Array) => unknown; encode: (v: never) => Uint8Array; seeds: Uint8Array[] }> = {
  status: {
    decode: (b) => StatusCodec.decode(b),
    encode: (v) => StatusCodec.encode(v),
    seeds: [StatusCodec.encode({ genesisHash: fill(32, 1), slotDurationMs: 6000n, bestNumber: 9, bestHash: fill(32, 2), finalizedNumber: 3, finalizedHash: fill(32, 3), role: 1 })],
  },
  blockRequest: {
    decode: decodeBlockRequest,
    encode: (v) => encodeBlockRequest(v),
    seeds: [
      encodeBlockRequest({ from: { tag: "Number", value: 77 }, direction: "Ascending", max: 64, fields: 19 }),
      encodeBlockRequest({ from: { tag: "Hash", value: fill(32, 4) }, direction: "Descending", max: 1, fields: 1 }),
    ],
  },
  blockData: {
    decode: decodeBlockData,
    encode: (v) => encodeBlockData(v),
    seeds: [
      encodeBlockData({ hash: fill(32, 1), header: header(3), body: extrinsics, justifications: encodeJustifications(fill(10, 1)) }),
      encodeBlockData({ hash: fill(32, 1), header: null, body: [ext(2, 1)], justifications: null }),
    ],
  },
  blockAnnounce: {
    decode: decodeBlockAnnounce,
    encode: (v) => encodeBlockAnnounce(v),
    seeds: [encodeBlockAnnounce({ header: header(9), extrinsics }), encodeBlockAnnounce({ header: header(1), extrinsics: [] })],
  },
};

const mutationArb = byteMutationArb();

/** Decodes or throws an Error; when it decodes, the value re-encodes to exactly the input. */
function decodeOrThrow(name: string, bytes: Uint8Array) {
  const d = decoders[name];
  let value: unknown;
  try {
    value = d.decode(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    return;
  }
  expect(toHex(d.encode(value as never))).toBe(toHex(bytes));
}

describe("decoder fuzz: random and mutated bytes decode (canonically) or throw, and never hang", () => {
  for (const name of Object.keys(decoders)) {
    it(`${name}: random bytes`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => decodeOrThrow(name, bytes)),
        { numRuns: 1000 },
      );
    });

    it(`${name}: mutations of valid encodings`, () => {
      fc.assert(
        fc.property(fc.constantFrom(...decoders[name].seeds), fc.array(mutationArb, { minLength: 1, maxLength: 5 }), (seed, ms) => decodeOrThrow(name, mutate(seed, ms))),
        { numRuns: 2000 },
      );
    });
  }

  it("huge declared lengths are refused at once, without allocating", () => {
    // a compact length of 2^30 − 1 for the body bytes and for the extrinsic count
    const bigLen = new Uint8Array([0xfe, 0xff, 0xff, 0xff]);
    const data = concatBytes(fill(32, 1), new Uint8Array([0, 1]), bigLen);
    expect(() => decodeBlockData(data)).toThrow();
    const announce = concatBytes(encodeHeader(header(1)), bigLen, new Uint8Array([0]));
    expect(() => decodeBlockAnnounce(announce)).toThrow();
    const logs = concatBytes(encodeHeader(header(1)).subarray(0, 32 + 1 + 64), bigLen);
    expect(() => decodeBlockAnnounce(logs)).toThrow();
  });
});
