/**
 * Randomized invariant run: many blocks of random transfers, add/remove stake, become_delegate,
 * take changes, swap_hotkey and — when those calls exist in this runtime (they are written in
 * calls/subnets.ts) — registrations and network registration/dissolution, with subnets whose
 * epochs come every few blocks. After EVERY block:
 *
 *   SubtensorModule.TotalIssuance == Σ (free + reserved) + Σ Stake + Σ SubnetLocked
 *   Σ scheduled block emission == Σ paid (issuance created by emission) + Σ PendingEmission + Σ dropped
 *   TotalStake == Σ Stake == Σ TotalHotkeyStake == Σ TotalColdkeyStake (and per key)
 *
 * Emission is issued only when an epoch pays it (Subtensor's pre-dTAO coinbase): pending emission
 * is not in TotalIssuance, and what an epoch or a subnet's removal drops is never issued. Paid and
 * dropped amounts come from the EpochRun / PendingEmissionDropped events; the scheduled amount is
 * computed here from the parent state (the dev genesis' equal-split fallback: the whole block
 * emission goes to the subnets open to registration, if there is one).
 *
 * Transaction fees: pallet_balances burns them from the payer. Classic Subtensor at de1026780 did
 * not take them out of SubtensorModule.TotalIssuance (the two issuances drifted apart); from
 * July 2024 its runtime's TransactionFeeHandler does. The first block probes which of the two this
 * runtime does, and the run then holds the invariant exactly, adding the fees paid so far to the
 * right-hand side in the first case. Anything else fails the test.
 *
 * Deterministic: a seeded PRNG drives every choice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyring } from "@polkadot/keyring";
import type { KeyringPair } from "@polkadot/keyring/types";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import type { CallDecl } from "../../frame/pallet.js";
import { ChainHarness } from "../../../../../test/utils/chainHarness.js";
import { devChainSpec, TAO } from "../../../spec.js";
import type { StorageAccess } from "../../../state/types.js";
import { blockEmission } from "../../../../consensus/emission.js";
import { EXISTENTIAL_DEPOSIT } from "../balances.js";
import { subnetsCalls } from "./calls/subnets.js";
import { ROOT_NETUID } from "./constants.js";
import { EmissionValues, NetworkRegistrationAllowed, NetworksAdded, OwnedHotkeys, Owner, Stake, StakingHotkeys, SubnetOwner, TotalIssuance } from "./storage.js";
import { assertIssuanceInvariant, assertLedgerAddsUp, EmissionLedger, emissionOutcomeOf, eventsOf, issuanceParts, outcomeOf, prng, view, type Block } from "../../../../../test/utils/subtensor/staking.js";

const SEED = 20240702;
const BLOCKS = 250;

let h: ChainHarness;
let keyring: Keyring;
let coldkeys: KeyringPair[];
let freshHotkeys: Uint8Array[];

beforeAll(async () => {
  await cryptoWaitReady();
  keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  coldkeys = ["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"].map((n) => keyring.addFromUri(`//${n}`));
  freshHotkeys = Array.from({ length: 80 }, (_, i) => keyring.addFromUri(`//Hot//${i}`).publicKey);
  const hot = (n: string) => keyring.addFromUri(`//${n}//hot`).address;
  const hp = (tempo: number) => ({ tempo, maxAllowedUids: 6, maxAllowedValidators: 4, immunityPeriod: 3, maxRegistrationsPerBlock: 4, targetRegistrationsPerInterval: 20, burn: (TAO / 2n).toString() });
  const spec = await devChainSpec();
  spec.subtensor = {
    txRateLimit: 2,
    txDelegateTakeRateLimit: 3,
    stakeInterval: 3,
    targetStakesPerInterval: 2,
    nominatorMinRequiredStake: TAO.toString(),
    networkRateLimit: 0,
    networkMinLockCost: (10n * TAO).toString(),
    subnets: [
      { netuid: 1, owner: coldkeys[0].address, ownerHotkey: hot("Alice"), hyperparameters: hp(4) },
      { netuid: 2, owner: coldkeys[1].address, ownerHotkey: hot("Bob"), hyperparameters: hp(9) },
      { netuid: 3, owner: coldkeys[2].address, ownerHotkey: hot("Charlie"), hyperparameters: hp(17) },
    ],
  };
  h = await ChainHarness.create(spec);
});

afterAll(async () => {
  await h?.close();
});

/** Transaction fees paid in a block (TransactionFeePaid). */
function feesOf(block: Block): bigint {
  let total = 0n;
  for (const [name, v] of eventsOf(block, "TransactionPayment")) if (name === "TransactionFeePaid") total += (v as { actualFee: bigint }).actualFee;
  return total;
}

/**
 * The emission block `height` schedules on top of `parent`: with no root weights (EmissionValues
 * all 0) and the fallback on, the whole block emission, split among the subnets open to
 * registration; nothing when there is none.
 */
function scheduledOn(parent: StorageAccess, height: number): bigint {
  const netuids = NetworksAdded.entries(parent).map((e) => e.keys[0]);
  expect(netuids.every((n) => EmissionValues.get(parent, n) === 0n)).toBe(true);
  const receiving = netuids.filter((n) => n !== ROOT_NETUID && NetworkRegistrationAllowed.get(parent, n));
  return receiving.length ? blockEmission(BigInt(height)) : 0n;
}

/** Dust burned by reaping accounts in a block (DustLost): no issuance but the Balances one sees it. */
function dustOf(block: Block): bigint {
  let total = 0n;
  for (const [name, v] of eventsOf(block, "Balances")) if (name === "DustLost") total += (v as { amount: bigint }).amount;
  return total;
}

describe("issuance invariant", () => {
  it(`holds after every one of ${BLOCKS} random blocks (seed ${SEED})`, async () => {
    const rng = prng(SEED);
    const subnet = (name: string): CallDecl | undefined => subnetsCalls.find((c) => c.name === name);
    const optional = ["burned_register", "register_network", "root_register", "dissolve_network"].filter((n) => subnet(n));

    // Probe: one transfer. Fees leave SubtensorModule.TotalIssuance (TransactionFeeHandler); the
    // block's emission does not enter it (it waits in PendingEmission until an epoch pays it).
    const ledger = new EmissionLedger(issuanceParts(view(h)).pending);
    const sti0 = TotalIssuance.get(h.chain.bestState());
    const probeScheduled = scheduledOn(view(h), h.chain.best.number + 1);
    const probe = await h.produce([h.transfer(coldkeys[3], coldkeys[4].publicKey, TAO)]);
    const probeFee = feesOf(probe);
    expect(probeFee).toBeGreaterThan(0n);
    const drop = sti0 + emissionOutcomeOf(probe).paid - TotalIssuance.get(h.chain.bestState());
    expect(drop).toBe(probeFee);
    const feesLeaveSubtensorIssuance = true;
    let offChain = dustOf(probe) + (feesLeaveSubtensorIssuance ? 0n : probeFee);
    assertIssuanceInvariant(view(h), "after the probe block", offChain);
    ledger.record(probe, probeScheduled);
    ledger.assertHolds(view(h), "after the probe block");

    const tally = new Map<string, { ok: number; failed: number; refused: number; future: number }>();
    let fresh = 0;
    const nextFresh = () => freshHotkeys[fresh++ % freshHotkeys.length];

    for (let n = 1; n <= BLOCKS; n++) {
      const state = view(h);
      const owners = Owner.entries(state).map((e) => ({ hotkey: e.keys[0], coldkey: e.value }));
      const netuids = NetworksAdded.entries(state).filter((e) => e.value).map((e) => e.keys[0]);
      const anyHotkey = () => (rng.chance(0.85) && owners.length ? rng.pick(owners).hotkey : nextFresh());
      const nonces = new Map<string, number>();
      const xts: Uint8Array[] = [];
      const names: string[] = [];
      const signers: string[] = [];
      const send = (who: KeyringPair, pallet: string, name: string, args: Record<string, unknown>) => {
        const nonce = nonces.get(who.address) ?? h.nonceOf(who);
        nonces.set(who.address, nonce + 1);
        xts.push(h.sign(who, h.encodeCall(pallet, name, args), { nonce }));
        names.push(name);
        signers.push(who.address);
      };

      const ops = 1 + rng.int(5);
      for (let k = 0; k < ops; k++) {
        const who = rng.pick(coldkeys);
        const free = h.freeOf(who.publicKey);
        const kinds = ["transfer", "add_stake", "add_stake", "remove_stake", "remove_stake", "become_delegate", "take", "swap_hotkey", ...optional];
        const kind = rng.pick(kinds);
        switch (kind) {
          case "transfer": {
            // keep-alive transfers only: reaping would burn dust, which no pallet accounts for
            const to = rng.chance(0.8) ? rng.pick(coldkeys).publicKey : nextFresh();
            const max = free / 50n < 1_000n * TAO ? free / 50n : 1_000n * TAO;
            send(who, "Balances", "transfer_keep_alive", { dest: { tag: "Id", value: to }, value: EXISTENTIAL_DEPOSIT + BigInt(rng.int(Number(max))) });
            break;
          }
          case "add_stake": {
            const mine = owners.filter((o) => o.coldkey.every((b, i) => b === who.publicKey[i]));
            const hotkey = rng.chance(0.4) && mine.length ? rng.pick(mine).hotkey : anyHotkey();
            const amount = rng.chance(0.05) ? free + TAO : BigInt(rng.int(50)) * TAO + BigInt(rng.int(1_000_000_000));
            send(who, "SubtensorModule", "add_stake", { hotkey, amountStaked: amount });
            break;
          }
          case "remove_stake": {
            const staked = StakingHotkeys.get(state, who.publicKey);
            const hotkey = staked.length && rng.chance(0.85) ? rng.pick(staked) : anyHotkey();
            const current = Stake.get(state, hotkey, who.publicKey);
            const r = rng.next();
            const amount = r < 0.1 ? current + 1n : r < 0.15 ? 0n : r < 0.4 ? current : current / BigInt(2 + rng.int(5));
            send(who, "SubtensorModule", "remove_stake", { hotkey, amountUnstaked: amount });
            break;
          }
          case "become_delegate": {
            const mine = OwnedHotkeys.get(state, who.publicKey);
            send(who, "SubtensorModule", "become_delegate", { hotkey: mine.length && rng.chance(0.8) ? rng.pick(mine) : anyHotkey() });
            break;
          }
          case "take": {
            const mine = OwnedHotkeys.get(state, who.publicKey);
            const hotkey = mine.length ? rng.pick(mine) : anyHotkey();
            send(who, "SubtensorModule", rng.chance(0.5) ? "increase_take" : "decrease_take", { hotkey, take: 5_000 + rng.int(8_000) });
            break;
          }
          case "swap_hotkey": {
            const mine = OwnedHotkeys.get(state, who.publicKey);
            const hotkey = mine.length && rng.chance(0.9) ? rng.pick(mine) : anyHotkey();
            send(who, "SubtensorModule", "swap_hotkey", { hotkey, newHotkey: rng.chance(0.9) ? nextFresh() : anyHotkey() });
            break;
          }
          default: {
            // a registration-domain call: fill its arguments by name
            const decl = subnet(kind)!;
            const args: Record<string, unknown> = {};
            let known = true;
            for (const a of decl.args) {
              if (a.name === "netuid") args.netuid = netuids.length && rng.chance(0.9) ? rng.pick(netuids) : 1 + rng.int(12);
              else if (a.name === "hotkey") args.hotkey = rng.chance(0.6) ? nextFresh() : anyHotkey();
              else if (a.name === "coldkey") args.coldkey = who.publicKey;
              else known = false;
            }
            if (!known) break;
            // dissolving: mostly by the subnet's owner
            const signer = kind === "dissolve_network" && rng.chance(0.8) ? (coldkeys.find((c) => c.publicKey.every((b, i) => b === SubnetOwner.get(state, args.netuid as number)[i])) ?? who) : who;
            send(signer, "SubtensorModule", kind, args);
          }
        }
      }

      const scheduled = scheduledOn(state, h.chain.best.number + 1);
      const block = await h.produce(xts);
      // Pool-level guards may refuse some (e.g. a registration over the interval cap), and a
      // refused one makes the signer's later transactions "future": those are left out of the block.
      const included = block.extrinsics.slice(1).map((bytes) => xts.findIndex((x) => x.length === bytes.length && x.every((b, i) => b === bytes[i])));
      const refusedSigners = new Set<string>();
      for (const [i, name] of names.entries()) {
        const t = tally.get(name) ?? { ok: 0, failed: 0, refused: 0, future: 0 };
        const position = included.indexOf(i);
        if (position < 0 && refusedSigners.has(signers[i])) t.future++;
        else if (position < 0) {
          t.refused++;
          refusedSigners.add(signers[i]);
        }
        else if (outcomeOf(block, position + 1) === "ok") t.ok++;
        else t.failed++;
        tally.set(name, t);
      }
      offChain += dustOf(block) + (feesLeaveSubtensorIssuance ? 0n : feesOf(block));
      const at = `after block ${n} (${names.join(", ")})`;
      assertLedgerAddsUp(view(h), at);
      assertIssuanceInvariant(view(h), at, offChain);
      ledger.record(block, scheduled);
      ledger.assertHolds(view(h), at);
    }

    // The run must have exercised the success path of every staking call.
    const ok = (name: string) => tally.get(name)?.ok ?? 0;
    for (const name of ["transfer_keep_alive", "add_stake", "remove_stake", "become_delegate", "swap_hotkey"]) {
      expect(ok(name), `${name} never succeeded: ${JSON.stringify([...tally])}`).toBeGreaterThan(0);
    }
    expect(ok("increase_take") + ok("decrease_take")).toBeGreaterThan(0);
    // Epochs ran and paid, and some emission was dropped (epochs' floors, removed subnets)
    expect(ledger.epochs).toBeGreaterThan(5);
    expect(ledger.paid).toBeGreaterThan(0n);
    expect(ledger.dropped).toBeGreaterThan(0n);
    // Only registration-domain calls may be refused by a pool guard.
    for (const name of ["transfer_keep_alive", "add_stake", "remove_stake", "become_delegate", "increase_take", "decrease_take", "swap_hotkey"]) {
      expect(tally.get(name)?.refused ?? 0, `${name} refused`).toBe(0);
    }
    console.log(`invariants: ${BLOCKS} blocks, emission scheduled ${ledger.scheduled} paid ${ledger.paid} dropped ${ledger.dropped} in ${ledger.epochs} epochs, fees ${feesLeaveSubtensorIssuance ? "leave" : "do not leave"} SubtensorModule.TotalIssuance; calls: ${JSON.stringify(Object.fromEntries(tally))}`);
  });
});
