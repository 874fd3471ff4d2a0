/**
 * Codec checks: our encodings against known Substrate vectors and against @polkadot/types as the
 * client decodes them (header, digest, extrinsic v4 signed/unsigned, MultiSignature, eras).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, beforeAll } from "vitest";
import { TypeRegistry, Metadata } from "@polkadot/types";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { u8aToHex, hexToU8a } from "@polkadot/util";
import { decodeHeader, encodeHeader, headerHash, headerToJson, encodeBlock, decodeBlock } from "./block.js";
import { DigestItem, Era, eraBirth, mortalEra, type Header } from "./types.js";
import { decodeExtrinsic, encodeAdditional, encodeExtra, encodeSignedExtrinsic, encodeUnsignedExtrinsic, signingMessage } from "./extrinsic.js";
import { ScaleDecodeError } from "./reader.js";
import { compact, u32, u64, u128, str, vec, option, bytes, Codec, ScaleWriter, type ScaleReader, type TypeInfo } from "./scale.js";
import { createRuntime } from "../runtime/index.js";
import { buildMetadata } from "../runtime/metadata.js";
import { runtimeApiDecls } from "../runtime/api/index.js";

const vectorsDir = join(__dirname, "../../../test/fixtures/trie-vectors");

function headerFromJson(j: { parentHash: string; number: string | number; stateRoot: string; extrinsicsRoot: string; digest: { logs: string[] } }): Header {
  return {
    parentHash: hexToU8a(j.parentHash),
    number: typeof j.number === "number" ? j.number : parseInt(j.number, 16),
    stateRoot: hexToU8a(j.stateRoot),
    extrinsicsRoot: hexToU8a(j.extrinsicsRoot),
    digest: { logs: j.digest.logs.map((l) => DigestItem.decode(hexToU8a(l))) },
  };
}

describe("header", () => {
  const vectors = readdirSync(vectorsDir)
    .filter((f) => f.startsWith("sp_runtime_header") || (f.startsWith("real_block_") && JSON.parse(readFileSync(join(vectorsDir, f), "utf8")).header?.digest?.logs?.every((l: unknown) => typeof l === "string")))
    .map((f) => JSON.parse(readFileSync(join(vectorsDir, f), "utf8")));

  it("has vectors to check", () => expect(vectors.length).toBeGreaterThanOrEqual(3));

  for (const v of vectors) {
    it(`hashes ${v.name} like Substrate`, () => {
      const header = headerFromJson(v.header);
      if (v.expected_encoding) expect(u8aToHex(encodeHeader(header))).toBe(v.expected_encoding);
      expect(u8aToHex(headerHash(header))).toBe(v.expected_hash ?? v.block_hash);
      const roundTrip = decodeHeader(encodeHeader(header));
      expect(u8aToHex(headerHash(roundTrip))).toBe(u8aToHex(headerHash(header)));
      expect(headerToJson(header).number).toBe("0x" + header.number.toString(16));
      expect((headerToJson(header).digest as { logs: string[] }).logs).toEqual(v.header.digest.logs);
    });
  }

  it("round-trips a block with its body", () => {
    const header = headerFromJson(vectors[0].header);
    const block = { header, extrinsics: [hexToU8a("0x280403000b406017cb7b01")] };
    const back = decodeBlock(encodeBlock(block));
    expect(u8aToHex(back.extrinsics[0])).toBe("0x280403000b406017cb7b01");
    expect(u8aToHex(headerHash(back.header))).toBe(u8aToHex(headerHash(header)));
  });
});

describe("scale primitives against @polkadot/types", () => {
  const registry = new TypeRegistry();
  it.each([
    ["Compact<u32>", compact(u32), [0, 63, 64, 16383, 16384, 1073741823, 4294967295]],
    ["Compact<u128>", compact(u128), [0n, 1n << 30n, (1n << 64n) - 1n, (1n << 128n) - 1n]],
    ["u64", u64, [0n, 1n, (1n << 64n) - 1n]],
    ["Text", str, ["", "subtensor", "ünïcødé"]],
    ["Vec<u32>", vec(u32), [[], [1, 2, 3]]],
    ["Option<u32>", option(u32), [null, 7]],
  ] as const)("%s", (type, codec, values) => {
    for (const v of values as unknown[]) {
      const ours = (codec as { encode(x: unknown): Uint8Array }).encode(v);
      expect(u8aToHex(ours)).toBe(u8aToHex(registry.createType(type as string, v as never).toU8a()));
      expect((codec as { decode(b: Uint8Array): unknown }).decode(ours)).toEqual(v);
    }
  });

  it("Bytes", () => {
    for (const v of [new Uint8Array(), new Uint8Array([1, 2, 3]), new Uint8Array(300).fill(9)]) {
      expect(u8aToHex(bytes.encode(v))).toBe(u8aToHex(registry.createType("Bytes", u8aToHex(v)).toU8a()));
      expect(bytes.decode(bytes.encode(v))).toEqual(v);
    }
  });

  it("refuses non-canonical compacts, truncated input and trailing bytes", () => {
    expect(() => compact(u32).decode(new Uint8Array([0x01, 0x00]))).toThrow(ScaleDecodeError);
    expect(() => u64.decode(new Uint8Array([1, 2, 3]))).toThrow(/unexpected end/);
    expect(() => u32.decode(new Uint8Array([1, 0, 0, 0, 9]))).toThrow(/trailing/);
    expect(() => compact(u32).decode(hexToU8a("0x070000000001"))).toThrow(/overflows|non-canonical/);
  });
});

describe("encode's shared scratch writer", () => {
  /** Encodes its value as Vec<u8> of the inner codec's own encode(): a nested top-level encode. */
  class Wrapped<T> extends Codec<T> {
    constructor(private readonly inner: Codec<T>) {
      super();
    }
    encodeTo(value: T, w: ScaleWriter): void {
      bytes.encodeTo(this.inner.encode(value), w);
    }
    decodeFrom(r: ScaleReader): T {
      return this.inner.decode(bytes.decodeFrom(r));
    }
    get info(): TypeInfo {
      return bytes.info;
    }
  }

  it("returns independent copies, also from nested, failing and very large encodes", () => {
    const a = u32.encode(1);
    const b = u32.encode(2);
    expect([...a, ...b]).toEqual([1, 0, 0, 0, 2, 0, 0, 0]);
    const nested = new Wrapped(vec(u32));
    const enc = nested.encode([7, 8]);
    expect(u8aToHex(enc)).toBe("0x24080700000008000000");
    expect(nested.decode(enc)).toEqual([7, 8]);
    // a throwing encode leaves the writer usable
    expect(() => u32.encode("x" as unknown as number)).toThrow();
    expect(u8aToHex(u64.encode(3n))).toBe("0x0300000000000000");
    const big = new Uint8Array(200_000).fill(9);
    const encBig = bytes.encode(big);
    expect(encBig.length).toBe(200_004);
    expect(u8aToHex(str.encode("ok"))).toBe("0x086f6b");
    expect(encBig[encBig.length - 1]).toBe(9);
  });
});

describe("era", () => {
  it("encodes mortal eras as polkadot-js does and computes the birth block", () => {
    const registry = new TypeRegistry();
    for (const [period, current] of [[64, 100], [128, 5], [4, 3], [65536, 1_000_000]] as const) {
      const era = mortalEra(period, current);
      const theirs = registry.createType("ExtrinsicEra", { current, period });
      expect(u8aToHex(Era.encode(era))).toBe(theirs.toHex());
      expect(eraBirth(era!, current)).toBe(Number(theirs.asMortalEra.birth(current)));
    }
    expect(u8aToHex(Era.encode(null))).toBe("0x00");
  });
});

describe("extrinsic v4", () => {
  let registry: TypeRegistry;
  const runtime = createRuntime();
  const genesisHash = new Uint8Array(32).fill(3);
  beforeAll(async () => {
    await cryptoWaitReady();
    registry = new TypeRegistry();
    const { v15 } = buildMetadata(runtime, runtimeApiDecls(runtime));
    registry.setMetadata(new Metadata(registry, v15));
  });

  it("decodes what polkadot-js signs, and verifies against the same payload", () => {
    const alice = new Keyring({ type: "sr25519" }).addFromUri("//Alice");
    const bob = new Keyring({ type: "ed25519" }).addFromUri("//Bob");
    for (const signer of [alice, bob]) {
      const tx = registry.createType("Extrinsic", { method: registry.createType("Call", { callIndex: [5, 3], args: { dest: { Id: bob.address }, value: 12345 } }) });
      tx.sign(signer, { blockHash: genesisHash, genesisHash, nonce: 7, tip: 99, runtimeVersion: { specVersion: 1, transactionVersion: 1 } as never, era: registry.createType("ExtrinsicEra", { current: 10, period: 64 }), signedExtensions: registry.signedExtensions });
      const bytes = tx.toU8a();
      const ext = decodeExtrinsic(bytes, runtime.callCodec);
      expect(ext.signed?.nonce).toBe(7);
      expect(ext.signed?.tip).toBe(99n);
      expect(ext.signed?.era).toEqual(mortalEra(64, 10));
      expect(u8aToHex(ext.hash)).toBe(tx.hash.toHex());
      expect(ext.call).toEqual({ tag: "Balances", value: { tag: "transfer_keep_alive", value: { dest: { tag: "Id", value: bob.publicKey }, value: 12345n } } });
      const msg = signingMessage(ext.callBytes, encodeExtra(ext.signed!.era, 7, 99n), encodeAdditional({ specVersion: 1, transactionVersion: 1, genesisHash, eraBlockHash: genesisHash }));
      expect(signer.verify(msg, ext.signed!.signature.value, signer.publicKey)).toBe(true);
      expect(ext.signed!.signature.tag).toBe(signer.type === "ed25519" ? "Ed25519" : "Sr25519");
      // and our encoder produces the same bytes from the parts
      const ours = encodeSignedExtrinsic(signer.publicKey, ext.signed!.signature, ext.signed!, ext.callBytes);
      expect(u8aToHex(ours)).toBe(u8aToHex(bytes));
    }
  });

  it("hashes payloads longer than 256 bytes before signing, as polkadot-js does", () => {
    const alice = new Keyring({ type: "sr25519" }).addFromUri("//Alice");
    const remark = new Uint8Array(400).fill(7);
    const tx = registry.createType("Extrinsic", { method: registry.createType("Call", { callIndex: [0, 0], args: { remark: u8aToHex(remark) } }) });
    tx.sign(alice, { blockHash: genesisHash, genesisHash, nonce: 0, runtimeVersion: { specVersion: 1, transactionVersion: 1 } as never, signedExtensions: registry.signedExtensions });
    const ext = decodeExtrinsic(tx.toU8a(), runtime.callCodec);
    const msg = signingMessage(ext.callBytes, encodeExtra(null, 0, 0n), encodeAdditional({ specVersion: 1, transactionVersion: 1, genesisHash, eraBlockHash: genesisHash }));
    expect(msg.length).toBe(32);
    expect(alice.verify(msg, ext.signed!.signature.value, alice.publicKey)).toBe(true);
  });

  it("round-trips an unsigned inherent through polkadot-js", () => {
    const bytes = encodeUnsignedExtrinsic(runtime.callCodec.encode({ tag: "Timestamp", value: { tag: "set", value: { now: 1_700_000_000_000n } } }));
    const theirs = registry.createType("Extrinsic", bytes);
    expect(theirs.isSigned).toBe(false);
    expect(theirs.method.section).toBe("timestamp");
    expect(theirs.method.args[0].toString()).toBe("1700000000000");
    expect(decodeExtrinsic(bytes, runtime.callCodec).signed).toBeNull();
  });

  it("rejects malformed extrinsics with a decode error", () => {
    const good = encodeUnsignedExtrinsic(runtime.callCodec.encode({ tag: "Timestamp", value: { tag: "set", value: { now: 1n } } }));
    expect(() => decodeExtrinsic(good.subarray(0, good.length - 1), runtime.callCodec)).toThrow(ScaleDecodeError);
    const badVersion = good.slice();
    badVersion[1] = 0x05;
    expect(() => decodeExtrinsic(badVersion, runtime.callCodec)).toThrow(/version/);
    const unknownPallet = good.slice();
    unknownPallet[2] = 99;
    expect(() => decodeExtrinsic(unknownPallet, runtime.callCodec)).toThrow(/unknown variant/);
  });
});
