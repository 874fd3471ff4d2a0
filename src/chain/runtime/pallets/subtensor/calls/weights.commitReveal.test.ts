/**
 * SubtensorModule.commit_weights (96) / reveal_weights (97), commit-reveal v1 as in classic
 * Subtensor at de1026780, through real extrinsics: windows of `WeightCommitRevealInterval` blocks
 * aligned on multiples of the interval; a commit in window k is revealed in window k + 1.
 *
 * Set-up as in weights.test.ts: subnet 1 from the genesis spec (commit-reveal on, interval 5,
 * weights rate limit 0) with //Hk0 as UID 0; //Hk1 (permit) and //Hk2 (no permit) appended in
 * block 1 through Sudo(System.set_storage).
 */
import { afterEach, describe, expect, it } from "vitest";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { blake2AsU8a } from "@polkadot/util-crypto";
import { compactToU8a, u8aConcat } from "@polkadot/util";
import { ChainHarness } from "../../../../../../test/utils/chainHarness.js";
import { devChainSpec, TAO } from "../../../../spec.js";
import { PoolError } from "../../../../txpool/txpool.js";
import { LastUpdate, WeightCommits, Weights } from "../storage.js";
import { commitHash } from "../weights/commitReveal.js";
import { installNeuron, outcomeOf, subtensorEventsOf, sudoWrite, signerBalances } from "../../../../../../test/utils/subtensor/weights.js";

const NETUID = 1;
const INTERVAL = 5;
const SALT = [1, 2, 3, 4, 5, 6, 7, 8];

let h: ChainHarness;
afterEach(async () => {
  await h?.close();
});

const specKeyring = new Keyring({ type: "sr25519", ss58Format: 42 });
const addr = (name: string): string => specKeyring.addFromUri(`//${name}`).address;
const pair = (name: string): KeyringPair => h.keyring.addFromUri(`//${name}`);

interface Keys {
  hk0: KeyringPair;
  hk1: KeyringPair;
  hk2: KeyringPair;
}

async function setup(hp: Record<string, unknown> = {}, globals: Record<string, unknown> = {}, stakes: { hk1?: bigint; hk2?: bigint } = {}): Promise<Keys> {
  const spec = await devChainSpec();
  h = await ChainHarness.create({
    ...spec,
    balances: [...spec.balances, ...signerBalances(addr, ["Hk0", "Hk1", "Hk2"])],
    subtensor: {
      ...globals,
      subnets: [
        {
          netuid: NETUID,
          owner: addr("Alice"),
          ownerHotkey: addr("Hk0"),
          hyperparameters: { weightsSetRateLimit: 0, commitRevealWeightsEnabled: true, commitRevealWeightsInterval: INTERVAL, ...hp },
        },
      ],
    },
  });
  const keys: Keys = { hk0: pair("Hk0"), hk1: pair("Hk1"), hk2: pair("Hk2") };
  await sudoWrite(h, (state, block) => {
    installNeuron(state, NETUID, { hotkey: keys.hk1.publicKey, coldkey: h.bob.publicKey, permit: true, stake: stakes.hk1 }, block);
    installNeuron(state, NETUID, { hotkey: keys.hk2.publicKey, coldkey: h.charlie.publicKey, stake: stakes.hk2 }, block);
  });
  return keys;
}

interface Reveal {
  uids: number[];
  values: number[];
  salt: number[];
  versionKey: bigint;
}
const REVEAL: Reveal = { uids: [0, 1], values: [10, 10], salt: SALT, versionKey: 0n };

const hashOf = (who: KeyringPair, r: Reveal = REVEAL, netuid = NETUID) => commitHash(who.publicKey, netuid, r.uids, r.values, r.salt, r.versionKey);
const commit = (who: KeyringPair, hash: Uint8Array, netuid = NETUID) => h.sign(who, h.encodeCall("SubtensorModule", "commit_weights", { netuid, commitHash: hash }));
const reveal = (who: KeyringPair, r: Reveal = REVEAL, netuid = NETUID) => h.sign(who, h.encodeCall("SubtensorModule", "reveal_weights", { netuid, ...r }));

const state = () => h.chain.bestState();

/** Produces empty blocks so that the next block produced is number `n`. */
async function advanceTo(n: number): Promise<void> {
  if (h.chain.best.number >= n) throw new Error(`already at block ${h.chain.best.number}`);
  while (h.chain.best.number < n - 1) await h.produce([]);
}

/** Produces block `n` with these extrinsics and returns their outcomes. */
async function runAt(n: number, ...txs: Uint8Array[]): Promise<string[]> {
  await advanceTo(n);
  const block = await h.produce(txs);
  expect(block.skipped).toEqual([]);
  expect(h.chain.best.number).toBe(n);
  return txs.map((_, i) => outcomeOf(block.events, i + 1));
}

describe("commit hash", () => {
  it("is BlakeTwo256 over SCALE(hotkey, netuid: u16, uids: Vec<u16>, values: Vec<u16>, salt: Vec<u16>, version_key: u64)", async () => {
    await devChainSpec(); // loads the crypto wasm
    const hotkey = specKeyring.addFromUri("//Hk1").publicKey;
    const le16 = (n: number) => new Uint8Array([n & 0xff, n >> 8]);
    const vecU16 = (xs: number[]) => u8aConcat(compactToU8a(xs.length), ...xs.map(le16));
    const le64 = (n: bigint) => Uint8Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));
    const preimage = u8aConcat(hotkey, le16(1), vecU16([0, 1]), vecU16([10, 10]), vecU16(SALT), le64(7n));
    expect(commitHash(hotkey, 1, [0, 1], [10, 10], SALT, 7n)).toEqual(blake2AsU8a(preimage, 256));
  });
});

describe("commit_weights / reveal_weights", () => {
  it("commit in one window, reveal in the next: the weights are set as by set_weights", async () => {
    const k = await setup();
    const hash = hashOf(k.hk1);
    const b2 = await h.produce([commit(k.hk1, hash)]);
    expect(outcomeOf(b2.events, 1)).toBe("ok");
    expect(WeightCommits.get(state(), NETUID, k.hk1.publicKey)).toEqual([hash, 2n]);
    // classic commit_weights emits no event
    expect(subtensorEventsOf(b2.events)).toEqual([]);

    // still in the commit's window [0, 5)
    expect(await runAt(4, reveal(k.hk1))).toEqual(["InvalidRevealCommitTempo"]);
    // first block of the next window [5, 10)
    await advanceTo(5);
    const b5 = await h.produce([reveal(k.hk1)]);
    expect(outcomeOf(b5.events, 1)).toBe("ok");
    expect(Weights.get(state(), NETUID, 1)).toEqual([
      [0, 65535],
      [1, 65535],
    ]);
    expect(LastUpdate.get(state(), NETUID)[1]).toBe(5n);
    expect(subtensorEventsOf(b5.events)).toEqual([["WeightsSet", [NETUID, 1]]]);
    // as in Rust, a successful reveal leaves the commit in storage
    expect(WeightCommits.get(state(), NETUID, k.hk1.publicKey)).toEqual([hash, 2n]);
  });

  it("InvalidRevealCommitTempo outside the window that follows the commit: the last block of it is fine, the next is late", async () => {
    const k = await setup();
    expect(await runAt(2, commit(k.hk0, hashOf(k.hk0, { ...REVEAL, uids: [0], values: [1] })), commit(k.hk1, hashOf(k.hk1)))).toEqual(["ok", "ok"]);
    expect(await runAt(9, reveal(k.hk1))).toEqual(["ok"]);
    expect(await runAt(10, reveal(k.hk0, { ...REVEAL, uids: [0], values: [1] }))).toEqual(["InvalidRevealCommitTempo"]);
  });

  it("WeightsCommitNotAllowed: one commit per window; from the next window a new commit replaces the old one", async () => {
    const k = await setup();
    const first = hashOf(k.hk1);
    const second = hashOf(k.hk1, { ...REVEAL, versionKey: 1n });
    expect(await runAt(2, commit(k.hk1, first))).toEqual(["ok"]);
    expect(await runAt(4, commit(k.hk1, second))).toEqual(["WeightsCommitNotAllowed"]);
    expect(WeightCommits.get(state(), NETUID, k.hk1.publicKey)).toEqual([first, 2n]);
    expect(await runAt(5, commit(k.hk1, second))).toEqual(["ok"]);
    expect(WeightCommits.get(state(), NETUID, k.hk1.publicKey)).toEqual([second, 5n]);
    // the old preimage no longer matches; the new one reveals in the window after 5
    expect(await runAt(10, reveal(k.hk1))).toEqual(["InvalidRevealCommitHashNotMatch"]);
    expect(await runAt(11, reveal(k.hk1, { ...REVEAL, versionKey: 1n }))).toEqual(["ok"]);
  });

  it("NoWeightsCommitFound: reveal without a commit", async () => {
    const k = await setup();
    expect(await runAt(2, reveal(k.hk1))).toEqual(["NoWeightsCommitFound"]);
  });

  it("InvalidRevealCommitHashNotMatch for another salt, uids, values or version key", async () => {
    const k = await setup();
    expect(await runAt(2, commit(k.hk1, hashOf(k.hk1)))).toEqual(["ok"]);
    expect(await runAt(5, reveal(k.hk1, { ...REVEAL, salt: [0, 2, 3, 4, 5, 6, 7, 8] }))).toEqual(["InvalidRevealCommitHashNotMatch"]);
    expect(await runAt(6, reveal(k.hk1, { ...REVEAL, uids: [0, 2] }))).toEqual(["InvalidRevealCommitHashNotMatch"]);
    expect(await runAt(7, reveal(k.hk1, { ...REVEAL, values: [10, 9] }))).toEqual(["InvalidRevealCommitHashNotMatch"]);
    expect(await runAt(8, reveal(k.hk1, { ...REVEAL, versionKey: 7n }))).toEqual(["InvalidRevealCommitHashNotMatch"]);
    expect(Weights.exists(state(), NETUID, 1)).toBe(false);
    expect(await runAt(9, reveal(k.hk1))).toEqual(["ok"]);
  });

  it("a reveal goes through every do_set_weights check (NeuronNoValidatorPermit, UidVecContainInvalidOne)", async () => {
    const k = await setup();
    const noPermit = { ...REVEAL, uids: [0, 2], values: [1, 1] };
    const badUid = { ...REVEAL, uids: [0, 9], values: [1, 1] };
    expect(await runAt(2, commit(k.hk2, hashOf(k.hk2, noPermit)), commit(k.hk1, hashOf(k.hk1, badUid)))).toEqual(["ok", "ok"]);
    expect(await runAt(5, reveal(k.hk2, noPermit), reveal(k.hk1, badUid))).toEqual(["NeuronNoValidatorPermit", "UidVecContainInvalidOne"]);
  });

  it("CommitRevealDisabled for commit and reveal on a subnet without commit-reveal (and on a missing subnet)", async () => {
    const k = await setup({ commitRevealWeightsEnabled: false });
    expect(await runAt(2, commit(k.hk1, hashOf(k.hk1)), reveal(k.hk2))).toEqual(["CommitRevealDisabled", "CommitRevealDisabled"]);
    expect(await runAt(3, commit(k.hk1, hashOf(k.hk1), 42))).toEqual(["CommitRevealDisabled"]);
  });

  it("an interval of 0 disables the windows: commit and reveal in consecutive blocks", async () => {
    const k = await setup({ commitRevealWeightsInterval: 0 });
    expect(await runAt(2, commit(k.hk1, hashOf(k.hk1)))).toEqual(["ok"]);
    expect(await runAt(3, reveal(k.hk1))).toEqual(["ok"]);
    expect(await runAt(4, commit(k.hk1, hashOf(k.hk1)))).toEqual(["ok"]);
  });

  it("the pool guard refuses commit and reveal from a hotkey below WeightsMinStake (InvalidTransaction::Call)", async () => {
    const k = await setup({}, { stakeThreshold: String(10n * TAO) }, { hk1: 10n * TAO, hk2: 10n * TAO - 1n });
    const refused = (tx: Uint8Array) => {
      try {
        h.pool.submit(tx);
        return "accepted";
      } catch (e) {
        return (e as PoolError).message;
      }
    };
    expect(refused(commit(k.hk2, hashOf(k.hk2)))).toBe("Invalid Transaction: Transaction call is not expected");
    expect(refused(reveal(k.hk2))).toBe("Invalid Transaction: Transaction call is not expected");
    expect(refused(commit(k.hk1, hashOf(k.hk1)))).toBe("accepted");
  });
});
