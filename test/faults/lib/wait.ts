/** Waiting in the fault suites: every wait is a polled condition with a deadline, never a bare sleep. */

export class DeadlineError extends Error {
  override name = "DeadlineError";
}

/**
 * Polls `cond` (sync or async; an exception counts as "not yet") every `intervalMs` until it
 * returns a truthy value, which is returned; throws DeadlineError after `timeoutMs`.
 */
export async function poll<T>(cond: () => T | Promise<T>, timeoutMs: number, what: string | (() => string), intervalMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const w = typeof what === "string" ? what : what();
      throw new DeadlineError(`timed out after ${timeoutMs} ms waiting for ${w}${lastError ? ` (last error: ${(lastError as Error).message})` : ""}`);
    }
    await delay(intervalMs);
  }
}

/** A pause that is part of a scenario (a partition held for a while, a kill moment), not a wait for a condition. */
export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Races a promise against a deadline. */
export async function withDeadline<T>(p: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DeadlineError(`timed out after ${timeoutMs} ms: ${what}`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
