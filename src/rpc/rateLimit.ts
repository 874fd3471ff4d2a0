/**
 * Per-connection call rate limit (`--rpc-rate-limit`, calls per minute): a token bucket holding up
 * to `perMinute` calls that refills continuously at `perMinute` per minute (the quota governor
 * gives Substrate's rate-limit middleware). A call that finds the bucket empty is refused at once
 * with a JSON-RPC error, rather than delayed: a client learns it went too fast, and a flood costs
 * the node nothing but the refusal.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!Number.isInteger(perMinute) || perMinute <= 0) throw new Error("RateLimiter: perMinute must be a positive integer");
    this.tokens = perMinute;
    this.last = now();
  }

  /** Takes one call from the bucket; false when the limit is reached. */
  tryTake(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.perMinute, this.tokens + ((t - this.last) * this.perMinute) / 60_000);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
