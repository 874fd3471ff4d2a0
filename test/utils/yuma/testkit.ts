/**
 * A minimal model of one subnet's consensus state across epochs, reproducing what Subtensor's
 * storage does between epochs (registration, `set_weights`, persisting an epoch's outputs). Used
 * to replay Subtensor's own multi-epoch tests and by the benchmark; the runtime pallet keeps its
 * own state but must apply the same rules (subnets/uids.rs, subnets/weights.rs).
 */
import { runEpoch } from "../../../src/consensus/yuma/epoch.js";
import { vecU16MaxUpscaleToU16 } from "../../../src/consensus/yuma/math.js";
import { defaultHyperparameters, type EpochInput, type EpochOutput, type U16Row, type YumaHyperparameters, type YumaVersion } from "../../../src/consensus/yuma/types.js";

export class SubnetSim {
  block: bigint;
  readonly version: YumaVersion;
  readonly hp: YumaHyperparameters;
  stake: bigint[] = [];
  lastUpdate: bigint[] = [];
  blockAtRegistration: bigint[] = [];
  validatorPermit: boolean[] = [];
  weights: U16Row[] = [];
  bonds: U16Row[] = [];
  last: EpochOutput | null = null;

  constructor(opts: { version?: YumaVersion; block?: bigint; hyperparameters?: Partial<YumaHyperparameters> } = {}) {
    this.version = opts.version ?? "current";
    this.block = opts.block ?? 1n;
    this.hp = { ...defaultHyperparameters(), ...opts.hyperparameters };
  }

  get n(): number {
    return this.stake.length;
  }

  /** `append_neuron`: new uid at the end; LastUpdate = BlockAtRegistration = block; no permit. */
  append(stake: bigint = 0n, block: bigint = this.block): number {
    this.stake.push(stake);
    this.lastUpdate.push(block);
    this.blockAtRegistration.push(block);
    this.validatorPermit.push(false);
    this.weights.push([]);
    this.bonds.push([]);
    return this.n - 1;
  }

  /**
   * current `replace_neuron` + `clear_neuron`: the uid's own weight and bond rows are removed,
   * every other row's weight TO it is set to 0 (an explicit zero entry stays), permit cleared,
   * LastUpdate = BlockAtRegistration = block; the new hotkey brings `stake`.
   */
  replace(uid: number, stake: bigint = 0n, block: bigint = this.block): void {
    if (this.version === "classic") {
      // classic replace_neuron (688d4a7ff) only moves BlockAtRegistration; the old hotkey's
      // stake is withdrawn, weights/bonds/permit/LastUpdate stay as they were
      this.blockAtRegistration[uid] = block;
      this.stake[uid] = stake;
      return;
    }
    this.weights[uid] = [];
    this.bonds[uid] = [];
    for (const row of this.weights) for (const e of row) if (e[0] === uid) e[1] = 0;
    this.validatorPermit[uid] = false;
    this.blockAtRegistration[uid] = block;
    this.lastUpdate[uid] = block;
    this.stake[uid] = stake;
  }

  /** `do_set_weights`: stores the max-upscaled values in the given order; LastUpdate = block. */
  setWeights(uid: number, dests: readonly number[], values: readonly number[]): void {
    const upscaled = vecU16MaxUpscaleToU16(values);
    this.weights[uid] = dests.map((d, k) => [d, upscaled[k]]);
    this.lastUpdate[uid] = this.block;
  }

  /** Writes a weight row directly into storage (tests that bypass `set_weights`). */
  setWeightsRaw(uid: number, row: U16Row): void {
    this.weights[uid] = row.map(([j, v]) => [j, v]);
  }

  nextBlock(count = 1): void {
    this.block += BigInt(count);
  }

  runToBlock(block: bigint): void {
    if (block > this.block) this.block = block;
  }

  input(raoEmission: bigint): EpochInput {
    return {
      version: this.version,
      n: this.n,
      currentBlock: this.block,
      raoEmission,
      stake: this.stake.slice(),
      lastUpdate: this.lastUpdate.slice(),
      blockAtRegistration: this.blockAtRegistration.slice(),
      validatorPermit: this.validatorPermit.slice(),
      weights: this.weights.map((r) => r.map(([j, v]) => [j, v] as [number, number])),
      bonds: this.bonds.map((r) => r.map(([j, v]) => [j, v] as [number, number])),
      hyperparameters: { ...this.hp },
    };
  }

  /** Runs the epoch at the current block and persists permits and bonds, as `epoch()` does. */
  epoch(raoEmission: bigint = 1_000_000_000n, run: (i: EpochInput) => EpochOutput = runEpoch): EpochOutput {
    const out = run(this.input(raoEmission));
    this.validatorPermit = out.validatorPermit.slice();
    this.bonds = out.bonds.map((r) => r.map(([j, v]) => [j, v] as [number, number]));
    this.last = out;
    return out;
  }

  /** Stored bond (i, j) as u16, 0 when absent (Subtensor's dense `get_bonds`). */
  bond(i: number, j: number): number {
    const e = this.bonds[i]?.find(([c]) => c === j);
    return e ? e[1] : 0;
  }
}

export interface SyntheticOptions {
  n: number;
  /** validators (with stake, permits and dense weights); default n/4, at least 2 */
  validators?: number;
  seed: number;
  version: YumaVersion;
}

/**
 * A deterministic "live" subnet for benchmarks and property tests: the first `validators` uids
 * have stake, old permits and recent weights on every other uid (dense), and bonds from earlier
 * epochs on two thirds of them; the rest are miners. A small LCG driven by `seed` keeps it
 * reproducible without Math.random.
 */
export function syntheticEpochInput(opts: SyntheticOptions): EpochInput {
  const { n, seed, version } = opts;
  let x = seed >>> 0 || 1;
  const next = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x >>> 8;
  };
  const validators = opts.validators ?? Math.max(2, n >> 2);
  const isV = (i: number): boolean => i < validators;
  const weights: U16Row[] = [];
  const bonds: U16Row[] = [];
  for (let i = 0; i < n; i++) {
    const w: U16Row = [];
    const b: U16Row = [];
    if (isV(i))
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        w.push([j, next() % 65536]);
        if (next() % 3 !== 0) b.push([j, next() % 65536]);
      }
    weights.push(w);
    bonds.push(b);
  }
  return {
    version,
    n,
    currentBlock: 1000n,
    raoEmission: 1_000_000_000n,
    stake: Array.from({ length: n }, (_, i) => (isV(i) ? BigInt(1 + (next() % 1_000_000)) * 1_000_000_000n : 0n)),
    lastUpdate: Array.from({ length: n }, (_, i) => (isV(i) ? 999n : 10n)),
    blockAtRegistration: Array.from({ length: n }, () => 5n),
    validatorPermit: Array.from({ length: n }, (_, i) => isV(i)),
    weights,
    bonds,
    hyperparameters: {
      ...defaultHyperparameters(),
      maxAllowedValidators: validators,
      yuma3Enabled: version === "current",
    },
  };
}
