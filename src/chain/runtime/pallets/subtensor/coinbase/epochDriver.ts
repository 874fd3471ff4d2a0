/**
 * The runtime side of a Yuma epoch (classic `epoch(netuid, rao_emission)` at de1026780): reads one
 * subnet's state from storage into the pure function's input, runs `runEpoch`, and writes the
 * per-UID results back in Subtensor's storage forms. Paying the emission out is payout.ts's job.
 *
 * Inputs, per UID 0…SubnetworkN−1: stake = TotalHotkeyStake of the UID's hotkey (classic
 * `get_total_stake_for_hotkey`), LastUpdate, BlockAtRegistration, the stored ValidatorPermit,
 * Weights and Bonds rows; hyperparameters from the subnet's storage.
 *
 * Variant: a subnet with `Yuma3On` runs the current epoch (Yuma3 bonds, bonds penalty, sigmoid
 * liquid alpha, stake threshold = WeightsMinStake, which is HEAD's StakeThreshold); every other
 * subnet runs the classic 2024 epoch (bonds EMA, logistic liquid alpha when LiquidAlphaOn). Both
 * use the subnet's `ActivityCutoff` storage value as the cutoff (this chain keeps the classic
 * hyperparameter that AdminUtils sets; HEAD derives it from the tempo instead). The classic chain
 * has no subnet-owner hotkey, so the current variant runs without the owner exemptions.
 *
 * Entry point: `runEpochFlat`, the fastest exact one. The inputs are read from storage straight into
 * its typed arrays (Weights and Bonds rows decoded from their SCALE bytes into CSR, with no JS
 * array per entry), and the outputs are encoded from its typed arrays into the same bytes the
 * storage codecs write. When the fast path refuses an input (an intermediate value could leave its
 * proven-exact range) runEpochFlat computes the same output on the reference path; the driver then
 * reports `yumaReferenceFallback` with the reason to the runtime's diagnostics (the node logs it
 * and counts it in a metric). The state written is identical either way.
 *
 * `readEpochInput` / `writeEpochOutput` (the EpochInput form, rows as [uid, value] pairs) stay for
 * tests, tools and the equivalence checks.
 */
import type { StorageAccess } from "../../../../state/types.js";
import type { RuntimeDiagnosticsSink } from "../../../frame/dispatch.js";
import { ScaleReader } from "../../../../codec/reader.js";
import { runEpochFlat, unflattenEpochOutput, type EpochInput, type EpochOutput, type FlatEpochInput, type FlatEpochOutput, type FlatRows, type U16Row, type YumaHyperparameters } from "../../../../../consensus/yuma/index.js";
import {
  Active,
  ActivityCutoff,
  AlphaSigmoidSteepness,
  AlphaValues,
  BlockAtRegistration,
  Bonds,
  BondsMovingAverage,
  BondsPenalty,
  Consensus,
  Dividends,
  Emission,
  Incentive,
  Kappa,
  Keys,
  LastMechansimStepBlock,
  LastUpdate,
  LiquidAlphaOn,
  MaxAllowedValidators,
  PruningScores,
  Rank,
  SubnetworkN,
  Tempo,
  TotalHotkeyStake,
  Trust,
  ValidatorPermit,
  ValidatorTrust,
  Weights,
  WeightsMinStake,
  Yuma3On,
} from "../storage.js";

/** (hotkey, server emission, validator emission): what the epoch hands each UID. */
export type EmissionTuple = [hotkey: Uint8Array, server: bigint, validator: bigint];

/** One subnet epoch as the driver ran it: flat input and output, and the UIDs' hotkeys. */
export class SubnetEpoch {
  private pairsInput?: EpochInput;
  private pairsOutput?: EpochOutput;
  constructor(
    readonly flatInput: FlatEpochInput,
    readonly flatOutput: FlatEpochOutput,
    /** Keys[netuid][uid] for every uid */
    readonly hotkeys: Uint8Array[],
  ) {}
  /** The input as an EpochInput (rows as [uid, value] pairs), built on first use. */
  get input(): EpochInput {
    return (this.pairsInput ??= flatToPairsInput(this.flatInput));
  }
  /** The output as an EpochOutput, built on first use. */
  get output(): EpochOutput {
    return (this.pairsOutput ??= unflattenEpochOutput(this.flatOutput));
  }
}

const rowsEqual = (a: U16Row, b: U16Row): boolean => a.length === b.length && a.every(([j, v], k) => b[k][0] === j && b[k][1] === v);

/** The hyperparameters of `netuid`'s epoch (and its variant) from storage. */
function readHyperparameters(state: StorageAccess, netuid: number): { yuma3: boolean; hyperparameters: YumaHyperparameters } {
  const yuma3 = Yuma3On.get(state, netuid);
  const [alphaLow, alphaHigh] = AlphaValues.get(state, netuid);
  return {
    yuma3,
    hyperparameters: {
      kappa: Kappa.get(state, netuid),
      bondsMovingAverage: BondsMovingAverage.get(state, netuid),
      bondsPenalty: BondsPenalty.get(state, netuid),
      activityCutoff: BigInt(ActivityCutoff.get(state, netuid)),
      maxAllowedValidators: MaxAllowedValidators.get(state, netuid),
      tempo: Tempo.get(state, netuid),
      lastMechanismStepBlock: LastMechansimStepBlock.get(state, netuid),
      liquidAlphaEnabled: LiquidAlphaOn.get(state, netuid),
      alphaLow,
      alphaHigh,
      alphaSigmoidSteepness: AlphaSigmoidSteepness.get(state, netuid),
      yuma3Enabled: yuma3,
      stakeThreshold: yuma3 ? WeightsMinStake.get(state) : 0n,
      ownerUid: null,
    },
  };
}

/** The epoch input for `netuid` from storage, at `block`, handing out `raoEmission` (rows as [uid, value] pairs). */
export function readEpochInput(state: StorageAccess, netuid: number, block: bigint, raoEmission: bigint): { input: EpochInput; hotkeys: Uint8Array[] } {
  const n = SubnetworkN.get(state, netuid);
  const hotkeys: Uint8Array[] = [];
  const stake: bigint[] = [];
  const blockAtRegistration: bigint[] = [];
  const weights: U16Row[] = [];
  const bonds: U16Row[] = [];
  for (let uid = 0; uid < n; uid++) {
    const hotkey = Keys.get(state, netuid, uid);
    hotkeys.push(hotkey);
    stake.push(TotalHotkeyStake.get(state, hotkey));
    blockAtRegistration.push(BlockAtRegistration.get(state, netuid, uid));
    weights.push(Weights.get(state, netuid, uid));
    bonds.push(Bonds.get(state, netuid, uid));
  }
  // the per-UID vectors grow with every registration; pad (or cut) defensively to n
  const fit = <T>(v: readonly T[], fill: T): T[] => Array.from({ length: n }, (_, i) => (i < v.length ? v[i] : fill));
  const lastUpdate = fit(LastUpdate.get(state, netuid), 0n);
  const validatorPermit = fit(ValidatorPermit.get(state, netuid), false);
  const { yuma3, hyperparameters } = readHyperparameters(state, netuid);
  const input: EpochInput = {
    version: yuma3 ? "current" : "classic",
    n,
    currentBlock: block,
    raoEmission,
    stake,
    lastUpdate,
    blockAtRegistration,
    validatorPermit,
    weights,
    bonds,
    hyperparameters,
  };
  return { input, hotkeys };
}

// ------------------------------------------------------------------------------------------------
// The flat path: storage bytes ↔ typed arrays

/** Full key of a (netuid, uid) double map with Identity hashers: prefix ‖ netuid LE ‖ uid LE. */
function netUidKey(prefix: Uint8Array, netuid: number, uid: number): Uint8Array {
  const k = new Uint8Array(prefix.length + 4);
  k.set(prefix);
  const p = prefix.length;
  k[p] = netuid & 0xff;
  k[p + 1] = netuid >> 8;
  k[p + 2] = uid & 0xff;
  k[p + 3] = uid >> 8;
  return k;
}

/** Full key of a map keyed by netuid (Identity): prefix ‖ netuid LE. */
function netKey(prefix: Uint8Array, netuid: number): Uint8Array {
  const k = new Uint8Array(prefix.length + 2);
  k.set(prefix);
  k[prefix.length] = netuid & 0xff;
  k[prefix.length + 1] = netuid >> 8;
  return k;
}

/**
 * Weights or Bonds rows of uids 0…n−1 straight from their SCALE bytes (Vec<(u16, u16)>: compact
 * length, then little-endian pairs) into CSR. A value that is not exactly that shape is decoded by
 * the item's codec, which throws the error the pairs path would.
 */
function readRows(state: StorageAccess, item: typeof Weights, netuid: number, n: number): FlatRows {
  const prefix = item.key();
  const raws: Array<Uint8Array | undefined> = new Array(n);
  const offsets = new Uint32Array(n);
  const start = new Uint32Array(n + 1);
  let total = 0;
  for (let uid = 0; uid < n; uid++) {
    const raw = state.get(netUidKey(prefix, netuid, uid));
    let len = 0;
    if (raw !== undefined) {
      const r = new ScaleReader(raw);
      try {
        len = r.compactNumber();
      } catch {
        len = -1;
      }
      if (len < 0 || r.remaining !== len * 4) {
        // not canonical Vec<(u16, u16)>: the codec decides (and throws like Weights.get would)
        const row = item.get(state, netuid, uid);
        const bytes = new Uint8Array(row.length * 4);
        row.forEach(([j, v], i) => {
          bytes[i * 4] = j & 0xff;
          bytes[i * 4 + 1] = j >> 8;
          bytes[i * 4 + 2] = v & 0xff;
          bytes[i * 4 + 3] = v >> 8;
        });
        raws[uid] = bytes;
        offsets[uid] = 0;
        len = row.length;
      } else {
        raws[uid] = raw;
        offsets[uid] = r.offset;
      }
    }
    total += len;
    start[uid + 1] = total;
  }
  const col = new Uint16Array(total);
  const val = new Uint16Array(total);
  for (let uid = 0; uid < n; uid++) {
    const raw = raws[uid];
    if (raw === undefined) continue;
    let o = offsets[uid];
    for (let p = start[uid]; p < start[uid + 1]; p++, o += 4) {
      col[p] = raw[o] | (raw[o + 1] << 8);
      val[p] = raw[o + 2] | (raw[o + 3] << 8);
    }
  }
  return { start, col, val };
}

/** The epoch input in flat form (typed arrays, CSR rows) from storage; same values as readEpochInput. */
export function readFlatEpochInput(state: StorageAccess, netuid: number, block: bigint, raoEmission: bigint): { input: FlatEpochInput; hotkeys: Uint8Array[] } {
  const n = SubnetworkN.get(state, netuid);
  const hotkeys: Uint8Array[] = new Array(n);
  const stake = new BigUint64Array(n);
  const blockAtRegistration = new BigUint64Array(n);
  const keysPrefix = Keys.key();
  const barPrefix = BlockAtRegistration.key();
  for (let uid = 0; uid < n; uid++) {
    // Keys and BlockAtRegistration are fixed-size values: decode by their codecs (cheap), keyed directly
    const rawKey = state.get(netUidKey(keysPrefix, netuid, uid));
    const hotkey = rawKey === undefined ? Keys.get(state, netuid, uid) : Keys.value.decode(rawKey);
    hotkeys[uid] = hotkey;
    stake[uid] = TotalHotkeyStake.get(state, hotkey);
    const rawBar = state.get(netUidKey(barPrefix, netuid, uid));
    blockAtRegistration[uid] = rawBar === undefined ? 0n : BlockAtRegistration.value.decode(rawBar);
  }
  const lastUpdateStored = LastUpdate.get(state, netuid);
  const lastUpdate = new BigUint64Array(n);
  for (let i = 0; i < n && i < lastUpdateStored.length; i++) lastUpdate[i] = lastUpdateStored[i];
  const permitStored = ValidatorPermit.get(state, netuid);
  const validatorPermit = new Uint8Array(n);
  for (let i = 0; i < n && i < permitStored.length; i++) validatorPermit[i] = permitStored[i] ? 1 : 0;
  const { yuma3, hyperparameters } = readHyperparameters(state, netuid);
  const input: FlatEpochInput = {
    version: yuma3 ? "current" : "classic",
    n,
    currentBlock: block,
    raoEmission,
    stake,
    lastUpdate,
    blockAtRegistration,
    validatorPermit,
    weights: readRows(state, Weights, netuid, n),
    bonds: readRows(state, Bonds, netuid, n),
    hyperparameters,
  };
  return { input, hotkeys };
}

/** SCALE compact length prefix followed by `bytesPerItem × n` bytes; returns [buffer, offset of the first item]. */
function vecBuffer(n: number, bytesPerItem: number): [Uint8Array, number] {
  const head = n < 64 ? 1 : n < 1 << 14 ? 2 : n < 1 << 30 ? 4 : 0;
  if (head === 0) throw new RangeError(`vector of ${n} items`);
  const out = new Uint8Array(head + n * bytesPerItem);
  if (head === 1) out[0] = n << 2;
  else if (head === 2) {
    const v = (n << 2) | 1;
    out[0] = v & 0xff;
    out[1] = v >> 8;
  } else {
    const v = n * 4 + 2;
    out[0] = v & 0xff;
    out[1] = (v >>> 8) & 0xff;
    out[2] = (v >>> 16) & 0xff;
    out[3] = (v >>> 24) & 0xff;
  }
  return [out, head];
}

/** Vec<u16> exactly as vec(u16) encodes it. */
export function encodeVecU16(v: Uint16Array): Uint8Array {
  const [out, o] = vecBuffer(v.length, 2);
  for (let i = 0; i < v.length; i++) {
    out[o + 2 * i] = v[i] & 0xff;
    out[o + 2 * i + 1] = v[i] >> 8;
  }
  return out;
}

/** Vec<bool> from 0/1 bytes, exactly as vec(bool) encodes it. */
export function encodeVecBool(v: Uint8Array): Uint8Array {
  const [out, o] = vecBuffer(v.length, 1);
  for (let i = 0; i < v.length; i++) out[o + i] = v[i] ? 1 : 0;
  return out;
}

/** Vec<u64> exactly as vec(u64) encodes it. */
export function encodeVecU64(v: BigUint64Array): Uint8Array {
  const [out, o] = vecBuffer(v.length, 8);
  const dv = new DataView(out.buffer, out.byteOffset);
  for (let i = 0; i < v.length; i++) dv.setBigUint64(o + 8 * i, v[i], true);
  return out;
}

/** Row `i` of CSR rows as Vec<(u16, u16)>, exactly as the sparse row codec encodes it. */
export function encodeCsrRow(rows: FlatRows, i: number): Uint8Array {
  const from = rows.start[i];
  const to = rows.start[i + 1];
  const [out, o] = vecBuffer(to - from, 4);
  for (let p = from, q = o; p < to; p++, q += 4) {
    out[q] = rows.col[p] & 0xff;
    out[q + 1] = rows.col[p] >> 8;
    out[q + 2] = rows.val[p] & 0xff;
    out[q + 3] = rows.val[p] >> 8;
  }
  return out;
}

function csrRowsEqual(a: FlatRows, i: number, b: FlatRows, k: number): boolean {
  const la = a.start[i + 1] - a.start[i];
  if (la !== b.start[k + 1] - b.start[k]) return false;
  for (let p = a.start[i], q = b.start[k], e = a.start[i + 1]; p < e; p++, q++) if (a.col[p] !== b.col[q] || a.val[p] !== b.val[q]) return false;
  return true;
}

/**
 * writeEpochOutput from the flat form: the same items, the same bytes (the vectors encoded from
 * the typed arrays as their codecs encode them), the same bond-row rule.
 */
export function writeFlatEpochOutput(state: StorageAccess, netuid: number, input: FlatEpochInput, output: FlatEpochOutput): void {
  state.set(netKey(Active.key(), netuid), encodeVecBool(output.active));
  state.set(netKey(Emission.key(), netuid), encodeVecU64(output.emission));
  state.set(netKey(Rank.key(), netuid), encodeVecU16(output.rank));
  state.set(netKey(Trust.key(), netuid), encodeVecU16(output.trust));
  state.set(netKey(Consensus.key(), netuid), encodeVecU16(output.consensus));
  state.set(netKey(Incentive.key(), netuid), encodeVecU16(output.incentive));
  state.set(netKey(Dividends.key(), netuid), encodeVecU16(output.dividends));
  state.set(netKey(PruningScores.key(), netuid), encodeVecU16(output.pruningScores));
  state.set(netKey(ValidatorTrust.key(), netuid), encodeVecU16(output.validatorTrust));
  state.set(netKey(ValidatorPermit.key(), netuid), encodeVecBool(output.validatorPermit));
  const bondsPrefix = Bonds.key();
  const oldPermit = input.validatorPermit;
  for (let uid = 0; uid < input.n; uid++) {
    if (output.validatorPermit[uid] || oldPermit[uid] || !csrRowsEqual(output.bonds, uid, input.bonds, uid)) {
      state.set(netUidKey(bondsPrefix, netuid, uid), encodeCsrRow(output.bonds, uid));
    }
  }
}

/**
 * Writes the epoch's per-UID results: Active, Emission, Rank, Trust, Consensus, Incentive,
 * Dividends, PruningScores, ValidatorTrust, ValidatorPermit, and the bond rows the way Subtensor
 * does: a UID with a new permit gets its new row, one that lost its permit an empty row, and the
 * others keep theirs (unless the epoch variant rewrote it, as the current one may).
 */
export function writeEpochOutput(state: StorageAccess, netuid: number, input: EpochInput, output: EpochOutput): void {
  Active.put(state, output.active, netuid);
  Emission.put(state, output.emission, netuid);
  Rank.put(state, output.rank, netuid);
  Trust.put(state, output.trust, netuid);
  Consensus.put(state, output.consensus, netuid);
  Incentive.put(state, output.incentive, netuid);
  Dividends.put(state, output.dividends, netuid);
  PruningScores.put(state, output.pruningScores, netuid);
  ValidatorTrust.put(state, output.validatorTrust, netuid);
  ValidatorPermit.put(state, output.validatorPermit, netuid);
  for (let uid = 0; uid < input.n; uid++) {
    const row = output.bonds[uid];
    if (output.validatorPermit[uid] || input.validatorPermit[uid] || !rowsEqual(row, input.bonds[uid])) Bonds.put(state, row, netuid, uid);
  }
}

/**
 * Runs the epoch of `netuid` at `block` with `raoEmission` and persists its results, on the fast
 * exact path; a fallback to the reference path is reported to `diagnostics` (same results).
 */
export function runSubnetEpoch(state: StorageAccess, netuid: number, block: bigint, raoEmission: bigint, diagnostics?: RuntimeDiagnosticsSink): SubnetEpoch {
  const { input, hotkeys } = readFlatEpochInput(state, netuid, block, raoEmission);
  const output = runEpochFlat(input, {
    onReferenceFallback: (reason) => diagnostics?.report({ kind: "yumaReferenceFallback", netuid, block: Number(block), reason }),
  });
  writeFlatEpochOutput(state, netuid, input, output);
  return new SubnetEpoch(input, output, hotkeys);
}

/** The (hotkey, server, validator) tuples of an epoch, one per UID (classic `epoch`'s return value). */
export function emissionTuples(e: SubnetEpoch): EmissionTuple[] {
  const { serverEmission, validatorEmission } = e.flatOutput;
  return e.hotkeys.map((hotkey, uid): EmissionTuple => [hotkey, serverEmission[uid], validatorEmission[uid]]);
}

/** EpochInput from the flat form (what readEpochInput returns for the same state). */
function flatToPairsInput(f: FlatEpochInput): EpochInput {
  const rows = (r: FlatRows): U16Row[] =>
    Array.from({ length: f.n }, (_, i) => {
      const row: U16Row = [];
      for (let p = r.start[i]; p < r.start[i + 1]; p++) row.push([r.col[p], r.val[p]]);
      return row;
    });
  return {
    version: f.version,
    n: f.n,
    currentBlock: f.currentBlock,
    raoEmission: f.raoEmission,
    stake: Array.from(f.stake),
    lastUpdate: Array.from(f.lastUpdate),
    blockAtRegistration: Array.from(f.blockAtRegistration),
    validatorPermit: Array.from(f.validatorPermit as ArrayLike<number | boolean>, (p) => p === true || p === 1),
    weights: rows(f.weights),
    bonds: rows(f.bonds),
    hyperparameters: { ...f.hyperparameters },
  };
}
