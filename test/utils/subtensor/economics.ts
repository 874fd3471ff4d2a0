/**
 * The randomized economic simulation (issue 12): a real chain (executive, trie, LevelDB) driven by
 * seeded random signed extrinsics from many accounts — transfers (keep-alive and allow-death,
 * which reaps accounts and burns dust), burned registrations (replacing neurons once subnets are
 * full), add/remove stake (own hotkeys and nominations), become_delegate and take changes,
 * set_weights by registered hotkeys, swap_hotkey, subnet creation (pruning a subnet at the limit)
 * and dissolution — with epochs every few blocks. After EVERY block it checks, exactly:
 *
 *  1. SubtensorModule.TotalIssuance = Σ (free + reserved) + Σ Stake + Σ SubnetLocked, and
 *     Balances.TotalIssuance = Σ (free + reserved);
 *  2. the emission books: Σ scheduled block emission = Σ paid (owner cuts + incentive + dividends
 *     issued by epochs) + Σ PendingEmission + Σ dropped (EpochRun.dropped, PendingEmissionDropped),
 *     where the scheduled amount is computed here from the parent state (the schedule
 *     `1 TAO >> ⌊(h − 1) / 10 500 000⌋` split equally, largest remainder, among the subnets open to
 *     registration: the equal-split fallback, since no root weights are ever set);
 *  3. the issuance moves by the emission schedule minus recycled TAO exactly: ΔTotalIssuance =
 *     paid − fees (TransactionFeePaid) − dust (DustLost) − registration and hotkey-swap burns
 *     (Balances.Rescinded inside successful burned_register / swap_hotkey extrinsics);
 *  4. per subnet: an epoch drains exactly its parent PendingEmission plus this block's share, and
 *     pays it out as pending = owner cut + incentive + dividends + dropped (so payouts = drained −
 *     owner cut − dropped); a subnet without an epoch accrues exactly its share; a removed one
 *     drops exactly what it had;
 *  5. no negative balance or stake: every written balance, stake, lock and pending value is a
 *     u64 at most the total supply (a negative amount would wrap to ≥ 2^63);
 *  6. the stake maps add up: TotalStake = Σ Stake = Σ TotalHotkeyStake = Σ TotalColdkeyStake,
 *     and every TotalHotkeyStake / TotalColdkeyStake equals its key's Stake rows.
 *
 * The sums are kept incrementally from each block's state changes (every written key), so a check
 * costs O(changes) whatever the state size; every `fullCheckEvery` blocks and at the end they are
 * recomputed from the whole state through the trie and compared. Deterministic: a mulberry32 PRNG
 * seeded by `seed` drives every choice; the seed is printed.
 */
import { blake2AsU8a, encodeAddress, sr25519PairFromSeed } from "@polkadot/util-crypto";
import { sr25519Sign } from "@polkadot/wasm-crypto";
import { ChainHarness, devSecretPair } from "../chainHarness.js";
import { devChainSpec, TAO, type ChainSpec } from "../../../src/chain/spec.js";
import { encodeAdditional, encodeExtra, encodeSignedExtrinsic, signingMessage } from "../../../src/chain/codec/extrinsic.js";
import type { EnumValue } from "../../../src/chain/codec/scale.js";
import type { ImportedBlock } from "../../../src/chain/blockchain/blockchain.js";
import type { StateReader, StorageAccess } from "../../../src/chain/state/types.js";
import { StateOverlay } from "../../../src/chain/state/overlay.js";
import type { AnyStorageItem } from "../../../src/chain/runtime/frame/storage.js";
import { Account } from "../../../src/chain/runtime/pallets/system.js";
import { EXISTENTIAL_DEPOSIT, TotalIssuance as BalancesTotalIssuance } from "../../../src/chain/runtime/pallets/balances.js";
import { splitProRata } from "../../../src/consensus/emission.js";
import { computeFee } from "../../../src/chain/runtime/pallets/transactionPayment.js";
import { dispatchErrorName } from "./weights.js";
import { prng } from "./staking.js";
import { ROOT_NETUID } from "../../../src/chain/runtime/pallets/subtensor/constants.js";
import {
  EmissionValues,
  NetworkRegistrationAllowed,
  NetworksAdded,
  OwnedHotkeys,
  PendingEmission,
  Stake,
  StakingHotkeys,
  SubnetLocked,
  SubnetOwner,
  SubnetworkN,
  TotalColdkeyStake,
  TotalHotkeyStake,
  TotalIssuance,
  TotalStake,
  Uids,
  ValidatorPermit,
  Delegates,
  Keys,
  Owner,
} from "../../../src/chain/runtime/pallets/subtensor/storage.js";

/** 21 000 000 TAO: no balance, stake or amount can exceed it (a negative one would wrap to ≥ 2^63). */
const MAX_SUPPLY = 21_000_000n * TAO;
const HALVING_INTERVAL = 10_500_000n;

/** The block emission schedule, written out here rather than imported: 1 TAO >> ⌊(h − 1) / 10.5M⌋. */
const scheduleAt = (h: bigint): bigint => (h <= 0n ? 0n : TAO >> ((h - 1n) / HALVING_INTERVAL));

export interface EconomicsOptions {
  blocks: number;
  seed: number;
  /** signing coldkeys (funded at genesis) */
  coldkeys?: number;
  /** hotkeys with key pairs (funded with 1 TAO: they sign set_weights) */
  hotkeys?: number;
  /** recompute every sum from the whole state every n blocks (and at the end) */
  fullCheckEvery?: number;
  /** progress line every n blocks (0: none) */
  logEvery?: number;
  log?: (line: string) => void;
}

export interface EconomicsReport {
  blocks: number;
  seed: number;
  ms: number;
  calls: Record<string, { ok: number; failed: number; skipped: number }>;
  /** dispatch errors by call kind */
  errors: Record<string, Record<string, number>>;
  epochs: number;
  scheduled: bigint;
  paid: bigint;
  dropped: bigint;
  pending: bigint;
  fees: bigint;
  dust: bigint;
  burned: bigint;
  accounts: number;
  stakeRows: number;
  subnetsCreated: number;
  subnetsRemoved: number;
  reaped: number;
  fullChecks: number;
}

// -------------------------------------------------------------------------------------------- PRNG

/** The randomized runs' deterministic PRNG (mulberry32, shared with the staking invariants). */
const mulberry32 = prng;

// ------------------------------------------------------------------------------------ key pairs

interface Signer {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
  address: string;
  hex: string;
}

const hexOf = (b: Uint8Array): string => Buffer.from(b).toString("hex");

function signer(tag: string): Signer {
  const pair = sr25519PairFromSeed(blake2AsU8a(`economics-${tag}`, 256));
  return { ...pair, address: encodeAddress(pair.publicKey, 42), hex: hexOf(pair.publicKey) };
}

// ------------------------------------------------------------------------------ state mirror

const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, 32).toString("latin1");

class InvariantError extends Error {}

function fail(where: string, what: string, detail: Record<string, unknown> = {}): never {
  const show = JSON.stringify(detail, (_, v) => (typeof v === "bigint" ? v.toString() : v));
  throw new InvariantError(`${where}: ${what} ${show}`);
}

function checkAmount(where: string, name: string, v: bigint): void {
  if (v < 0n || v > MAX_SUPPLY) fail(where, `${name} out of range (negative or beyond the supply)`, { value: v });
}

/**
 * The terms of the invariants, kept from every block's changes: the balances, stake rows and
 * totals, locks and pending emission, with their sums.
 */
class Mirror {
  readonly balances = new Map<string, bigint>();
  readonly balanceInfo = new Map<string, { free: bigint; reserved: bigint; frozen: bigint }>();
  readonly stake = new Map<string, bigint>(); // hot‖cold
  readonly hotTotals = new Map<string, bigint>();
  readonly coldTotals = new Map<string, bigint>();
  readonly rowsByHot = new Map<string, bigint>();
  readonly rowsByCold = new Map<string, bigint>();
  readonly locked = new Map<number, bigint>();
  readonly pending = new Map<number, bigint>();
  readonly emissionValues = new Map<number, bigint>();
  /** hotkeys with an Owner (hex → key) */
  readonly owners = new Map<string, Uint8Array>();
  /** Keys: netuid → uid → hotkey hex */
  readonly keys = new Map<number, Map<number, string>>();
  readonly delegates = new Map<string, Uint8Array>();
  /** NetworksAdded: netuid → value */
  readonly networks = new Map<number, boolean>();
  sumBalances = 0n;
  sumStake = 0n;
  sumHot = 0n;
  sumCold = 0n;
  sumLocked = 0n;
  sumPending = 0n;
  totalStake = 0n;
  totalIssuance = 0n;
  balancesIssuance = 0n;
  private readonly handlers = new Map<string, (key: Uint8Array, value: Uint8Array | null, where: string) => void>();
  private touchedHot = new Set<string>();
  private touchedCold = new Set<string>();

  constructor() {
    const on = (item: AnyStorageItem, h: (keys: unknown[], value: unknown, where: string) => void) =>
      this.handlers.set(latin1(item.prefix), (key, raw, where) => h(item.decodeKey(key), raw === null ? null : item.value.decode(raw), where));
    const add = <K>(m: Map<K, bigint>, k: K, v: bigint | null): bigint => {
      const old = m.get(k) ?? 0n;
      if (v === null) m.delete(k);
      else m.set(k, v);
      return (v ?? 0n) - old;
    };
    on(Account, ([who], v, where) => {
      const k = hexOf(who as Uint8Array);
      const info = v as { data: { free: bigint; reserved: bigint; frozen: bigint } } | null;
      if (info) {
        checkAmount(where, `free balance of ${k}`, info.data.free);
        checkAmount(where, `reserved balance of ${k}`, info.data.reserved);
        checkAmount(where, `frozen balance of ${k}`, info.data.frozen);
        this.balanceInfo.set(k, info.data);
      } else this.balanceInfo.delete(k);
      this.sumBalances += add(this.balances, k, info ? info.data.free + info.data.reserved : null);
    });
    on(Stake, ([hot, cold], v, where) => {
      const h = hexOf(hot as Uint8Array);
      const c = hexOf(cold as Uint8Array);
      if (v !== null) checkAmount(where, `Stake[${h}][${c}]`, v as bigint);
      const d = add(this.stake, `${h}${c}`, v as bigint | null);
      this.sumStake += d;
      this.rowsByHot.set(h, (this.rowsByHot.get(h) ?? 0n) + d);
      this.rowsByCold.set(c, (this.rowsByCold.get(c) ?? 0n) + d);
      this.touchedHot.add(h);
      this.touchedCold.add(c);
    });
    on(TotalHotkeyStake, ([hot], v, where) => {
      const h = hexOf(hot as Uint8Array);
      if (v !== null) checkAmount(where, `TotalHotkeyStake[${h}]`, v as bigint);
      this.sumHot += add(this.hotTotals, h, v as bigint | null);
      this.touchedHot.add(h);
    });
    on(TotalColdkeyStake, ([cold], v, where) => {
      const c = hexOf(cold as Uint8Array);
      if (v !== null) checkAmount(where, `TotalColdkeyStake[${c}]`, v as bigint);
      this.sumCold += add(this.coldTotals, c, v as bigint | null);
      this.touchedCold.add(c);
    });
    on(SubnetLocked, ([netuid], v, where) => {
      if (v !== null) checkAmount(where, `SubnetLocked[${netuid}]`, v as bigint);
      this.sumLocked += add(this.locked, netuid as number, v as bigint | null);
    });
    on(PendingEmission, ([netuid], v, where) => {
      if (v !== null) checkAmount(where, `PendingEmission[${netuid}]`, v as bigint);
      this.sumPending += add(this.pending, netuid as number, v as bigint | null);
    });
    on(EmissionValues, ([netuid], v) => void add(this.emissionValues, netuid as number, v as bigint | null));
    on(Owner, ([hot], v) => {
      const k = hexOf(hot as Uint8Array);
      if (v === null) this.owners.delete(k);
      else this.owners.set(k, hot as Uint8Array);
    });
    on(Delegates, ([hot], v) => {
      const k = hexOf(hot as Uint8Array);
      if (v === null) this.delegates.delete(k);
      else this.delegates.set(k, hot as Uint8Array);
    });
    on(Keys, ([netuid, uid], v) => {
      let m = this.keys.get(netuid as number);
      if (!m) this.keys.set(netuid as number, (m = new Map()));
      if (v === null) m.delete(uid as number);
      else m.set(uid as number, hexOf(v as Uint8Array));
    });
    on(NetworksAdded, ([netuid], v) => {
      if (v === null) this.networks.delete(netuid as number);
      else this.networks.set(netuid as number, v as boolean);
    });
    on(TotalStake, (_, v, where) => {
      this.totalStake = (v as bigint | null) ?? 0n;
      checkAmount(where, "TotalStake", this.totalStake);
    });
    on(TotalIssuance, (_, v, where) => {
      this.totalIssuance = (v as bigint | null) ?? 0n;
      checkAmount(where, "SubtensorModule.TotalIssuance", this.totalIssuance);
    });
    on(BalancesTotalIssuance, (_, v, where) => {
      this.balancesIssuance = (v as bigint | null) ?? 0n;
      checkAmount(where, "Balances.TotalIssuance", this.balancesIssuance);
    });
  }

  /** Loads every tracked item of a whole state (the first time, and to cross-check). */
  static fromState(state: StorageAccess): Mirror {
    const m = new Mirror();
    for (const prefix of m.handlers.keys()) {
      const p = Buffer.from(prefix, "latin1");
      for (const key of state.keys(new Uint8Array(p))) m.apply([[key, state.get(key)!]], "loading the state");
    }
    m.touchedHot.clear();
    m.touchedCold.clear();
    return m;
  }

  apply(changes: Iterable<[Uint8Array, Uint8Array | null]>, where: string): void {
    for (const [key, value] of changes) {
      if (key.length < 32) continue;
      this.handlers.get(latin1(key))?.(key, value, where);
    }
  }

  /** Invariants 1, 5 (done while applying) and 6, on what the last changes touched. */
  check(where: string): void {
    if (this.totalIssuance !== this.sumBalances + this.sumStake + this.sumLocked) {
      fail(where, "issuance invariant broken: TotalIssuance != Σ balances + Σ stakes + Σ locks", {
        totalIssuance: this.totalIssuance,
        balances: this.sumBalances,
        stakes: this.sumStake,
        locked: this.sumLocked,
        difference: this.totalIssuance - this.sumBalances - this.sumStake - this.sumLocked,
      });
    }
    if (this.balancesIssuance !== this.sumBalances) fail(where, "Balances.TotalIssuance != Σ (free + reserved)", { balancesIssuance: this.balancesIssuance, balances: this.sumBalances });
    if (this.totalStake !== this.sumStake || this.sumHot !== this.sumStake || this.sumCold !== this.sumStake) {
      fail(where, "stake ledger does not add up", { totalStake: this.totalStake, sumStake: this.sumStake, sumHotkeyStake: this.sumHot, sumColdkeyStake: this.sumCold });
    }
    for (const h of this.touchedHot) {
      if ((this.hotTotals.get(h) ?? 0n) !== (this.rowsByHot.get(h) ?? 0n)) fail(where, `TotalHotkeyStake[${h}] differs from its Stake rows`, { total: this.hotTotals.get(h), rows: this.rowsByHot.get(h) });
    }
    for (const c of this.touchedCold) {
      if ((this.coldTotals.get(c) ?? 0n) !== (this.rowsByCold.get(c) ?? 0n)) fail(where, `TotalColdkeyStake[${c}] differs from its Stake rows`, { total: this.coldTotals.get(c), rows: this.rowsByCold.get(c) });
    }
    this.touchedHot.clear();
    this.touchedCold.clear();
  }

  /** The same terms recomputed from the whole state must equal the incremental ones. */
  sameAs(other: Mirror, where: string): void {
    const terms = ["sumBalances", "sumStake", "sumHot", "sumCold", "sumLocked", "sumPending", "totalStake", "totalIssuance", "balancesIssuance"] as const;
    for (const t of terms) if (this[t] !== other[t]) fail(where, `incremental ${t} differs from the whole state's`, { incremental: this[t], state: other[t] });
    const maps = ["balances", "stake", "hotTotals", "coldTotals", "locked", "pending"] as const;
    const keyed = (m: Mirror) => JSON.stringify([[...m.owners.keys()].sort(), [...m.delegates.keys()].sort(), [...m.networks].sort(), [...m.keys].filter(([, k]) => k.size > 0).map(([u, k]) => [u, [...k].sort()]).sort()]);
    if (keyed(this) !== keyed(other)) fail(where, "incremental Owner / Delegates / NetworksAdded / Keys differ from the state's");
    for (const m of maps) {
      if (this[m].size !== other[m].size) fail(where, `incremental ${m} has ${this[m].size} entries, the state ${other[m].size}`);
      for (const [k, v] of this[m] as Map<unknown, bigint>) if ((other[m] as Map<unknown, bigint>).get(k) !== v) fail(where, `incremental ${m}[${String(k)}] differs from the state's`, { incremental: v });
    }
  }
}

/** Storage order of u16 netuids under an Identity hasher: little-endian bytes. */
const keyOrder = (a: number, b: number): number => (a & 0xff) - (b & 0xff) || (a >> 8) - (b >> 8);

// ------------------------------------------------------------------------------------ events

type Ev = { pallet: string; name: string; data: Record<string, unknown> & unknown; phase: EnumValue };

function decodedEvents(block: ImportedBlock): Ev[] {
  return block.events.map((r) => {
    const inner = r.event.value as EnumValue;
    return { pallet: r.event.tag, name: inner.tag, data: inner.value as Record<string, unknown>, phase: r.phase };
  });
}

const extrinsicIndex = (e: Ev): number => (e.phase.tag === "ApplyExtrinsic" ? (e.phase.value as number) : -1);

// ------------------------------------------------------------------------------- the simulation

interface Op {
  kind: string;
  signer: Signer;
  bytes: Uint8Array;
}

const CALL_KINDS = [
  "transfer_keep_alive",
  "transfer_allow_death",
  "add_stake",
  "remove_stake",
  "become_delegate",
  "take",
  "swap_hotkey",
  "burned_register",
  "set_weights",
  "register_network",
  "dissolve_network",
  "sudo_subnet_config",
] as const;
const WEIGHTS: Record<(typeof CALL_KINDS)[number], number> = {
  transfer_keep_alive: 18,
  transfer_allow_death: 6,
  add_stake: 14,
  remove_stake: 11,
  become_delegate: 3,
  take: 3,
  swap_hotkey: 1.5,
  burned_register: 12,
  set_weights: 16,
  register_network: 0.6,
  dissolve_network: 0.5,
  sudo_subnet_config: 0, // sent for each new subnet, not drawn
};

/** The genesis of the simulation: the dev chain plus funded coldkeys and hotkeys, four subnets (one closed to registration). */
export async function economicsSpec(coldkeys: Signer[], hotkeys: Signer[]): Promise<ChainSpec> {
  const spec = await devChainSpec();
  const rng = mulberry32(7);
  spec.balances.push(...coldkeys.map((s): [string, string] => [s.address, (BigInt(20_000 + rng.int(200_000)) * TAO).toString()]));
  spec.balances.push(...hotkeys.map((s): [string, string] => [s.address, TAO.toString()]));
  const hp = (tempo: number, extra: Record<string, unknown> = {}) => ({
    tempo,
    maxAllowedUids: 24,
    maxAllowedValidators: 6,
    immunityPeriod: 12,
    maxRegistrationsPerBlock: 3,
    targetRegistrationsPerInterval: 6,
    adjustmentInterval: 50,
    weightsSetRateLimit: 0,
    minAllowedWeights: 1,
    burn: (TAO / 2n).toString(),
    minBurn: (TAO / 10n).toString(),
    ...extra,
  });
  spec.subtensor = {
    txRateLimit: 0,
    txDelegateTakeRateLimit: 0,
    stakeInterval: 50,
    targetStakesPerInterval: 1_000,
    nominatorMinRequiredStake: TAO.toString(),
    networkRateLimit: 0,
    networkMinLockCost: (100n * TAO).toString(),
    networkLockReductionInterval: 100,
    subnetLimit: 7,
    stakeThreshold: "0",
    subnets: [
      { netuid: 1, owner: coldkeys[0].address, hyperparameters: hp(6) },
      { netuid: 2, owner: coldkeys[1].address, hyperparameters: hp(11, { maxAllowedUids: 40 }) },
      { netuid: 3, owner: coldkeys[2].address, hyperparameters: hp(17, { yuma3On: true }) },
      { netuid: 4, owner: coldkeys[3].address, hyperparameters: hp(9, { registrationAllowed: false }) },
    ],
  };
  return spec;
}

export async function runEconomicSimulation(o: EconomicsOptions): Promise<EconomicsReport> {
  const log = o.log ?? (() => undefined);
  const rng = mulberry32(o.seed);
  const coldkeys = Array.from({ length: o.coldkeys ?? 96 }, (_, i) => signer(`cold-${i}`));
  const hotkeys = Array.from({ length: o.hotkeys ?? 192 }, (_, i) => signer(`hot-${i}`));
  const byHex = new Map([...coldkeys, ...hotkeys].map((s) => [s.hex, s]));
  let spec: ChainSpec;
  try {
    spec = await economicsSpec(coldkeys, hotkeys);
  } catch (e) {
    throw new Error(`economics genesis: ${(e as Error).message}`);
  }
  // LevelDB writes without fsync: the simulation checks economics, not durability
  const noSync = process.env.NOSYNC;
  process.env.NOSYNC = "1";
  const h = await ChainHarness.create(spec);
  const started = performance.now();
  const report: EconomicsReport = {
    blocks: 0,
    seed: o.seed,
    ms: 0,
    calls: Object.fromEntries(CALL_KINDS.map((k) => [k, { ok: 0, failed: 0, skipped: 0 }])),
    errors: {},
    epochs: 0,
    scheduled: 0n,
    paid: 0n,
    dropped: 0n,
    pending: 0n,
    fees: 0n,
    dust: 0n,
    burned: 0n,
    accounts: 0,
    stakeRows: 0,
    subnetsCreated: 0,
    subnetsRemoved: 0,
    reaped: 0,
    fullChecks: 0,
  };
  try {
    const { genesisHash, specVersion, transactionVersion } = h.chain.chainIdentity;
    const additional = encodeAdditional({ specVersion, transactionVersion, genesisHash, eraBlockHash: genesisHash });
    const view = (): StorageAccess => new StateOverlay(h.chain.bestState());
    const mirror = Mirror.fromState(view());
    mirror.check("at genesis");
    const pending0 = mirror.sumPending;
    // accounts created by transfers during the run: key pairs, so they can send it all away again
    const freshSigners: Signer[] = [];
    const newSubnets: number[] = [];
    const aliceKeys = devSecretPair("//Alice");
    const alice: Signer = { publicKey: aliceKeys.publicKey, secretKey: aliceKeys.secretKey, address: encodeAddress(aliceKeys.publicKey, 42), hex: hexOf(aliceKeys.publicKey) };
    const freshAccount = (): Uint8Array => {
      const f = signer(`fresh-${freshSigners.length}`);
      freshSigners.push(f);
      byHex.set(f.hex, f);
      return f.publicKey;
    };
    /** a fresh account that still holds something, if any */
    const liveFresh = (): Signer | undefined => {
      for (let tries = 0; tries < 8 && freshSigners.length; tries++) {
        const f = rng.pick(freshSigners);
        if ((mirror.balanceInfo.get(f.hex)?.free ?? 0n) > 0n) return f;
      }
      return undefined;
    };

    for (let n = 1; n <= o.blocks; n++) {
      const height = h.chain.best.number + 1;
      const where = `block #${height} (step ${n}, seed ${o.seed})`;
      const parent: StateReader = h.chain.bestState();
      const state = new StateOverlay(parent);
      // NetworksAdded, Owner, Keys and Delegates come from the mirror (kept from every block's
      // changes, checked against the whole state every fullCheckEvery blocks): iterating them in
      // the trie every block would cost more than the block
      const netuids = [...mirror.networks].filter(([u, added]) => added && u !== ROOT_NETUID).map(([u]) => u).sort(keyOrder);

      // ---- this block's extrinsics
      const nonces = new Map<string, number>();
      const ops: Op[] = [];
      const send = (who: Signer, kind: string, pallet: string, call: string, args: Record<string, unknown>) => {
        const nonce = nonces.get(who.hex) ?? Account.get(state, who.publicKey).nonce;
        nonces.set(who.hex, nonce + 1);
        const callBytes = h.encodeCall(pallet, call, args);
        const msg = signingMessage(callBytes, encodeExtra(null, nonce, 0n), additional);
        const bytes = encodeSignedExtrinsic(who.publicKey, { tag: "Sr25519", value: sr25519Sign(who.publicKey, who.secretKey, msg) }, { era: null, nonce, tip: 0n }, callBytes);
        ops.push({ kind, signer: who, bytes });
      };
      const signedLength = (who: Signer, pallet: string, call: string, args: Record<string, unknown>): number => {
        const callBytes = h.encodeCall(pallet, call, args);
        const nonce = nonces.get(who.hex) ?? Account.get(state, who.publicKey).nonce;
        return encodeSignedExtrinsic(who.publicKey, { tag: "Sr25519", value: new Uint8Array(64) }, { era: null, nonce, tip: 0n }, callBytes).length;
      };
      // hotkeys that exist (have an owner), and the registered ones we hold keys for, per subnet
      const owned = [...mirror.owners.values()];
      const members = new Map<number, Signer[]>();
      for (const u of netuids) members.set(u, [...(mirror.keys.get(u)?.values() ?? [])].map((hex) => byHex.get(hex)).filter((x): x is Signer => x !== undefined));
      const delegates = [...mirror.delegates.values()];
      const withUid = netuids.filter((u) => members.get(u)!.length > 0);
      const anyHotkey = (): Uint8Array => (owned.length && rng.chance(0.85) ? rng.pick(owned) : rng.chance(0.8) ? rng.pick(hotkeys).publicKey : freshAccount());
      const registeredOn = (hot: Uint8Array): number[] => netuids.filter((u) => Uids.exists(state, u, hot));
      // subnets created in the last block get short tempos and easy weights through sudo (AdminUtils)
      for (const netuid of newSubnets.splice(0)) {
        if (!netuids.includes(netuid)) continue;
        const sudo = (call: string, args: Record<string, unknown>) =>
          send(alice, "sudo_subnet_config", "Sudo", "sudo", { call: h.runtime.callCodec.decode(h.encodeCall("AdminUtils", call, { netuid, ...args })) });
        sudo("sudo_set_tempo", { tempo: 5 + rng.int(20) });
        sudo("sudo_set_weights_set_rate_limit", { weightsSetRateLimit: 0n });
        sudo("sudo_set_min_allowed_weights", { minAllowedWeights: 1 });
      }
      const total = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);
      const count = 2 + rng.int(9);
      for (let k = 0; k < count; k++) {
        let r = rng.next() * total;
        let kind: (typeof CALL_KINDS)[number] = CALL_KINDS[0];
        for (const c of CALL_KINDS) {
          r -= WEIGHTS[c];
          if (r < 0) {
            kind = c;
            break;
          }
        }
        const who = rng.pick(coldkeys);
        const free = Account.get(state, who.publicKey).data.free;
        switch (kind) {
          case "transfer_keep_alive": {
            const to = rng.chance(0.5) ? rng.pick(coldkeys).publicKey : rng.chance(0.5) || !freshSigners.length ? freshAccount() : rng.pick(freshSigners).publicKey;
            const max = free / 20n > 1n ? free / 20n : 1n;
            send(who, kind, "Balances", "transfer_keep_alive", { dest: { tag: "Id", value: to }, value: EXISTENTIAL_DEPOSIT + BigInt(rng.int(Number(max > 2n ** 50n ? 2n ** 50n : max))) });
            break;
          }
          case "transfer_allow_death": {
            // from a hotkey or coldkey: sometimes leaving less than ED after the fee (reaped, the
            // rest burned as dust), sometimes all of it (transfer_all), sometimes a part
            // from an account created by a transfer (coldkeys and hotkeys must keep signing)
            const from = liveFresh();
            if (!from) break;
            const f = Account.get(state, from.publicKey).data.free;
            const to = rng.chance(0.5) ? rng.pick(coldkeys).publicKey : freshAccount();
            const mode = rng.int(4);
            if (mode === 0) {
              send(from, kind, "Balances", "transfer_all", { dest: { tag: "Id", value: to }, keepAlive: false });
            } else if (mode === 1) {
              // value = free − fee − dust with 0 < dust < ED; the fee depends on the length, which depends on the value
              const dust = 1n + BigInt(rng.int(Number(EXISTENTIAL_DEPOSIT) - 1));
              let value = f;
              for (let round = 0; round < 3; round++) {
                const args = { dest: { tag: "Id", value: to }, value: value > 0n ? value : 1n };
                const len = signedLength(from, "Balances", "transfer_allow_death", args);
                const fee = computeFee(len, h.runtime.callInfo({ tag: "Balances", value: { tag: "transfer_allow_death", value: args } }).weight, 0n).total;
                value = f - fee - dust;
              }
              send(from, kind, "Balances", "transfer_allow_death", { dest: { tag: "Id", value: to }, value: value > 0n ? value : 1n });
            } else {
              send(from, kind, "Balances", "transfer_allow_death", { dest: { tag: "Id", value: to }, value: f / BigInt(3 + rng.int(20)) + EXISTENTIAL_DEPOSIT });
            }
            break;
          }
          case "add_stake": {
            // own hotkeys, or a delegate (nomination), or anything
            const mine = OwnedHotkeys.get(state, who.publicKey);
            const hotkey = mine.length && rng.chance(0.5) ? rng.pick(mine) : delegates.length && rng.chance(0.6) ? rng.pick(delegates) : anyHotkey();
            const amount = rng.chance(0.03) ? free + TAO : BigInt(rng.int(40)) * TAO + BigInt(rng.int(1_000_000_000));
            send(who, kind, "SubtensorModule", "add_stake", { hotkey, amountStaked: amount });
            break;
          }
          case "remove_stake": {
            const staked = StakingHotkeys.get(state, who.publicKey);
            const hotkey = staked.length && rng.chance(0.9) ? rng.pick(staked) : anyHotkey();
            const current = Stake.get(state, hotkey, who.publicKey);
            const x = rng.next();
            const amount = x < 0.05 ? current + 1n : x < 0.1 ? 0n : x < 0.35 ? current : current / BigInt(2 + rng.int(6));
            send(who, kind, "SubtensorModule", "remove_stake", { hotkey, amountUnstaked: amount });
            break;
          }
          case "become_delegate": {
            const mine = OwnedHotkeys.get(state, who.publicKey);
            send(who, kind, "SubtensorModule", "become_delegate", { hotkey: mine.length && rng.chance(0.9) ? rng.pick(mine) : anyHotkey() });
            break;
          }
          case "take": {
            const mine = OwnedHotkeys.get(state, who.publicKey);
            const hotkey = mine.length ? rng.pick(mine) : anyHotkey();
            send(who, kind, "SubtensorModule", rng.chance(0.5) ? "increase_take" : "decrease_take", { hotkey, take: 3_000 + rng.int(10_000) });
            break;
          }
          case "swap_hotkey": {
            const mine = OwnedHotkeys.get(state, who.publicKey);
            const hotkey = mine.length && rng.chance(0.9) ? rng.pick(mine) : anyHotkey();
            send(who, kind, "SubtensorModule", "swap_hotkey", { hotkey, newHotkey: anyHotkey() });
            break;
          }
          case "burned_register": {
            const netuid = netuids.length && rng.chance(0.95) ? rng.pick(netuids) : 1 + rng.int(9);
            // a hotkey this coldkey owns, or a new one (it becomes the owner)
            const mine = OwnedHotkeys.get(state, who.publicKey);
            const hotkey = mine.length && rng.chance(0.3) ? rng.pick(mine) : rng.pick(hotkeys).publicKey;
            send(who, kind, "SubtensorModule", "burned_register", { netuid, hotkey });
            break;
          }
          case "set_weights": {
            // mostly a registered hotkey on its subnet; validators weigh many UIDs, others themselves
            const netuid = withUid.length && rng.chance(0.95) ? rng.pick(withUid) : netuids.length ? rng.pick(netuids) : 1;
            const hot = members.get(netuid)?.length && rng.chance(0.95) ? rng.pick(members.get(netuid)!) : rng.pick(hotkeys);
            const size = SubnetworkN.get(state, netuid);
            const own = Uids.get(state, netuid, hot.publicKey);
            const permitted = own !== null && (ValidatorPermit.get(state, netuid)[own] ?? false);
            const uids = permitted ? Array.from({ length: size }, (_, j) => j).filter(() => rng.chance(0.7)) : [own ?? rng.int(Math.max(1, size))];
            if (uids.length === 0) uids.push(own ?? 0);
            send(hot, kind, "SubtensorModule", "set_weights", { netuid, dests: uids, weights: uids.map(() => 1 + rng.int(65535)), versionKey: 0n });
            break;
          }
          case "register_network":
            send(who, kind, "SubtensorModule", "register_network", {});
            break;
          case "dissolve_network": {
            if (!netuids.length) break;
            // subnets created during the run, and the closed genesis subnet 4: 1–3 stay (their short
            // tempos keep epochs coming; register_network may still prune them at the limit)
            const created = netuids.filter((u) => u > 3);
            const netuid = created.length ? rng.pick(created) : 0;
            if (!netuid) break;
            const owner = byHex.get(hexOf(SubnetOwner.get(state, netuid)));
            send(owner && rng.chance(0.9) ? owner : who, kind, "SubtensorModule", "dissolve_network", { netuid });
            break;
          }
        }
      }

      // ---- what the block must schedule, from the parent state (invariant 2 and 4)
      const allNetuids = [...mirror.networks.keys()].sort(keyOrder);
      for (const u of allNetuids) if (EmissionValues.get(state, u) !== 0n) fail(where, `EmissionValues[${u}] is not 0: the equal-split fallback no longer applies`);
      const receiving = allNetuids.filter((u) => u !== ROOT_NETUID && NetworksAdded.get(state, u) && NetworkRegistrationAllowed.get(state, u));
      const emission = scheduleAt(BigInt(height));
      const parts = receiving.length ? splitProRata(emission, receiving.map(() => 1n)) : [];
      const share = new Map<number, bigint>(receiving.map((u, i) => [u, parts[i]]));
      const scheduled = parts.reduce((a, b) => a + b, 0n);
      const parentPending = new Map<number, bigint>(allNetuids.map((u) => [u, PendingEmission.get(state, u)]));
      const issuanceBefore = mirror.totalIssuance;

      // ---- the block
      const block = await h.produce(ops.map((op) => op.bytes));
      report.blocks++;
      mirror.apply(block.changes, where);
      mirror.check(where);

      // ---- outcomes of the extrinsics (index i + 1: 0 is the timestamp inherent)
      const position = new Map<string, number>();
      block.extrinsics.forEach((bytes, i) => position.set(Buffer.from(bytes).toString("latin1"), i));
      const events = decodedEvents(block);
      const outcome = new Map<number, "ok" | "failed">();
      const errorOf = new Map<number, string>();
      for (const e of events) {
        if (e.pallet !== "System") continue;
        if (e.name === "ExtrinsicSuccess") outcome.set(extrinsicIndex(e), "ok");
        else if (e.name === "ExtrinsicFailed") {
          outcome.set(extrinsicIndex(e), "failed");
          errorOf.set(extrinsicIndex(e), dispatchErrorName((e.data as { dispatchError: EnumValue }).dispatchError));
        }
      }
      const kindAt = new Map<number, string>();
      for (const op of ops) {
        const i = position.get(Buffer.from(op.bytes).toString("latin1"));
        const t = report.calls[op.kind];
        if (i === undefined) t.skipped++;
        else {
          kindAt.set(i, op.kind);
          if (outcome.get(i) === "ok") t.ok++;
          else {
            t.failed++;
            const errs = (report.errors[op.kind] ??= {});
            const name = errorOf.get(i) ?? "?";
            errs[name] = (errs[name] ?? 0) + 1;
          }
        }
      }

      // ---- emission: epochs, drops, per subnet (invariant 4) and the books (invariant 2)
      let paid = 0n;
      let dropped = 0n;
      let fees = 0n;
      let dust = 0n;
      let burned = 0n;
      const epochRan = new Set<number>();
      const removedOrAdded = new Set<number>();
      for (const e of events) {
        if (e.pallet === "SubtensorModule" && (e.name === "NetworkRemoved" || e.name === "NetworkAdded")) {
          const netuid = Array.isArray(e.data) ? (e.data[0] as number) : (e.data as unknown as number);
          removedOrAdded.add(netuid);
          if (e.name === "NetworkAdded") {
            report.subnetsCreated++;
            newSubnets.push(netuid);
          }
          else report.subnetsRemoved++;
        }
      }
      for (const e of events) {
        if (e.pallet === "SubtensorModule" && e.name === "EpochRun") {
          const ev = e.data as { netuid: number; pending: bigint; ownerCut: bigint; server: bigint; validator: bigint; dropped: bigint };
          report.epochs++;
          epochRan.add(ev.netuid);
          if (ev.pending !== ev.ownerCut + ev.server + ev.validator + ev.dropped) fail(where, `EpochRun of ${ev.netuid}: pending != owner cut + incentive + dividends + dropped`, ev);
          const expected = (parentPending.get(ev.netuid) ?? 0n) + (share.get(ev.netuid) ?? 0n);
          if (ev.pending !== expected) fail(where, `EpochRun of ${ev.netuid} drained ${ev.pending}, but its parent pending + this block's share is ${expected}`);
          if (!share.has(ev.netuid) && ev.ownerCut + ev.server + ev.validator !== 0n) fail(where, `subnet ${ev.netuid} is closed to registration but its epoch paid`, ev);
          paid += ev.ownerCut + ev.server + ev.validator;
          dropped += ev.dropped;
        } else if (e.pallet === "SubtensorModule" && e.name === "PendingEmissionDropped") {
          const ev = e.data as { netuid: number; amount: bigint };
          const expected = epochRan.has(ev.netuid) ? 0n : (parentPending.get(ev.netuid) ?? 0n) + (share.get(ev.netuid) ?? 0n);
          if (ev.amount !== expected) fail(where, `subnet ${ev.netuid} removed with ${ev.amount} pending, expected ${expected}`);
          dropped += ev.amount;
        } else if (e.pallet === "TransactionPayment" && e.name === "TransactionFeePaid") {
          fees += (e.data as { actualFee: bigint }).actualFee;
        } else if (e.pallet === "Balances" && e.name === "DustLost") {
          dust += (e.data as { amount: bigint }).amount;
          report.reaped++;
        } else if (e.pallet === "Balances" && e.name === "Rescinded") {
          const kind = kindAt.get(extrinsicIndex(e));
          if ((kind === "burned_register" || kind === "swap_hotkey") && outcome.get(extrinsicIndex(e)) === "ok") burned += (e.data as { amount: bigint }).amount;
        }
      }
      for (const u of allNetuids) {
        if (u === ROOT_NETUID || epochRan.has(u) || removedOrAdded.has(u)) continue;
        const expected = (parentPending.get(u) ?? 0n) + (share.get(u) ?? 0n);
        if ((mirror.pending.get(u) ?? 0n) !== expected) fail(where, `subnet ${u} (no epoch) has pending ${mirror.pending.get(u) ?? 0n}, expected parent + share = ${expected}`);
      }
      report.scheduled += scheduled;
      report.paid += paid;
      report.dropped += dropped;
      report.fees += fees;
      report.dust += dust;
      report.burned += burned;
      if (pending0 + report.scheduled !== report.paid + mirror.sumPending + report.dropped) {
        fail(where, "emission books: Σ scheduled != Σ paid + Σ PendingEmission + Σ dropped", {
          scheduled: pending0 + report.scheduled,
          paid: report.paid,
          pending: mirror.sumPending,
          dropped: report.dropped,
        });
      }
      // invariant 3: the issuance moved by the paid emission minus what was recycled, exactly
      const moved = mirror.totalIssuance - issuanceBefore;
      if (moved !== paid - fees - dust - burned) fail(where, "ΔTotalIssuance != paid − fees − dust − burns", { moved, paid, fees, dust, burned });

      // ---- whole-state cross-check
      if ((o.fullCheckEvery && n % o.fullCheckEvery === 0) || n === o.blocks) {
        const fromState = Mirror.fromState(view());
        mirror.sameAs(fromState, where);
        report.fullChecks++;
      }
      if (o.logEvery && n % o.logEvery === 0) {
        const s = ((performance.now() - started) / 1000).toFixed(1);
        log(`economics: ${n}/${o.blocks} blocks in ${s} s — accounts ${mirror.balances.size}, stake rows ${mirror.stake.size}, subnets ${netuids.length}, epochs ${report.epochs}, paid ${report.paid}, dropped ${report.dropped}`);
      }
    }
    report.ms = performance.now() - started;
    report.pending = mirror.sumPending;
    report.accounts = mirror.balances.size;
    report.stakeRows = mirror.stake.size;
    return report;
  } finally {
    await h.close();
    if (noSync === undefined) delete process.env.NOSYNC;
    else process.env.NOSYNC = noSync;
  }
}

/** One line for logs and reports. */
export function formatEconomicsReport(r: EconomicsReport): string {
  const calls = Object.entries(r.calls)
    .map(([k, v]) => `${k} ${v.ok}/${v.failed}/${v.skipped}`)
    .join(", ");
  const errors = Object.entries(r.errors)
    .map(([k, v]) => `${k}: ${Object.entries(v).sort((a, b) => b[1] - a[1]).map(([e, n]) => `${e} ${n}`).join(" ")}`)
    .join("; ");
  return (
    `${r.blocks} blocks, seed ${r.seed}, ${(r.ms / 1000).toFixed(1)} s: ${r.epochs} epochs; emission scheduled ${r.scheduled}, paid ${r.paid}, dropped ${r.dropped}, pending ${r.pending}; ` +
    `recycled: fees ${r.fees}, dust ${r.dust} (${r.reaped} reaped), burns ${r.burned}; ${r.accounts} accounts, ${r.stakeRows} stake rows; subnets +${r.subnetsCreated} −${r.subnetsRemoved}; ` +
    `${r.fullChecks} whole-state checks; calls ok/failed/skipped: ${calls}; failures: ${errors}`
  );
}
