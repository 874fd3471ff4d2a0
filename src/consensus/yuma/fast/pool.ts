/**
 * Scratch typed arrays reused from one epoch to the next. An epoch allocates a dozen arrays the
 * size of its weight/bond matrices; allocating them afresh each time costs zeroing, page faults
 * and external-memory-triggered full GCs (which then mark the caller's whole heap). The epoch is
 * synchronous and never hands a pooled array to its caller, so one module-level set suffices.
 *
 * Each slot has one owner at a time: the slot numbers below name what lives there during an
 * epoch. Views are returned uninitialised (callers write before reading, or fill). The buffers
 * keep the size of the largest epoch run so far (about 40 bytes per weight/bond entry);
 * `releaseEpochBuffers` hands them back to the GC.
 */
export const Slot = {
  /** normalised weights W */
  WeightCol: 0,
  WeightVal: 1,
  /** clipped weights W̄ */
  ClipCol: 2,
  ClipVal: 3,
  /** interpolated weights for bonds (0 < bonds_penalty < 1) */
  InterpCol: 4,
  InterpVal: 5,
  /** stored bonds B */
  BondCol: 6,
  BondVal: 7,
  /** Δ = weights ⊙ stake, column-normalised (Yuma2, classic) */
  DeltaVal: 8,
  /** EMA bonds */
  EmaCol: 9,
  EmaVal: 10,
  /** median: entries grouped by column */
  ByColK: 11,
  ByColVal: 12,
  /** integer bond values before column normalisation */
  BondInt: 13,
  /** runEpoch's packed input rows (u16 columns and values, u32 offsets) */
  PackedWeights: 14,
  PackedBonds: 15,
  Count: 16,
} as const;
export type Slot = (typeof Slot)[keyof typeof Slot];

class Pool {
  private readonly f64: (Float64Array | undefined)[] = new Array(Slot.Count);
  private readonly i32: (Int32Array | undefined)[] = new Array(Slot.Count);
  private readonly u16a: (Uint16Array | undefined)[] = new Array(Slot.Count);
  private readonly u16b: (Uint16Array | undefined)[] = new Array(Slot.Count);
  private readonly u32: (Uint32Array | undefined)[] = new Array(Slot.Count);

  f(slot: Slot, len: number): Float64Array {
    let b = this.f64[slot];
    if (b === undefined || b.length < len) {
      b = new Float64Array(grow(len));
      this.f64[slot] = b;
    }
    return b.subarray(0, len);
  }

  i(slot: Slot, len: number): Int32Array {
    let b = this.i32[slot];
    if (b === undefined || b.length < len) {
      b = new Int32Array(grow(len));
      this.i32[slot] = b;
    }
    return b.subarray(0, len);
  }

  /** two u16 arrays (columns, values) of one slot */
  u16Pair(slot: Slot, len: number): [Uint16Array, Uint16Array] {
    let a = this.u16a[slot];
    let b = this.u16b[slot];
    if (a === undefined || b === undefined || a.length < len) {
      a = new Uint16Array(grow(len));
      b = new Uint16Array(grow(len));
      this.u16a[slot] = a;
      this.u16b[slot] = b;
    }
    return [a.subarray(0, len), b.subarray(0, len)];
  }

  u(slot: Slot, len: number): Uint32Array {
    let b = this.u32[slot];
    if (b === undefined || b.length < len) {
      b = new Uint32Array(grow(len));
      this.u32[slot] = b;
    }
    return b.subarray(0, len);
  }

  /** Drops every buffer (e.g. after an unusually large epoch). */
  clear(): void {
    this.f64.fill(undefined);
    this.i32.fill(undefined);
    this.u16a.fill(undefined);
    this.u16b.fill(undefined);
    this.u32.fill(undefined);
  }
}

/** capacity with headroom, so slowly growing subnets do not reallocate every epoch */
function grow(len: number): number {
  return Math.max(64, len + (len >> 3));
}

export const pool = new Pool();

/** Releases the scratch buffers the fast epoch keeps between calls. */
export function releaseEpochBuffers(): void {
  pool.clear();
}
