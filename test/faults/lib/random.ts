/**
 * Reproducible randomness for the fault suites: one seed per run (FAULTS_SEED, or chosen at
 * random and printed), a small fast PRNG (sfc32) per suite derived from it. Re-running with
 * the printed seed replays the same kill moments, partitions and fuzz inputs (timing on a busy
 * machine still varies, so a crash point is reproduced in kind, not to the microsecond).
 */
export function runSeed(): number {
  const env = process.env.FAULTS_SEED;
  if (env !== undefined && env !== "") {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`FAULTS_SEED must be an integer 0…4294967295, got ${env}`);
    return n;
  }
  return (Date.now() ^ (process.pid << 16)) >>> 0;
}

/** splitmix32: spreads a 32-bit value over the whole range (seeding and forking). */
function splitmix32(x: number): number {
  let t = (x + 0x9e3779b9) | 0;
  t = Math.imul(t ^ (t >>> 16), 0x21f0aaad);
  t = Math.imul(t ^ (t >>> 15), 0x735a2d97);
  return (t ^ (t >>> 15)) >>> 0;
}

/** sfc32 (Chris Doty-Humphrey's small fast chaotic generator), seeded through splitmix32. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    this.a = splitmix32(seed);
    this.b = splitmix32(this.a);
    this.c = splitmix32(this.b);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(0, 255);
    return out;
  }

  /** A child generator for one suite or step, so they do not shift each other's sequences. */
  fork(label: string): Prng {
    let h = splitmix32(this.seed);
    for (let i = 0; i < label.length; i++) h = splitmix32(h ^ label.charCodeAt(i));
    return new Prng(h);
  }
}

/** The seed of this run, printed once so a failure can be replayed with FAULTS_SEED. */
export function suiteRandom(suite: string): Prng {
  const seed = runSeed();
  console.log(`[faults] ${suite}: seed ${seed} (replay with FAULTS_SEED=${seed})`);
  return new Prng(seed).fork(suite);
}
