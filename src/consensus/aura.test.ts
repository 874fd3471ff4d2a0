import { beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { SlotClaims, headerSlot, preDigest, sealDigest, slotAt, slotAuthor, splitSeal, verifyAuraHeader, type AuraVerifierParams, type AuraVerdict } from "./aura.js";
import { auraHeaderVerifier } from "./verifiers.js";
import { headerHash } from "../chain/codec/block.js";
import type { Header } from "../chain/codec/types.js";
import { initCrypto, verifySr25519 } from "../chain/signatures/verify.js";
import { MemoryState, StateOverlay } from "../chain/state/overlay.js";
import { Authorities as AuraAuthorities } from "../chain/runtime/pallets/aura.js";
import { toHex } from "../util/bytes.js";

const SLOT_MS = 6000;
let alice: KeyringPair, bob: KeyringPair, charlie: KeyringPair;
let authorities: Uint8Array[];

beforeAll(async () => {
  await cryptoWaitReady();
  await initCrypto();
  const keyring = new Keyring({ type: "sr25519" });
  [alice, bob, charlie] = ["//Alice", "//Bob", "//Charlie"].map((s) => keyring.addFromUri(s));
  authorities = [alice, bob, charlie].map((p) => p.publicKey);
});

const parentHeader = (slot: bigint | undefined, number = 10): Header => ({
  parentHash: new Uint8Array(32).fill(1),
  number,
  stateRoot: new Uint8Array(32).fill(2),
  extrinsicsRoot: new Uint8Array(32).fill(3),
  digest: { logs: slot === undefined ? [] : [preDigest(slot)] },
});

/** A child of `parent` at `slot`, sealed by `signer` (over the hash of the unsealed header). */
function child(parent: Header, slot: bigint | undefined, signer: KeyringPair | undefined, salt = 0): Header {
  const unsealed: Header = {
    parentHash: headerHash(parent),
    number: parent.number + 1,
    stateRoot: new Uint8Array(32).fill(salt),
    extrinsicsRoot: new Uint8Array(32).fill(4),
    digest: { logs: slot === undefined ? [] : [preDigest(slot)] },
  };
  if (!signer) return unsealed;
  return { ...unsealed, digest: { logs: [...unsealed.digest.logs, sealDigest(signer.sign(headerHash(unsealed)))] } };
}

/** Slot 100's author among [alice, bob, charlie] is 100 % 3 = 1: Bob. */
const SLOT = 100n;
const params = (o: Partial<AuraVerifierParams> = {}): AuraVerifierParams => ({
  slotDurationMs: SLOT_MS,
  authorities,
  verify: verifySr25519,
  now: () => Number(SLOT) * SLOT_MS + 10,
  ...o,
});
const codeOf = (v: AuraVerdict) => (v.ok ? "OK" : v.code);

describe("slots", () => {
  it("slotAt is floor(ms / duration)", () => {
    expect(slotAt(0, SLOT_MS)).toBe(0n);
    expect(slotAt(5999, SLOT_MS)).toBe(0n);
    expect(slotAt(6000, SLOT_MS)).toBe(1n);
    expect(slotAt(1_700_000_000_123, 12_000)).toBe(141_666_666n);
  });

  it("slotAuthor goes round robin over the authorities", () => {
    const names = ["a", "b", "c"];
    expect([0n, 1n, 2n, 3n, 4n, 5n, 6n].map((s) => slotAuthor(s, names))).toEqual(["a", "b", "c", "a", "b", "c", "a"]);
    expect(slotAuthor(SLOT, names)).toBe("b");
    // u64 slots beyond Number's exact range
    expect(slotAuthor((1n << 63n) + 1n, names)).toBe(names[Number(((1n << 63n) + 1n) % 3n)]);
    expect(slotAuthor(123456789n, ["only"])).toBe("only");
  });

  it("headerSlot reads the Aura pre-runtime digest, and gives undefined when there is none or it is malformed", () => {
    expect(headerSlot(parentHeader(77n))).toBe(77n);
    expect(headerSlot(parentHeader((1n << 64n) - 1n))).toBe((1n << 64n) - 1n);
    expect(headerSlot(parentHeader(undefined))).toBeUndefined();
    const bad = parentHeader(undefined);
    bad.digest.logs.push({ tag: "PreRuntime", value: [new TextEncoder().encode("aura"), new Uint8Array(7)] });
    expect(headerSlot(bad)).toBeUndefined();
    const other = parentHeader(undefined);
    other.digest.logs.push({ tag: "PreRuntime", value: [new TextEncoder().encode("BABE"), new Uint8Array(8)] });
    expect(headerSlot(other)).toBeUndefined();
  });

  it("splitSeal removes a trailing Aura seal only", () => {
    const h = child(parentHeader(99n), SLOT, bob);
    const s = splitSeal(h)!;
    expect(s.unsealed.digest.logs).toHaveLength(1);
    expect(s.signature.length).toBe(64);
    expect(splitSeal(s.unsealed)).toBeUndefined();
    const foreign = { ...s.unsealed, digest: { logs: [...s.unsealed.digest.logs, { tag: "Seal", value: [new TextEncoder().encode("BABE"), s.signature] }] } };
    expect(splitSeal(foreign)).toBeUndefined();
  });
});

describe("verifyAuraHeader", () => {
  it("accepts a block sealed by its slot's author and returns the slot and author", () => {
    const parent = parentHeader(99n);
    const v = verifyAuraHeader(child(parent, SLOT, bob), parent, params());
    expect(v.ok).toBe(true);
    if (v.ok) {
      expect(v.slot).toBe(SLOT);
      expect(toHex(v.author)).toBe(toHex(bob.publicKey));
    }
  });

  it("accepts the first block on genesis (no parent slot) and any later slot", () => {
    const genesis = parentHeader(undefined, 0);
    expect(codeOf(verifyAuraHeader(child(genesis, SLOT, bob), genesis, params()))).toBe("OK");
    // skipped slots are fine: parent at 10, child at 100
    const parent = parentHeader(10n);
    expect(codeOf(verifyAuraHeader(child(parent, SLOT, bob), parent, params()))).toBe("OK");
  });

  it("BAD_SLOT: no Aura digest, a malformed slot, a slot not after the parent's", () => {
    const parent = parentHeader(99n);
    const none = verifyAuraHeader(child(parent, undefined, bob), parent, params());
    expect(codeOf(none)).toBe("BAD_SLOT");
    const malformed = child(parent, undefined, undefined);
    malformed.digest.logs.push({ tag: "PreRuntime", value: [new TextEncoder().encode("aura"), new Uint8Array(9)] });
    expect(codeOf(verifyAuraHeader(malformed, parent, params()))).toBe("BAD_SLOT");
    const samePar = parentHeader(SLOT);
    expect(codeOf(verifyAuraHeader(child(samePar, SLOT, bob), samePar, params()))).toBe("BAD_SLOT");
    const laterPar = parentHeader(SLOT + 3n);
    expect(codeOf(verifyAuraHeader(child(laterPar, SLOT, bob), laterPar, params()))).toBe("BAD_SLOT");
  });

  it("FUTURE_SLOT: beyond the current slot plus the drift, by the injected clock", () => {
    const parent = parentHeader(90n);
    // now is in slot 98: slot 99 is within the default one slot of drift, slot 100 is not
    const at98 = () => 98 * SLOT_MS + 5999;
    expect(codeOf(verifyAuraHeader(child(parent, 99n, alice), parent, params({ now: at98 })))).toBe("OK");
    expect(codeOf(verifyAuraHeader(child(parent, SLOT, bob), parent, params({ now: at98 })))).toBe("FUTURE_SLOT");
    // no drift tolerated: slot 99 is in the future too, slot 98 is fine
    expect(codeOf(verifyAuraHeader(child(parent, 99n, alice), parent, params({ now: at98, driftSlots: 0n })))).toBe("FUTURE_SLOT");
    expect(codeOf(verifyAuraHeader(child(parent, 98n, charlie), parent, params({ now: at98, driftSlots: 0n })))).toBe("OK");
    // a larger drift admits it
    expect(codeOf(verifyAuraHeader(child(parent, SLOT, bob), parent, params({ now: at98, driftSlots: 2n })))).toBe("OK");
    // the clock is read at verification time
    let now = 90 * SLOT_MS;
    const p = params({ now: () => now });
    const h = child(parent, SLOT, bob);
    expect(codeOf(verifyAuraHeader(h, parent, p))).toBe("FUTURE_SLOT");
    now = 99 * SLOT_MS;
    expect(codeOf(verifyAuraHeader(h, parent, p))).toBe("OK");
    // the slot is checked before the seal: an unsealed future block is a future block
    expect(codeOf(verifyAuraHeader(child(parent, SLOT + 3n, undefined), parent, params()))).toBe("FUTURE_SLOT");
    // far ahead (beyond FAR_FUTURE_SLOTS) is no clock drift: the block is invalid
    expect(codeOf(verifyAuraHeader(child(parent, SLOT + 33n, alice), parent, params()))).toBe("BAD_SLOT");
    expect(codeOf(verifyAuraHeader(child(parent, SLOT + 32n, alice), parent, params()))).toBe("FUTURE_SLOT");
  });

  it("BAD_AUTHOR: the parent state has no authorities", () => {
    const parent = parentHeader(99n);
    expect(codeOf(verifyAuraHeader(child(parent, SLOT, bob), parent, params({ authorities: [] })))).toBe("BAD_AUTHOR");
  });

  it("BAD_SEAL: unsealed, sealed by another authority, a seal over other bytes, a seal not last", () => {
    const parent = parentHeader(99n);
    expect(codeOf(verifyAuraHeader(child(parent, SLOT, undefined), parent, params()))).toBe("BAD_SEAL");
    // Alice is an authority, but slot 100 is Bob's
    expect(codeOf(verifyAuraHeader(child(parent, SLOT, alice), parent, params()))).toBe("BAD_SEAL");
    expect(codeOf(verifyAuraHeader(child(parent, SLOT, charlie), parent, params()))).toBe("BAD_SEAL");
    // Bob's signature over something else than the unsealed header's hash
    const unsealed = child(parent, SLOT, undefined);
    const wrongMsg = { ...unsealed, digest: { logs: [...unsealed.digest.logs, sealDigest(bob.sign(new Uint8Array(32)))] } };
    expect(codeOf(verifyAuraHeader(wrongMsg, parent, params()))).toBe("BAD_SEAL");
    // a valid seal moved before another digest item is no longer the seal
    const sealed = child(parent, SLOT, bob);
    const [pre, seal] = sealed.digest.logs;
    const moved = { ...sealed, digest: { logs: [pre, seal, { tag: "Other", value: new Uint8Array([1]) }] } };
    expect(codeOf(verifyAuraHeader(moved, parent, params()))).toBe("BAD_SEAL");
    // changing the header after sealing breaks the seal
    const tampered = { ...sealed, stateRoot: new Uint8Array(32).fill(9) };
    expect(codeOf(verifyAuraHeader(tampered, parent, params()))).toBe("BAD_SEAL");
    // the verifier answers with the slot author's key
    const seen: string[] = [];
    verifyAuraHeader(sealed, parent, params({ verify: (pub) => (seen.push(toHex(pub)), false) }));
    expect(seen).toEqual([toHex(bob.publicKey)]);
  });
});

describe("SlotClaims", () => {
  const h = (n: number) => new Uint8Array(32).fill(n);
  it("remembers the first block of each author in each slot and returns it when a different one comes", () => {
    const c = new SlotClaims();
    expect(c.conflict(5n, alice.publicKey, h(1))).toBeUndefined();
    c.record(5n, alice.publicKey, h(1), h(101));
    expect(c.conflict(5n, alice.publicKey, h(1))).toBeUndefined(); // the same block (re-sealed) is no equivocation
    expect(toHex(c.conflict(5n, alice.publicKey, h(2))!)).toBe(toHex(h(101)));
    // the first is kept: recording a second does not replace it
    c.record(5n, alice.publicKey, h(2), h(102));
    expect(toHex(c.conflict(5n, alice.publicKey, h(3))!)).toBe(toHex(h(101)));
    expect(c.conflict(5n, bob.publicKey, h(2))).toBeUndefined();
    expect(c.conflict(6n, alice.publicKey, h(2))).toBeUndefined();
  });

  it("is bounded: past its capacity it forgets the oldest claims first", () => {
    const c = new SlotClaims(3);
    for (const s of [1n, 2n, 3n]) c.record(s, alice.publicKey, h(Number(s)), h(Number(s)));
    expect(c.conflict(1n, alice.publicKey, h(9))).toBeDefined();
    c.record(4n, alice.publicKey, h(4), h(4)); // evicts slot 1
    expect(c.conflict(1n, alice.publicKey, h(9))).toBeUndefined();
    expect(c.conflict(2n, alice.publicKey, h(9))).toBeDefined();
    expect(c.conflict(4n, alice.publicKey, h(9))).toBeDefined();
  });
});

describe("auraHeaderVerifier (authorities from the parent state)", () => {
  const stateWith = (auth: Uint8Array[]) => {
    const s = new StateOverlay(new MemoryState());
    AuraAuthorities.put(s, auth);
    return s;
  };

  it("reads Aura.Authorities from the parent's state", () => {
    const parent = parentHeader(99n);
    const verify = auraHeaderVerifier({ slotDurationMs: SLOT_MS, now: () => Number(SLOT) * SLOT_MS });
    expect(codeOf(verify(child(parent, SLOT, bob), { header: parent }, stateWith(authorities)))).toBe("OK");
    // with [alice, bob] slot 100 is Alice's
    expect(codeOf(verify(child(parent, SLOT, bob, 1), { header: parent }, stateWith([alice.publicKey, bob.publicKey])))).toBe("BAD_SEAL");
    expect(codeOf(verify(child(parent, SLOT, alice, 2), { header: parent }, stateWith([alice.publicKey, bob.publicKey])))).toBe("OK");
    expect(codeOf(verify(child(parent, SLOT, bob, 3), { header: parent }, stateWith([])))).toBe("BAD_AUTHOR");
  });

  it("EQUIVOCATION for a second, different block of one author in one slot once the first is imported; the same block again passes", () => {
    const parent = parentHeader(99n);
    const claims = new SlotClaims();
    const verify = auraHeaderVerifier({ slotDurationMs: SLOT_MS, now: () => Number(SLOT) * SLOT_MS, claims });
    const state = stateWith(authorities);
    const first = child(parent, SLOT, bob, 10);
    const second = child(parent, SLOT, bob, 11);
    expect(codeOf(verify(first, { header: parent }, state))).toBe("OK");
    // until the first is imported, a second candidate is not held against the author
    expect(codeOf(verify(second, { header: parent }, state))).toBe("OK");
    verify.imported(headerHash(first));
    const v = verify(second, { header: parent }, state);
    expect(codeOf(v)).toBe("EQUIVOCATION");
    if (!v.ok) expect(v.reason).toContain(toHex(headerHash(first)));
    expect(codeOf(verify(first, { header: parent }, state))).toBe("OK");
    // the same block sealed again (a new randomized sr25519 signature) is no equivocation
    const resealed = { ...first, digest: { logs: [...first.digest.logs.slice(0, -1), sealDigest(bob.sign(headerHash({ ...first, digest: { logs: first.digest.logs.slice(0, -1) } })))] } };
    expect(codeOf(verify(resealed, { header: parent }, state))).toBe("OK");
    // the next slot's block by its own author is fine
    const next = child(first, SLOT + 1n, charlie);
    expect(codeOf(verify(next, { header: first }, state))).toBe("OK");
    verify.imported(headerHash(next));
    // the shared claims saw it: the same author's other block in that slot is refused
    const nextOther = child(first, SLOT + 1n, charlie, 12);
    const verify2 = auraHeaderVerifier({ slotDurationMs: SLOT_MS, now: () => Number(SLOT + 1n) * SLOT_MS, claims });
    expect(codeOf(verify2(nextOther, { header: first }, state))).toBe("EQUIVOCATION");
  });

  it("an invalid block is not recorded as a claim", () => {
    const parent = parentHeader(99n);
    const verify = auraHeaderVerifier({ slotDurationMs: SLOT_MS, now: () => Number(SLOT) * SLOT_MS });
    const state = stateWith(authorities);
    // a forged block in Bob's slot (sealed by Alice) must not block Bob's real block
    expect(codeOf(verify(child(parent, SLOT, alice, 20), { header: parent }, state))).toBe("BAD_SEAL");
    expect(codeOf(verify(child(parent, SLOT, bob, 21), { header: parent }, state))).toBe("OK");
  });
});
