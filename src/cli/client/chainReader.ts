/**
 * Every read the CLI's client commands and the dashboard make, in one place, returning plain data
 * (bigint RAO, numbers, SS58 strings). Today it reads SubtensorModule STORAGE through @polkadot/api
 * (`api.query.subtensorModule.*`). When the node serves Subtensor's runtime APIs
 * (NeuronInfoRuntimeApi, SubnetInfoRuntimeApi, DelegateInfoRuntimeApi, StakeInfoRuntimeApi), the
 * bodies of `metagraph`, `subnets`, `delegates` and `stakes` switch to them here and nothing else
 * changes: callers only see these return types.
 *
 * Runs in Node and in the browser (the dashboard bundles it): no Node-only imports.
 */
import type { ApiPromise } from "@polkadot/api";
import { SUBNET_HYPERPARAMETERS, type HyperparameterDef } from "./hyperparameters.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- storage values arrive as polkadot-js Codecs */
type AnyCodec = any;

const big = (c: AnyCodec): bigint => {
  if (c === undefined || c === null) return 0n;
  if (typeof c.toBigInt === "function") return c.toBigInt();
  if (typeof c.unwrapOrDefault === "function") return big(c.unwrapOrDefault());
  return BigInt(c.toString());
};
const num = (c: AnyCodec): number => Number(big(c));
const bool = (c: AnyCodec): boolean => (typeof c?.isTrue === "boolean" ? c.isTrue : Boolean(c?.toJSON?.() ?? c));
const u16s = (c: AnyCodec): number[] => (c ? (c as AnyCodec[]).map((x) => num(x)) : []);
const u64s = (c: AnyCodec): bigint[] => (c ? (c as AnyCodec[]).map((x) => big(x)) : []);
const bools = (c: AnyCodec): boolean[] => (c ? (c as AnyCodec[]).map((x) => bool(x)) : []);

export interface Head {
  best: number;
  bestHash: string;
  finalized: number;
  finalizedHash: string;
}

export interface AccountBalance {
  free: bigint;
  reserved: bigint;
  frozen: bigint;
}

export interface AxonView {
  ip: string;
  port: number;
  ipType: number;
  version: number;
  protocol: number;
  block: number;
}

export interface NeuronView {
  uid: number;
  hotkey: string;
  coldkey: string;
  stake: bigint;
  /** u16 fractions of 65535, as stored */
  rank: number;
  trust: number;
  consensus: number;
  incentive: number;
  dividends: number;
  validatorTrust: number;
  emission: bigint;
  validatorPermit: boolean;
  active: boolean;
  lastUpdate: number;
  axon?: AxonView;
}

export interface MetagraphView {
  netuid: number;
  block: number;
  n: number;
  maxN: number;
  tempo: number;
  blocksUntilNextEpoch: number | null;
  neurons: NeuronView[];
  totals: { stake: bigint; emission: bigint; rank: number; trust: number; consensus: number; incentive: number; dividends: number; validatorTrust: number };
}

export interface SubnetView {
  netuid: number;
  n: number;
  maxN: number;
  tempo: number;
  burn: bigint;
  difficulty: bigint;
  owner: string;
  emissionValue: bigint;
  /** share of the block emission this subnet gets (0…1), by the chain's split rule */
  emissionShare: number;
  pendingEmission: bigint;
  registrationAllowed: boolean;
  powRegistrationAllowed: boolean;
  locked: bigint;
  registeredAt: number;
  blocksUntilNextEpoch: number | null;
}

export interface DelegateView {
  hotkey: string;
  owner: string;
  /** u16 fraction of 65535 */
  take: number;
  totalStake: bigint;
  nominators: number;
  registrations: number[];
}

export interface StakeView {
  hotkey: string;
  stake: bigint;
  isDelegate: boolean;
}

export interface HyperparameterValue {
  def: HyperparameterDef;
  value: bigint | number | boolean | [number, number];
}

/**
 * Subtensor's epoch schedule: `tempo − ((block + netuid + 1) % (tempo + 1))` blocks until the
 * subnet's next epoch (0: it runs at `block`); tempo 0 never runs one (null).
 */
export function blocksUntilNextEpoch(netuid: number, tempo: number, block: number): number | null {
  if (tempo === 0) return null;
  return tempo - ((block + netuid + 1) % (tempo + 1));
}

/**
 * Classic `get_network_lock_cost` (src/chain/runtime/pallets/subtensor/registration/lockCost.ts):
 * max(min_lock, last_lock × mult − last_lock / interval × (block − last_block)), mult = 2 after the
 * first registration. Repeated here because the client reads the inputs from storage; a unit test
 * holds the two equal. Goes away when the node serves `subnetInfo_getLockCost`.
 */
export function lockCostFrom(p: { lastLock: bigint; minLock: bigint; lastBlock: bigint; interval: bigint; block: bigint }): bigint {
  const U64_MAX = (1n << 64n) - 1n;
  const sat = (v: bigint) => (v > U64_MAX ? U64_MAX : v < 0n ? 0n : v);
  const mult = p.lastBlock === 0n ? 1n : 2n;
  const elapsed = sat(p.block - p.lastBlock);
  const perBlock = p.interval === 0n ? (elapsed === 0n ? 0n : U64_MAX) : p.lastLock / p.interval;
  const cost = sat(sat(p.lastLock * mult) - sat(perBlock * elapsed));
  return cost < p.minLock ? p.minLock : cost;
}

/** An IPv4 (ip_type 4) or IPv6 u128 as text. */
export function ipToString(ip: bigint, ipType: number): string {
  if (ipType === 4) return [24n, 16n, 8n, 0n].map((s) => String((ip >> s) & 0xffn)).join(".");
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((ip >> BigInt(i * 16)) & 0xffffn).toString(16));
  return groups.join(":");
}

export class ChainReader {
  constructor(readonly api: ApiPromise) {}

  private get sm(): AnyCodec {
    return this.api.query.subtensorModule;
  }

  async head(): Promise<Head> {
    const [bestHeader, finalizedHash] = await Promise.all([this.api.rpc.chain.getHeader(), this.api.rpc.chain.getFinalizedHead()]);
    const finalizedHeader = await this.api.rpc.chain.getHeader(finalizedHash);
    return { best: bestHeader.number.toNumber(), bestHash: bestHeader.hash.toHex(), finalized: finalizedHeader.number.toNumber(), finalizedHash: finalizedHash.toHex() };
  }

  async blockNumber(): Promise<number> {
    return (await this.api.rpc.chain.getHeader()).number.toNumber();
  }

  async balance(address: string): Promise<AccountBalance> {
    const account: AnyCodec = await this.api.query.system.account(address);
    return { free: big(account.data.free), reserved: big(account.data.reserved), frozen: big(account.data.frozen ?? account.data.miscFrozen) };
  }

  async balances(addresses: string[]): Promise<AccountBalance[]> {
    if (addresses.length === 0) return [];
    const accounts: AnyCodec[] = await this.api.query.system.account.multi(addresses);
    return accounts.map((a) => ({ free: big(a.data.free), reserved: big(a.data.reserved), frozen: big(a.data.frozen ?? a.data.miscFrozen) }));
  }

  async totalIssuance(): Promise<{ subtensor: bigint; balances: bigint }> {
    const [subtensor, balances] = await Promise.all([this.sm.totalIssuance(), this.api.query.balances.totalIssuance()]);
    return { subtensor: big(subtensor), balances: big(balances) };
  }

  async sudoKey(): Promise<string | undefined> {
    if (!this.api.query.sudo?.key) return undefined;
    const key: AnyCodec = await this.api.query.sudo.key();
    return key.isSome ? key.unwrap().toString() : undefined;
  }

  async netuids(): Promise<number[]> {
    const entries: AnyCodec[] = await this.sm.networksAdded.entries();
    return entries
      .filter(([, added]: AnyCodec) => bool(added))
      .map(([key]: AnyCodec) => num(key.args[0]))
      .sort((a: number, b: number) => a - b);
  }

  async subnetExists(netuid: number): Promise<boolean> {
    return bool(await this.sm.networksAdded(netuid));
  }

  async subnets(): Promise<SubnetView[]> {
    const [netuids, block] = await Promise.all([this.netuids(), this.blockNumber()]);
    if (netuids.length === 0) return [];
    const multi = (item: string) => this.sm[item].multi(netuids) as Promise<AnyCodec[]>;
    const [n, maxN, tempo, burn, difficulty, owner, emission, pending, regAllowed, powAllowed, locked, registeredAt, fallback] = await Promise.all([
      multi("subnetworkN"),
      multi("maxAllowedUids"),
      multi("tempo"),
      multi("burn"),
      multi("difficulty"),
      multi("subnetOwner"),
      multi("emissionValues"),
      multi("pendingEmission"),
      multi("networkRegistrationAllowed"),
      multi("networkPowRegistrationAllowed"),
      multi("subnetLocked"),
      multi("networkRegisteredAt"),
      this.sm.emissionEqualSplitFallback ? this.sm.emissionEqualSplitFallback() : Promise.resolve(undefined),
    ]);
    const emissionValues = emission.map(big);
    const totalEmission = emissionValues.reduce((a, b) => a + b, 0n);
    // Classic split: pro rata to EmissionValues (set by the root epoch). Until root weights exist
    // the dev genesis splits equally among non-root subnets open to registration.
    const equalSplit = totalEmission === 0n && fallback !== undefined && bool(fallback);
    const eligible = netuids.filter((netuid, i) => netuid !== 0 && bool(regAllowed[i])).length;
    return netuids.map((netuid, i) => {
      const share =
        totalEmission > 0n
          ? Number((emissionValues[i] * 1_000_000n) / totalEmission) / 1_000_000
          : equalSplit && netuid !== 0 && bool(regAllowed[i]) && eligible > 0
            ? 1 / eligible
            : 0;
      return {
        netuid,
        n: num(n[i]),
        maxN: num(maxN[i]),
        tempo: num(tempo[i]),
        burn: big(burn[i]),
        difficulty: big(difficulty[i]),
        owner: owner[i].toString(),
        emissionValue: emissionValues[i],
        emissionShare: share,
        pendingEmission: big(pending[i]),
        registrationAllowed: bool(regAllowed[i]),
        powRegistrationAllowed: bool(powAllowed[i]),
        locked: big(locked[i]),
        registeredAt: num(registeredAt[i]),
        blocksUntilNextEpoch: blocksUntilNextEpoch(netuid, num(tempo[i]), block),
      };
    });
  }

  async subnet(netuid: number): Promise<SubnetView | undefined> {
    return (await this.subnets()).find((s) => s.netuid === netuid);
  }

  async hyperparameters(netuid: number): Promise<HyperparameterValue[]> {
    const defs = SUBNET_HYPERPARAMETERS.filter((d) => this.sm[d.storage]);
    const values: AnyCodec[] = await Promise.all(defs.map((d) => this.sm[d.storage](netuid)));
    return defs.map((def, i) => {
      const v = values[i];
      const json = v.toJSON();
      let value: HyperparameterValue["value"];
      if (typeof json === "boolean") value = json;
      else if (Array.isArray(json)) value = [Number(json[0]), Number(json[1])];
      else if (typeof v.toBigInt === "function" && v.toRawType?.() === "u64") value = big(v);
      else value = Number(json);
      return { def, value };
    });
  }

  async lockCost(): Promise<bigint> {
    const [lastLock, minLock, lastBlock, interval, block] = await Promise.all([
      this.sm.networkLastLockCost(),
      this.sm.networkMinLockCost(),
      this.sm.networkLastRegistered(),
      this.sm.networkLockReductionInterval(),
      this.blockNumber(),
    ]);
    return lockCostFrom({ lastLock: big(lastLock), minLock: big(minLock), lastBlock: big(lastBlock), interval: big(interval), block: BigInt(block) });
  }

  async uid(netuid: number, hotkey: string): Promise<number | undefined> {
    const v: AnyCodec = await this.sm.uids(netuid, hotkey);
    return v.isSome ? num(v.unwrap()) : undefined;
  }

  async isDelegate(hotkey: string): Promise<boolean> {
    return (await this.sm.delegates.entries()).some(([key]: AnyCodec) => key.args[0].toString() === hotkey);
  }

  async delegateTake(hotkey: string): Promise<number | undefined> {
    const all = await this.sm.delegates.entries();
    const hit = all.find(([key]: AnyCodec) => key.args[0].toString() === hotkey);
    return hit ? num(hit[1]) : undefined;
  }

  async stakeOnHotkey(hotkey: string, coldkey: string): Promise<bigint> {
    return big(await this.sm.stake(hotkey, coldkey));
  }

  async totalHotkeyStake(hotkey: string): Promise<bigint> {
    return big(await this.sm.totalHotkeyStake(hotkey));
  }

  /** A coldkey's stakes, per hotkey (scans the Stake map: fine for devnets and testnets). */
  async stakes(coldkey: string): Promise<StakeView[]> {
    const [entries, delegates] = await Promise.all([this.sm.stake.entries() as Promise<AnyCodec[]>, this.sm.delegates.entries() as Promise<AnyCodec[]>]);
    const delegateSet = new Set(delegates.map(([key]: AnyCodec) => key.args[0].toString()));
    return entries
      .filter(([key]: AnyCodec) => key.args[1].toString() === coldkey)
      .map(([key, value]: AnyCodec) => ({ hotkey: key.args[0].toString(), stake: big(value), isDelegate: delegateSet.has(key.args[0].toString()) }))
      .filter((s) => s.stake > 0n)
      .sort((a, b) => (a.stake === b.stake ? 0 : a.stake > b.stake ? -1 : 1));
  }

  async delegates(): Promise<DelegateView[]> {
    const [delegates, stakes, members] = await Promise.all([
      this.sm.delegates.entries() as Promise<AnyCodec[]>,
      this.sm.stake.entries() as Promise<AnyCodec[]>,
      this.sm.isNetworkMember.entries() as Promise<AnyCodec[]>,
    ]);
    const hotkeys = delegates.map(([key]: AnyCodec) => key.args[0].toString());
    if (hotkeys.length === 0) return [];
    const [owners, totals] = await Promise.all([this.sm.owner.multi(hotkeys) as Promise<AnyCodec[]>, this.sm.totalHotkeyStake.multi(hotkeys) as Promise<AnyCodec[]>]);
    return delegates
      .map(([, take]: AnyCodec, i: number) => {
        const hotkey = hotkeys[i];
        return {
          hotkey,
          owner: owners[i].toString(),
          take: num(take),
          totalStake: big(totals[i]),
          nominators: stakes.filter(([key, v]: AnyCodec) => key.args[0].toString() === hotkey && big(v) > 0n).length,
          registrations: members
            .filter(([key, v]: AnyCodec) => key.args[0].toString() === hotkey && bool(v))
            .map(([key]: AnyCodec) => num(key.args[1]))
            .sort((a: number, b: number) => a - b),
        };
      })
      .sort((a, b) => (a.totalStake === b.totalStake ? 0 : a.totalStake > b.totalStake ? -1 : 1));
  }

  /** The per-UID table of a subnet (btcli's metagraph), with totals. */
  async metagraph(netuid: number): Promise<MetagraphView> {
    const sm = this.sm;
    const [block, n, maxN, tempo, keyEntries, rank, trust, consensus, incentive, dividends, emission, validatorTrust, permit, active, lastUpdate] = await Promise.all([
      this.blockNumber(),
      sm.subnetworkN(netuid),
      sm.maxAllowedUids(netuid),
      sm.tempo(netuid),
      sm.keys.entries(netuid) as Promise<AnyCodec[]>,
      sm.rank(netuid),
      sm.trust(netuid),
      sm.consensus(netuid),
      sm.incentive(netuid),
      sm.dividends(netuid),
      sm.emission(netuid),
      sm.validatorTrust(netuid),
      sm.validatorPermit(netuid),
      sm.active(netuid),
      sm.lastUpdate(netuid),
    ]);
    const hotkeyByUid = new Map<number, string>(keyEntries.map(([key, hk]: AnyCodec) => [num(key.args[1]), hk.toString()]));
    const count = num(n);
    const uids = Array.from({ length: count }, (_, uid) => uid).filter((uid) => hotkeyByUid.has(uid));
    const hotkeys = uids.map((uid) => hotkeyByUid.get(uid)!);
    const [stakes, owners, axons]: AnyCodec[][] = hotkeys.length
      ? await Promise.all([sm.totalHotkeyStake.multi(hotkeys), sm.owner.multi(hotkeys), sm.axons.multi(hotkeys.map((h) => [netuid, h]))])
      : [[], [], []];
    const v = { rank: u16s(rank), trust: u16s(trust), consensus: u16s(consensus), incentive: u16s(incentive), dividends: u16s(dividends), validatorTrust: u16s(validatorTrust), emission: u64s(emission), permit: bools(permit), active: bools(active), lastUpdate: u64s(lastUpdate) };
    const neurons: NeuronView[] = uids.map((uid, i) => {
      const axon = axons[i];
      const hasAxon = axon && !axon.isNone && (axon.isSome ? axon.unwrap() : axon);
      const ax: AnyCodec = hasAxon ? (axon.isSome ? axon.unwrap() : axon) : undefined;
      const axonView: AxonView | undefined =
        ax && big(ax.block) > 0n ? { ip: ipToString(big(ax.ip), num(ax.ipType)), port: num(ax.port), ipType: num(ax.ipType), version: num(ax.version), protocol: num(ax.protocol), block: num(ax.block) } : undefined;
      return {
        uid,
        hotkey: hotkeys[i],
        coldkey: owners[i].toString(),
        stake: big(stakes[i]),
        rank: v.rank[uid] ?? 0,
        trust: v.trust[uid] ?? 0,
        consensus: v.consensus[uid] ?? 0,
        incentive: v.incentive[uid] ?? 0,
        dividends: v.dividends[uid] ?? 0,
        validatorTrust: v.validatorTrust[uid] ?? 0,
        emission: v.emission[uid] ?? 0n,
        validatorPermit: v.permit[uid] ?? false,
        active: v.active[uid] ?? false,
        lastUpdate: Number(v.lastUpdate[uid] ?? 0n),
        axon: axonView,
      };
    });
    const sum = (f: (x: NeuronView) => number) => neurons.reduce((a, x) => a + f(x), 0);
    return {
      netuid,
      block,
      n: count,
      maxN: num(maxN),
      tempo: num(tempo),
      blocksUntilNextEpoch: blocksUntilNextEpoch(netuid, num(tempo), block),
      neurons,
      totals: {
        stake: neurons.reduce((a, x) => a + x.stake, 0n),
        emission: neurons.reduce((a, x) => a + x.emission, 0n),
        rank: sum((x) => x.rank),
        trust: sum((x) => x.trust),
        consensus: sum((x) => x.consensus),
        incentive: sum((x) => x.incentive),
        dividends: sum((x) => x.dividends),
        validatorTrust: sum((x) => x.validatorTrust),
      },
    };
  }

  /** Root network members (netuid 0) with their stake: `root list`. */
  async rootMembers(): Promise<Array<{ uid: number; hotkey: string; stake: bigint }>> {
    const entries: AnyCodec[] = await this.sm.keys.entries(0);
    const members = entries.map(([key, hk]: AnyCodec) => ({ uid: num(key.args[1]), hotkey: hk.toString() })).sort((a, b) => a.uid - b.uid);
    if (members.length === 0) return [];
    const stakes: AnyCodec[] = await this.sm.totalHotkeyStake.multi(members.map((m) => m.hotkey));
    return members.map((m, i) => ({ ...m, stake: big(stakes[i]) }));
  }

  /** The schedule inputs the dashboard plots. */
  async emissionInfo(): Promise<{ blockEmission: bigint; halvingByIssuance: boolean }> {
    const [blockEmission, byIssuance] = await Promise.all([this.sm.blockEmission(), this.sm.emissionHalvingByIssuance ? this.sm.emissionHalvingByIssuance() : Promise.resolve(undefined)]);
    return { blockEmission: big(blockEmission), halvingByIssuance: byIssuance !== undefined && bool(byIssuance) };
  }
}
