/**
 * Our own opinion of each peer (Lodestar's PeerRpcScoreStore, simplified): misbehaviour lowers a
 * score that decays back towards 0 with a half-life; at the ban threshold the peer is disconnected
 * and refused for the ban duration. Not consensus code: time and floats are fine here.
 */
export type PeerAction =
  /** provably malicious or broken: invalid block, bad seal, garbage bytes, non-authority votes */
  | "fatal"
  /** clearly wrong but possibly a bug: a bad transaction signature, an invalid commit */
  | "lowTolerance"
  /** suspicious: a timeout, an oversized or useless response, flooding */
  | "midTolerance"
  /** mildly annoying: a block from a future slot, an unneeded message */
  | "highTolerance";

const PENALTY: Record<PeerAction, number> = { fatal: -100, lowTolerance: -50, midTolerance: -10, highTolerance: -2 };

export interface PeerScoreOptions {
  banThreshold?: number;
  banMs?: number;
  halfLifeMs?: number;
  now?: () => number;
}

interface Entry {
  score: number;
  at: number;
  bannedUntil?: number;
  lastReason?: string;
}

export class PeerScores {
  private readonly entries = new Map<string, Entry>();
  private readonly banThreshold: number;
  private readonly banMs: number;
  private readonly halfLifeMs: number;
  private readonly now: () => number;

  constructor(o: PeerScoreOptions = {}) {
    this.banThreshold = o.banThreshold ?? -100;
    this.banMs = o.banMs ?? 10 * 60_000;
    this.halfLifeMs = o.halfLifeMs ?? 10 * 60_000;
    this.now = o.now ?? Date.now;
  }

  private decayed(e: Entry): number {
    const dt = this.now() - e.at;
    return dt <= 0 ? e.score : e.score * Math.pow(0.5, dt / this.halfLifeMs);
  }

  score(peer: string): number {
    const e = this.entries.get(peer);
    return e ? this.decayed(e) : 0;
  }

  /** Lowers the peer's score; returns true when this penalty bans it. */
  penalize(peer: string, action: PeerAction, reason: string): boolean {
    const e = this.entries.get(peer) ?? { score: 0, at: this.now() };
    const wasBanned = this.isBanned(peer);
    e.score = this.decayed(e) + PENALTY[action];
    e.at = this.now();
    e.lastReason = reason;
    if (e.score <= this.banThreshold && !wasBanned) e.bannedUntil = this.now() + this.banMs;
    this.entries.set(peer, e);
    // forget peers whose record no longer matters
    if (this.entries.size > 10_000) for (const [k, v] of this.entries) if (!this.isBanned(k) && Math.abs(this.decayed(v)) < 1) this.entries.delete(k);
    return !wasBanned && this.isBanned(peer);
  }

  isBanned(peer: string): boolean {
    const until = this.entries.get(peer)?.bannedUntil;
    return until !== undefined && until > this.now();
  }

  lastReason(peer: string): string | undefined {
    return this.entries.get(peer)?.lastReason;
  }

  /** Lifts a ban (an operator adding a reserved peer). */
  forgive(peer: string): void {
    this.entries.delete(peer);
  }

  banned(): string[] {
    return [...this.entries.keys()].filter((p) => this.isBanned(p));
  }
}

/** Per-peer token buckets: `take` is false when the peer sends faster than allowed. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(peer: string): boolean {
    const t = this.now();
    const b = this.buckets.get(peer) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.perSecond);
    b.at = t;
    this.buckets.set(peer, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  forget(peer: string): void {
    this.buckets.delete(peer);
  }
}
