/**
 * Node processes for the fault suites: the built CLI (dist/) as a real OS process (optionally
 * inside a network namespace), its JSON log lines, waits with deadlines, RSS, JSON-RPC with a
 * timeout, and a registry so every process a suite started is killed at the end, even on failure.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { CLI, NodeProcess, type LogLine } from "../../utils/nodeProcess.js";
import { DeadlineError } from "./wait.js";

export { CLI, NodeProcess, type LogLine };

const running = new Set<NodeProcess>();

// a suite stopped by a signal (CI's timeout, Ctrl-C) takes its node processes with it
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    for (const p of running) if (isRunning(p)) p.child.kill("SIGKILL");
    process.exit(signal === "SIGTERM" ? 143 : 130);
  });
}

export interface SpawnOptions {
  /** run inside this network namespace (`ip netns exec`, which execs: the pid is the node's) */
  netns?: string;
  env?: Record<string, string>;
}

/** Starts `node dist/src/cli/index.js …args` and registers it for cleanup. */
export function spawnCli(args: string[], o: SpawnOptions = {}): NodeProcess {
  const env = { ...process.env, NO_COLOR: "1", ...o.env };
  const child = o.netns
    ? spawn("ip", ["netns", "exec", o.netns, process.execPath, CLI, ...args], { stdio: ["ignore", "pipe", "pipe"], env })
    : spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"], env });
  const p = new NodeProcess(child);
  running.add(p);
  void p.exited.then(() => running.delete(p));
  return p;
}

export function isRunning(p: NodeProcess): boolean {
  return p.child.exitCode === null && p.child.signalCode === null;
}

/** SIGKILLs every process the suite started that is still running (afterAll / afterEach). */
export async function killAll(): Promise<void> {
  const ps = [...running];
  for (const p of ps) if (isRunning(p)) p.child.kill("SIGKILL");
  await Promise.all(ps.map((p) => p.exited));
}

/** Waits for a log line (past or future) with a deadline; fails early if the process exits. */
export async function waitLine(p: NodeProcess, test: (l: LogLine) => boolean, timeoutMs: number, what: string): Promise<LogLine> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p.waitFor(test),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DeadlineError(`timed out after ${timeoutMs} ms waiting for ${what}; last lines: ${p.lines.slice(-5).map((l) => l.msg).join(" | ")}; stderr: ${p.stderr.slice(-5).join(" | ")}`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The process's resident set size in bytes (Linux /proc), or undefined once it is gone. */
export function rssBytes(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Log lines of imports: number and full hash. */
export function imports(p: NodeProcess): Array<{ number: number; hash: string }> {
  return p.lines.filter((l) => l.msg.startsWith("Imported #") && typeof l.hash === "string").map((l) => ({ number: l.number as number, hash: l.hash as string }));
}

/** Log lines of finality: number and full hash. */
export function finalizations(p: NodeProcess): Array<{ number: number; hash: string }> {
  return p.lines.filter((l) => l.msg.startsWith("Finalized #") && typeof l.hash === "string").map((l) => ({ number: l.number as number, hash: l.hash as string }));
}

export class RpcCallError extends Error {
  constructor(
    readonly method: string,
    readonly error: { code: number; message: string; data?: unknown },
  ) {
    super(`${method}: ${error.code} ${error.message}${error.data !== undefined ? ` (${JSON.stringify(error.data)})` : ""}`);
  }
}

/** One JSON-RPC call over HTTP with a timeout; returns the result, throws RpcCallError on an error reply. */
export async function rpcCall(url: string, method: string, params: unknown[] = [], timeoutMs = 10_000): Promise<any> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await res.json()) as { result?: unknown; error?: { code: number; message: string } };
  if (body.error) throw new RpcCallError(method, body.error);
  return body.result;
}

/** A TCP port free on 127.0.0.1 right now (for a node that must keep one address across restarts). */
export { freePort } from "../../../bench/network.js";
