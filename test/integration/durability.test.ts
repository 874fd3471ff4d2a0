/**
 * Crash safety with a real process: SIGKILL at arbitrary moments while blocks are being written,
 * then restart on the same base path: the node continues from its last committed block with a
 * state that is complete and matches the header's state root. SIGTERM shuts down cleanly.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { NodeProcess, rpc } from "../utils/nodeProcess.js";

const procs: NodeProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) await p.kill("SIGKILL");
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function startNode(basePath: string): NodeProcess {
  const p = NodeProcess.start(["start", "--dev", "--base-path", basePath, "--rpc-port", "0", "--block-time", "200", "--log-level", "info", "--listen-addr", "/ip4/127.0.0.1/tcp/0"]);
  procs.push(p);
  return p;
}

describe("durability", () => {
  it("restarts at its last committed block after SIGKILL, repeatedly", async () => {
    const basePath = mkdtempSync(join(tmpdir(), "subtensor-ts-crash-"));
    dirs.push(basePath);
    let lastSeen = 0;
    // kill points: just after an import was logged, and a little later (mid-slot / mid-write)
    const delays = [0, 37, 90, 151, 5];
    for (const delay of delays) {
      const p = startNode(basePath);
      const port = await p.rpcPort();
      const head = await rpc(port, "chain_getHeader");
      const restartedAt = parseInt(head.result.number, 16);
      expect(restartedAt).toBeGreaterThanOrEqual(lastSeen);
      // the state at the head is complete: every key is readable through the trie
      const keys = await rpc(port, "state_getKeysPaged", ["0x", 1000, null]);
      expect(keys.result.length).toBeGreaterThan(10);
      const target = restartedAt + 2;
      await p.waitFor((l) => l.msg.startsWith("Imported #") && (l.number as number) >= target);
      if (delay) await new Promise((r) => setTimeout(r, delay));
      lastSeen = Math.max(...p.importedNumbers());
      await p.kill("SIGKILL");
    }
    const p = startNode(basePath);
    const port = await p.rpcPort();
    const head = await rpc(port, "chain_getHeader");
    expect(parseInt(head.result.number, 16)).toBeGreaterThanOrEqual(lastSeen);
    const finalized = await rpc(port, "chain_getFinalizedHead");
    expect(finalized.result).toMatch(/^0x[0-9a-f]{64}$/);
    const exit = await p.kill("SIGTERM");
    expect(exit.code).toBe(0);
    expect(p.lines.some((l) => l.msg === "Node stopped")).toBe(true);
  });

  it("a second node on the same base path is refused with a clear error", async () => {
    const basePath = mkdtempSync(join(tmpdir(), "subtensor-ts-lock-"));
    dirs.push(basePath);
    const first = startNode(basePath);
    await first.rpcPort();
    const second = startNode(basePath);
    const exit = await second.exited;
    expect(exit.code).toBe(1);
    expect(second.stderr.join("\n")).toMatch(/in use by another process/);
    await first.kill("SIGTERM");
  });
});
