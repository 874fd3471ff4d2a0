/**
 * Emission on a RUNNING chain — a dev node authoring its own blocks, or the 4-authority local
 * network with a full node (every node must then hold the same epoch outputs) — a subnet with 3
 * validators and 5 miners, set up with real signed extrinsics through the node's pool
 * (burned_register, add_stake, become_delegate, a nomination, set_weights), runs through several
 * epochs. At every epoch block E the test recomputes the epoch with the pure `runEpoch` from the
 * state at E's parent and checks that each UID — and each nominator of the delegate — received
 * EXACTLY the predicted emission, that the owner got the owner cut, that the stored per-UID vectors
 * are the predicted ones, that PendingEmission was drained to 0 (what Yuma's floors left over is
 * dropped, not carried), and that SubtensorModule.TotalIssuance rose by exactly what was paid.
 *
 * The epoch input is read here independently of the runtime's epoch driver. Waiting is driven by
 * the chain's `imported` events (no sleeps).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localChainSpec } from "../../src/chain/spec.js";
import { bytesEqual } from "../../src/util/bytes.js";
import { TestNetwork, describeHeads, waitUntil } from "./testNetwork.js";
import type { Node } from "../../src/node/node.js";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import type { EnumValue } from "../../src/chain/codec/scale.js";
import type { ImportedBlock } from "../../src/chain/blockchain/blockchain.js";
import { devChainSpec, TAO } from "../../src/chain/spec.js";
import { StateOverlay } from "../../src/chain/state/overlay.js";
import type { StorageAccess } from "../../src/chain/state/types.js";
import { Account } from "../../src/chain/runtime/pallets/system.js";
import * as S from "../../src/chain/runtime/pallets/subtensor/storage.js";
import { blockEmission, splitDelegateEmission, splitOwnerCut } from "../../src/consensus/emission.js";
import { runEpoch, type EpochInput, type EpochOutput } from "../../src/consensus/yuma/index.js";
import { ChainHarness } from "./chainHarness.js";
import { startTestNode, type TestNode } from "./testNode.js";

/** Defines the suite for one topology (the dev node, or the local network). */
export function defineEmissionSuite(topology: "dev" | "local"): void {
  const NETUID = 1;
  const TEMPO = 4; // epochs where blocks_until_next_epoch = 4 − (block + 2) % 5 is 0: blocks 2, 7, 12, …
  const EPOCHS_TO_CHECK = 4;

  let node: Pick<TestNode, "node" | "basePath" | "stop">;
  /** on the local network: the other nodes, which must agree on every epoch's outputs */
  let others: Node[] = [];
  let h: ChainHarness; // signing helpers over the node's own chain and pool (it never produces here)
  let k: Record<string, KeyringPair>;
  const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

  beforeAll(async () => {
    const spec = topology === "dev" ? await devChainSpec(250) : await localChainSpec(1000);
    const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
    const hotkeys = ["V0", "V1", "V2", "M0", "M1", "M2", "M3", "M4"];
    k = Object.fromEntries(["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie", ...hotkeys].map((n) => [n, keyring.addFromUri(`//${n}`)]));
    spec.balances = [...spec.balances, ...hotkeys.map((n): [string, string] => [k[n].address, (10n * TAO).toString()])];
    spec.subtensor = {
      txRateLimit: 0,
      targetStakesPerInterval: 1000,
      emission: { halving: "block", equalSplitFallback: true },
      subnets: [
        {
          netuid: NETUID,
          owner: k.Alice.address,
          hyperparameters: { tempo: TEMPO, weightsSetRateLimit: 0, burn: TAO.toString(), minBurn: "1", maxRegistrationsPerBlock: 20, targetRegistrationsPerInterval: 20, maxAllowedValidators: 3 },
        },
      ],
    };
    if (topology === "dev") node = await startTestNode({ spec });
    else {
      const net = await TestNetwork.create({ spec });
      for (const name of ["Alice", "Bob", "Charlie", "Dave"]) await net.start({ name, authority: `//${name}` });
      const full = await net.start({ name: "Full", authority: null });
      node = { node: full.node, basePath: full.basePath, stop: () => net.close() };
      others = net.nodes.filter((n) => n !== full).map((n) => n.node);
    }
    h = new ChainHarness({ dir: node.basePath, spec, db: node.node.db, chain: node.node.chain, pool: node.node.pool });
  });

  afterAll(async () => {
    await node?.stop();
  });

  // ------------------------------------------------------------------ waiting on the chain

  /** Resolves with the first imported block (from now on) that satisfies `pred`. */
  function nextBlock(pred: (b: ImportedBlock) => boolean = () => true): Promise<ImportedBlock> {
    return new Promise((resolve) => {
      const on = (b: ImportedBlock) => {
        if (!pred(b)) return;
        node.node.chain.off("imported", on);
        resolve(b);
      };
      node.node.chain.on("imported", on);
    });
  }

  const nonces = new Map<string, number>();
  function tx(who: KeyringPair, call: string, args: Record<string, unknown>): Uint8Array {
    const nonce = nonces.get(who.address) ?? Account.get(node.node.chain.bestState(), who.publicKey).nonce;
    nonces.set(who.address, nonce + 1);
    return h.sign(who, h.encodeCall("SubtensorModule", call, args), { nonce });
  }

  /** The outcome of each extrinsic of `block` that is one of `xts`: "ok" or the failed event. */
  function outcomesIn(block: ImportedBlock, xts: Uint8Array[]): string[] {
    const out: string[] = [];
    block.extrinsics.forEach((bytes, i) => {
      if (!xts.some((x) => hex(x) === hex(bytes))) return;
      const r = block.events.find((e) => e.phase.tag === "ApplyExtrinsic" && e.phase.value === i && e.event.tag === "System");
      const ev = r?.event.value as EnumValue;
      out.push(ev.tag === "ExtrinsicSuccess" ? "ok" : JSON.stringify(ev.value, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
    });
    return out;
  }

  /** Submits to the node's pool and waits until every one of them is in a block; all must succeed. */
  async function submitAll(xts: Uint8Array[]): Promise<void> {
    const pending = new Set(xts.map(hex));
    const outcomes: string[] = [];
    const done = new Promise<void>((resolve) => {
      const on = (b: ImportedBlock) => {
        outcomes.push(...outcomesIn(b, xts));
        for (const e of b.extrinsics) pending.delete(hex(e));
        if (pending.size === 0) {
          node.node.chain.off("imported", on);
          resolve();
        }
      };
      node.node.chain.on("imported", on);
    });
    for (const x of xts) node.node.pool.submit(x);
    await done;
    expect(outcomes).toEqual(xts.map(() => "ok"));
  }

  /**
   * On the network: every other node reaches the epoch block (same hash, so the same state root it
   * computed itself) and holds the same per-UID outputs in its own database.
   */
  async function everyNodeAgrees(epoch: ImportedBlock): Promise<void> {
    if (!others.length) return;
    const n = epoch.header.number;
    await waitUntil(() => others.every((o) => o.chain.hashAt(n) !== undefined && bytesEqual(o.chain.hashAt(n)!, epoch.hash)), 60_000, () => `every node at the epoch block #${n}: ${describeHeads([])}`);
    const outputs = (state: StorageAccess) => [S.Emission, S.Incentive, S.Dividends, S.Rank, S.Trust, S.Consensus, S.ValidatorTrust].map((item) => JSON.stringify(item.get(state, NETUID), (_, v) => (typeof v === "bigint" ? v.toString() : v)));
    const ours = outputs(stateAt(epoch.hash));
    for (const o of others) {
      expect(bytesEqual(o.chain.header(epoch.hash)!.stateRoot, epoch.header.stateRoot)).toBe(true);
      expect(outputs(new StateOverlay(o.chain.stateAt(epoch.hash)))).toEqual(ours);
    }
  }

  const isEpochBlock = (n: number) => TEMPO - ((n + NETUID + 1) % (TEMPO + 1)) === 0;
  const stateAt = (hash: Uint8Array): StorageAccess => new StateOverlay(node.node.chain.stateAt(hash));

  // ------------------------------------------------------------------ the prediction

  /** The subnet's epoch input at `state` (read here, independently of the runtime's driver). */
  function epochInputAt(state: StorageAccess, block: bigint, raoEmission: bigint): { input: EpochInput; hotkeys: Uint8Array[] } {
    const n = S.SubnetworkN.get(state, NETUID);
    const uids = Array.from({ length: n }, (_, i) => i);
    const hotkeys = uids.map((uid) => S.Keys.get(state, NETUID, uid));
    const [alphaLow, alphaHigh] = S.AlphaValues.get(state, NETUID);
    return {
      hotkeys,
      input: {
        version: "classic",
        n,
        currentBlock: block,
        raoEmission,
        stake: hotkeys.map((hk) => S.TotalHotkeyStake.get(state, hk)),
        lastUpdate: S.LastUpdate.get(state, NETUID).slice(),
        blockAtRegistration: uids.map((uid) => S.BlockAtRegistration.get(state, NETUID, uid)),
        validatorPermit: S.ValidatorPermit.get(state, NETUID).slice(),
        weights: uids.map((uid) => S.Weights.get(state, NETUID, uid)),
        bonds: uids.map((uid) => S.Bonds.get(state, NETUID, uid)),
        hyperparameters: {
          kappa: S.Kappa.get(state, NETUID),
          bondsMovingAverage: S.BondsMovingAverage.get(state, NETUID),
          bondsPenalty: S.BondsPenalty.get(state, NETUID),
          activityCutoff: BigInt(S.ActivityCutoff.get(state, NETUID)),
          maxAllowedValidators: S.MaxAllowedValidators.get(state, NETUID),
          tempo: S.Tempo.get(state, NETUID),
          lastMechanismStepBlock: S.LastMechansimStepBlock.get(state, NETUID),
          liquidAlphaEnabled: S.LiquidAlphaOn.get(state, NETUID),
          alphaLow,
          alphaHigh,
          alphaSigmoidSteepness: S.AlphaSigmoidSteepness.get(state, NETUID),
          yuma3Enabled: false,
          stakeThreshold: 0n,
          ownerUid: null,
        },
      },
    };
  }

  interface Checked {
    block: number;
    output: EpochOutput;
    /** whether the block had no extrinsic besides the timestamp, so the issuance step was checked */
    issuanceChecked: boolean;
  }

  /** Checks epoch block `b` against the prediction from its parent's state. */
  function checkEpoch(b: ImportedBlock): Checked {
    const number = b.header.number;
    const parent = stateAt(b.header.parentHash);
    const after = stateAt(b.hash);
    expect(S.Yuma3On.get(parent, NETUID)).toBe(false);

    // this block's emission (only subnet 1 receives: equal-split fallback) joins the pending amount
    const pending = S.PendingEmission.get(parent, NETUID) + blockEmission(BigInt(number));
    const { owner: ownerCut, rest } = splitOwnerCut(pending, S.SubnetOwnerCut.get(parent));
    const { input, hotkeys } = epochInputAt(parent, BigInt(number), rest);
    const out = runEpoch(input);

    // the stored vectors are the predicted ones
    expect(S.Emission.get(after, NETUID)).toEqual(out.emission);
    expect(S.Incentive.get(after, NETUID)).toEqual(out.incentive);
    expect(S.Dividends.get(after, NETUID)).toEqual(out.dividends);
    expect(S.Consensus.get(after, NETUID)).toEqual(out.consensus);
    expect(S.ValidatorTrust.get(after, NETUID)).toEqual(out.validatorTrust);
    expect(S.Rank.get(after, NETUID)).toEqual(out.rank);
    expect(S.Trust.get(after, NETUID)).toEqual(out.trust);
    expect(S.PruningScores.get(after, NETUID)).toEqual(out.pruningScores);
    expect(S.ValidatorPermit.get(after, NETUID)).toEqual(out.validatorPermit);
    expect(S.Active.get(after, NETUID)).toEqual(out.active);
    hotkeys.forEach((_, uid) => {
      if (out.validatorPermit[uid] || input.validatorPermit[uid]) expect(S.Bonds.get(after, NETUID, uid)).toEqual(out.bonds[uid]);
    });
    expect(S.LastMechansimStepBlock.get(after, NETUID)).toBe(BigInt(number));
    expect(S.BlocksSinceLastStep.get(after, NETUID)).toBe(0n);

    // each UID's emission, as stake: whole to the owner of a non-delegate; the delegate's dividends
    // split between its take and its nominators pro rata (stakes as before the payout)
    hotkeys.forEach((hk, uid) => {
      const server = out.serverEmission[uid];
      const validator = out.validatorEmission[uid];
      const gained = S.TotalHotkeyStake.get(after, hk) - S.TotalHotkeyStake.get(parent, hk);
      expect(gained).toBe(server + validator);
      if (!S.Delegates.exists(parent, hk)) {
        const owner = S.Owner.get(parent, hk);
        expect(S.Stake.get(after, hk, owner) - S.Stake.get(parent, hk, owner)).toBe(server + validator);
        return;
      }
      const stakers = S.Stake.entries(parent, hk);
      const split = splitDelegateEmission(server, validator, S.Delegates.get(parent, hk), stakers.map((e) => e.value), S.TotalHotkeyStake.get(parent, hk));
      const owner = hex(S.Owner.get(parent, hk));
      stakers.forEach(({ keys, value }, i) => {
        const expected = split.nominators[i] + (hex(keys[1]) === owner ? split.hotkey : 0n);
        expect(S.Stake.get(after, hk, keys[1]) - value).toBe(expected);
      });
    });

    // the owner cut went to the owner's free balance (the owner sends nothing in these blocks)
    const alice = k.Alice.publicKey;
    expect(Account.get(after, alice).data.free - Account.get(parent, alice).data.free).toBe(ownerCut);

    // drained to 0: the RAO Yuma's floors left over are dropped; the EpochRun event reports the amounts
    const paid = out.emission.reduce((a, x) => a + x, 0n);
    expect(S.PendingEmission.get(after, NETUID)).toBe(0n);
    // issued when paid: the owner cut and the stake payouts, nothing else (no extrinsic in this block)
    const issuanceChecked = b.extrinsics.length === 1;
    if (issuanceChecked) expect(S.TotalIssuance.get(after) - S.TotalIssuance.get(parent)).toBe(ownerCut + paid);
    const run = b.events.map((r) => r.event).find((e) => e.tag === "SubtensorModule" && (e.value as EnumValue).tag === "EpochRun");
    expect((run?.value as EnumValue).value).toEqual({
      netuid: NETUID,
      block: BigInt(number),
      pending,
      ownerCut,
      server: out.serverEmission.reduce((a, x) => a + x, 0n),
      validator: out.validatorEmission.reduce((a, x) => a + x, 0n),
      dropped: rest - paid,
    });
    return { block: number, output: out, issuanceChecked };
  }

  describe(topology === "dev" ? "emission on a running dev node" : "emission on the 4-authority local network", () => {
    it("3 validators and 5 miners set up by extrinsics receive exactly the emission runEpoch predicts, epoch after epoch", { timeout: 300_000 }, async () => {
      // neurons
      const owners: Record<string, KeyringPair> = { V0: k.Bob, V1: k.Charlie, V2: k.Dave, M0: k.Eve, M1: k.Ferdie, M2: k.Eve, M3: k.Ferdie, M4: k.Eve };
      await submitAll(Object.entries(owners).map(([hk, cold]) => tx(cold, "burned_register", { netuid: NETUID, hotkey: k[hk].publicKey })));
      // stake; V0 becomes a delegate, then Alice and Ferdie nominate it
      await submitAll([
        tx(k.Bob, "add_stake", { hotkey: k.V0.publicKey, amountStaked: 1000n * TAO }),
        tx(k.Charlie, "add_stake", { hotkey: k.V1.publicKey, amountStaked: 500n * TAO }),
        tx(k.Dave, "add_stake", { hotkey: k.V2.publicKey, amountStaked: 250n * TAO }),
        tx(k.Bob, "become_delegate", { hotkey: k.V0.publicKey }),
      ]);
      await submitAll([tx(k.Alice, "add_stake", { hotkey: k.V0.publicKey, amountStaked: 300n * TAO }), tx(k.Ferdie, "add_stake", { hotkey: k.V0.publicKey, amountStaked: 45n * TAO })]);

      // the next epoch hands the validators their permits
      const uidOf = (n: string) => S.Uids.get(node.node.chain.bestState(), NETUID, k[n].publicKey)!;
      const validators = ["V0", "V1", "V2"];
      const miners = ["M0", "M1", "M2", "M3", "M4"].map(uidOf);
      await nextBlock((b) => isEpochBlock(b.header.number));
      const permits = S.ValidatorPermit.get(node.node.chain.bestState(), NETUID);
      expect(validators.map((v) => permits[uidOf(v)])).toEqual([true, true, true]);

      // validators set weights, changing them before every checked epoch
      const setWeights = (round: number) =>
        submitAll(validators.map((v, i) => tx(k[v], "set_weights", { netuid: NETUID, dests: miners, weights: miners.map((_, j) => 100 + ((i + j + round) % 5) * 7_000), versionKey: 0n })));
      await setWeights(0);

      const checked: Checked[] = [];
      for (let round = 1; checked.length < EPOCHS_TO_CHECK; round++) {
        const epoch = await nextBlock((b) => isEpochBlock(b.header.number) && b.isBest);
        checked.push(checkEpoch(epoch));
        await everyNodeAgrees(epoch);
        await setWeights(round);
      }

      expect(checked.map((c) => c.block).every(isEpochBlock)).toBe(true);
      expect(checked.some((c) => c.issuanceChecked)).toBe(true);
      // the delegate path was exercised: V0 has its owner and two nominators, who all grew
      const best = new StateOverlay(node.node.chain.bestState());
      expect(S.Delegates.exists(best, k.V0.publicKey)).toBe(true);
      expect(S.Stake.entries(best, k.V0.publicKey).map((e) => hex(e.keys[1])).sort()).toEqual([k.Alice, k.Bob, k.Ferdie].map((p) => hex(p.publicKey)).sort());
      expect(S.Stake.get(best, k.V0.publicKey, k.Alice.publicKey)).toBeGreaterThan(300n * TAO);
      expect(S.Stake.get(best, k.V0.publicKey, k.Ferdie.publicKey)).toBeGreaterThan(45n * TAO);
      // miners are paid incentive and validators dividends in every checked epoch
      for (const c of checked) {
        expect(miners.every((uid) => c.output.serverEmission[uid] > 0n)).toBe(true);
        expect(validators.map(uidOf).every((uid) => c.output.validatorEmission[uid] > 0n)).toBe(true);
      }
    });
  });
}
