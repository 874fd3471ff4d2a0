/**
 * The coinbase on a real chain (executive, LevelDB), driven only by signed extrinsics: neurons
 * registered with burned_register, stake and nominations with add_stake / become_delegate,
 * weights with set_weights, a root validator with root_register + set_root_weights. Over many
 * epochs of two subnets:
 *   - after EVERY block SubtensorModule.TotalIssuance == Σ balances + Σ stakes + Σ SubnetLocked
 *     (pending emission is not issued), the stake ledger adds up, and Σ scheduled block emission
 *     == Σ paid + Σ PendingEmission + Σ dropped;
 *   - every epoch reports EpochRun with pending == owner cut + incentive + dividends + dropped,
 *     drains PendingEmission to 0, and the owner cut lands on the owner's coldkey;
 *   - the equal-split fallback feeds both subnets until the root epoch after the first root
 *     weights, from which on the root rule alone decides (all to subnet 2 here).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { ChainHarness } from "../../../../../../test/utils/chainHarness.js";
import { devChainSpec, TAO } from "../../../../spec.js";
import { BlockEmission, EmissionValues, PendingEmission, Uids, ValidatorPermit } from "../storage.js";
import { assertIssuanceInvariant, assertLedgerAddsUp, EmissionLedger, eventsOf, outcomes, view, type Block } from "../../../../../../test/utils/subtensor/staking.js";
import { isEpochBlock } from "./schedule.js";
import { EmissionEqualSplitFallback, EmissionHalvingByIssuance } from "./config.js";

let h: ChainHarness;
let k: Record<string, KeyringPair>;
let epochsSeen = 0;
let incentivePaid = 0n;
let dividendsPaid = 0n;
// every block from 1 on schedules 1 TAO: to both subnets (fallback), later all to subnet 2 (root rule)
const ledger = new EmissionLedger();

const HOTKEYS = ["V0", "V1", "V2", "M0", "M1", "M2", "M3", "M4", "M5"];
const TEMPO: Record<number, number> = { 1: 4, 2: 6 };

beforeAll(async () => {
  const spec = await devChainSpec();
  const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  k = Object.fromEntries(["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie", ...HOTKEYS].map((n) => [n, keyring.addFromUri(`//${n}`)]));
  const hp = (tempo: number) => ({
    tempo,
    weightsSetRateLimit: 0,
    burn: TAO.toString(),
    minBurn: "1",
    maxRegistrationsPerBlock: 30,
    targetRegistrationsPerInterval: 30,
    maxAllowedValidators: 3,
    maxAllowedUids: 16,
  });
  h = await ChainHarness.create({
    ...spec,
    // hotkeys sign set_weights: they need an account
    balances: [...spec.balances, ...HOTKEYS.map((n): [string, string] => [k[n].address, (10n * TAO).toString()])],
    subtensor: {
      txRateLimit: 0,
      targetStakesPerInterval: 1000,
      rootNetwork: { tempo: 9 },
      subnets: [
        { netuid: 1, owner: k.Alice.address, hyperparameters: hp(TEMPO[1]) },
        { netuid: 2, owner: k.Bob.address, hyperparameters: hp(TEMPO[2]) },
      ],
    },
  });
});

afterAll(async () => {
  await h?.close();
});

/** Signed extrinsics of one block, with the nonces counted per signer. */
function batch() {
  const nonces = new Map<string, number>();
  const xts: Uint8Array[] = [];
  const add = (who: KeyringPair, pallet: string, call: string, args: Record<string, unknown>) => {
    const nonce = nonces.get(who.address) ?? h.nonceOf(who);
    nonces.set(who.address, nonce + 1);
    xts.push(h.sign(who, h.encodeCall(pallet, call, args), { nonce }));
  };
  const sudo = (pallet: string, call: string, args: Record<string, unknown>) => add(k.Alice, "Sudo", "sudo", { call: h.runtime.callCodec.decode(h.encodeCall(pallet, call, args)) });
  return { xts, st: (who: KeyringPair, call: string, args: Record<string, unknown>) => add(who, "SubtensorModule", call, args), sudo };
}

const epochRuns = (block: Block): Array<Record<string, bigint | number>> =>
  eventsOf(block).filter(([n]) => n === "EpochRun").map(([, v]) => v as Record<string, bigint | number>);

/** Produces a block, then checks the invariants and every EpochRun of it. */
async function produce(xts: Uint8Array[] = []): Promise<Block & { number: number }> {
  const block = await h.produce(xts);
  const number = h.chain.best.number;
  expect(block.skipped).toEqual([]);
  const s = view(h);
  assertIssuanceInvariant(s, `after block ${number}`);
  assertLedgerAddsUp(s, `after block ${number}`);
  ledger.record(block, TAO);
  ledger.assertHolds(s, `after block ${number}`);
  const runs = epochRuns(block);
  epochsSeen += runs.length;
  expect(runs.map((r) => r.netuid)).toEqual([1, 2].filter((n) => isEpochBlock(n, TEMPO[n], BigInt(number))));
  for (const r of runs) {
    incentivePaid += r.server as bigint;
    dividendsPaid += r.validator as bigint;
    expect(r.block).toBe(BigInt(number));
    expect(r.pending).toBe((r.ownerCut as bigint) + (r.server as bigint) + (r.validator as bigint) + (r.dropped as bigint));
    expect(PendingEmission.get(s, r.netuid as number)).toBe(0n);
    const owner = r.netuid === 1 ? k.Alice : k.Bob;
    const deposits = eventsOf(block, "Balances").filter(([n, v]) => n === "Deposit" && Buffer.from((v as { who: Uint8Array }).who).equals(Buffer.from(owner.publicKey)));
    if ((r.ownerCut as bigint) > 0n) expect(deposits.map(([, v]) => (v as { amount: bigint }).amount)).toContain(r.ownerCut);
  }
  return { ...block, number };
}

describe("coinbase on a running chain", () => {
  it("stores the emission options at genesis (dev default: height halving, equal-split fallback on)", () => {
    const s = h.chain.bestState();
    expect(EmissionHalvingByIssuance.get(s)).toBe(false);
    expect(EmissionEqualSplitFallback.get(s)).toBe(true);
    expect(BlockEmission.get(s)).toBe(TAO);
  });

  it("conserves every RAO over many epochs of two subnets, and the root rule takes over from the fallback", async () => {
    // block 1: 8 neurons on subnet 1, 2 on subnet 2 (V0 on both)
    const reg = batch();
    const owners: Record<string, KeyringPair> = { V0: k.Bob, V1: k.Charlie, V2: k.Dave, M0: k.Eve, M1: k.Eve, M2: k.Ferdie, M3: k.Ferdie, M4: k.Alice, M5: k.Eve };
    for (const n of ["V0", "V1", "V2", "M0", "M1", "M2", "M3", "M4"]) reg.st(owners[n], "burned_register", { netuid: 1, hotkey: k[n].publicKey });
    for (const n of ["V0", "M5"]) reg.st(owners[n], "burned_register", { netuid: 2, hotkey: k[n].publicKey });
    expect(outcomes(await produce(reg.xts))).toEqual(Array(10).fill("ok"));

    // block 2: validators' own stake; V0 opens for nomination
    const st = batch();
    st.st(k.Bob, "add_stake", { hotkey: k.V0.publicKey, amountStaked: 1000n * TAO });
    st.st(k.Charlie, "add_stake", { hotkey: k.V1.publicKey, amountStaked: 600n * TAO });
    st.st(k.Dave, "add_stake", { hotkey: k.V2.publicKey, amountStaked: 300n * TAO });
    st.st(k.Bob, "become_delegate", { hotkey: k.V0.publicKey });
    expect(outcomes(await produce(st.xts))).toEqual(Array(4).fill("ok"));

    // block 3: two nominators on V0
    const nom = batch();
    nom.st(k.Alice, "add_stake", { hotkey: k.V0.publicKey, amountStaked: 200n * TAO });
    nom.st(k.Ferdie, "add_stake", { hotkey: k.V0.publicKey, amountStaked: 50n * TAO });
    expect(outcomes(await produce(nom.xts))).toEqual(["ok", "ok"]);

    const uid = (n: string, netuid = 1) => Uids.get(h.chain.bestState(), netuid, k[n].publicKey)!;
    const miners = ["M0", "M1", "M2", "M3", "M4"].map((n) => uid(n));
    let weightsSet = 0;
    let rootSet = -1;
    for (let step = 0; h.chain.best.number < 70; step++) {
      const next = h.chain.best.number + 1;
      const b = batch();
      const permits = ValidatorPermit.get(h.chain.bestState(), 1);
      // permitted validators set (changing) weights on the miners every other block
      if (step % 2 === 0) {
        for (const [i, v] of ["V0", "V1", "V2"].entries()) {
          if (!permits[uid(v)]) continue;
          b.st(k[v], "set_weights", { netuid: 1, dests: miners, weights: miners.map((_, j) => 1 + ((j + i + step) % 5) * 1000), versionKey: 0n });
          weightsSet++;
        }
      }
      // nominators come and go
      if (step % 7 === 3) b.st(k.Alice, "add_stake", { hotkey: k.V0.publicKey, amountStaked: 3n * TAO });
      if (step % 7 === 6) b.st(k.Ferdie, "remove_stake", { hotkey: k.V0.publicKey, amountUnstaked: TAO });
      // a root validator appears and puts every root weight on subnet 2
      if (next === 25) {
        b.st(k.Dave, "root_register", { hotkey: k.V2.publicKey });
        b.sudo("AdminUtils", "sudo_set_weights_set_rate_limit", { netuid: 0, weightsSetRateLimit: 0n });
      }
      if (next === 26) b.st(k.Dave, "set_root_weights", { netuid: 0, hotkey: k.V2.publicKey, dests: [2], weights: [65535], versionKey: 0n });
      const before = view(h);
      const pending0 = [1, 2].map((n) => PendingEmission.get(before, n));
      const block = await produce(b.xts);
      expect({ block: next, outcomes: outcomes(block) }).toEqual({ block: next, outcomes: outcomes(block).map(() => "ok") });
      if (next === 26) rootSet = next;

      // what each subnet accrued in a block without its epoch
      const after = view(h);
      const accrued = [1, 2].map((n, i) => (isEpochBlock(n, TEMPO[n], BigInt(next)) ? null : PendingEmission.get(after, n) - pending0[i]));
      // root tempo 9 (epochs at 8, 18, 28, …): the first root epoch after the weights is block 28
      const expected = next < 28 ? [TAO / 2n, TAO / 2n] : [0n, TAO];
      accrued.forEach((a, i) => {
        if (a !== null) expect(a).toBe(expected[i]);
      });
    }
    expect(rootSet).toBe(26);
    expect(EmissionValues.get(h.chain.bestState(), 2)).toBe(TAO);
    expect(EmissionValues.get(h.chain.bestState(), 1)).toBe(0n);
    expect(weightsSet).toBeGreaterThan(20);
    // blocks 1…70: subnet 1 at 2, 7, …, 67; subnet 2 at 3, 10, …, 66
    expect(epochsSeen).toBe(14 + 10);
    expect(incentivePaid).toBeGreaterThan(0n); // miners earned once the validators' weights counted
    expect(dividendsPaid).toBeGreaterThan(incentivePaid);
    // 70 TAO scheduled: paid as it reached accounts, the rest pending or dropped (epochs before any stake)
    expect(ledger.scheduled).toBe(70n * TAO);
    expect(ledger.paid).toBeGreaterThan(50n * TAO);
  });
});
