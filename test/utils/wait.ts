/**
 * Waiting in tests without fixed sleeps: a condition re-checked until it holds, with a deadline
 * that only stops a hang (generous: a busy 2-core machine may be slow, never wrong). Prefer
 * awaiting the event itself where there is one; this is for state that several events update.
 */
export async function condition(cond: () => boolean, what: string | (() => string), timeoutMs = 30_000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "function" ? what() : what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
