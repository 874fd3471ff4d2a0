/**
 * Kills outside steady running: during a node's first start (genesis written to a new database,
 * node key created) and during `purge-chain`. Kill moments are seeded random delays around the
 * measured moment of the write, and kills triggered by the file system itself (inotify through
 * fs.watch: the kill lands right as a file of the database or the node key appears or changes).
 * Whatever the moment, the next start must either start cleanly — on an intact chain or a fresh
 * genesis, never something in between — or refuse with a clear one-line error; a database the
 * node starts on must pass the offline checks (lib/dbCheck.ts).
 */
import { afterAll, describe, expect, it } from "vitest";
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { devChainSpec } from "../../src/chain/spec.js";
import { Node } from "../../src/node/node.js";
import { buildChain, fundSenders } from "../../bench/chainBuilder.js";
import { suiteRandom } from "./lib/random.js";
import { isRunning, killAll, spawnCli, waitLine, type NodeProcess } from "./lib/proc.js";
import { TempDirs } from "./lib/tempDirs.js";
import { checkDatabase, type DiskState } from "./lib/dbCheck.js";
import { delay, withDeadline } from "./lib/wait.js";
import { watchTree, type TreeWatcher } from "./lib/treeWatch.js";

const rnd = suiteRandom("lifecycle");
const dirs = new TempDirs();
const summary: string[] = [];

const tempDir = (name: string): string => dirs.make(name);

afterAll(async () => {
  await killAll();
  dirs.removeAll();
  if (summary.length) console.log(`[faults] lifecycle summary\n  ${summary.join("\n  ")}`);
});

/** Kills `p` when `watcher` reports a matching file event (or never); returns the event that did it. */
function killOnFileEvent(p: NodeProcess, root: string, match: (file: string, event: string) => boolean): { watcher: TreeWatcher; fired: () => string | undefined } {
  let fired: string | undefined;
  // not fs.watch's recursive mode: on Node 20 it throws (uncaught) when a watched directory is renamed
  const watcher = watchTree(root, (event, file) => {
    if (fired || !match(file, event)) return;
    fired = `${event} ${file}`;
    p.child.kill("SIGKILL");
  });
  return { watcher, fired: () => fired };
}

type Outcome = { kind: "started"; disk: DiskState; opened: Record<string, unknown> } | { kind: "refused"; error: string };

/**
 * Starts a node on `base` after a kill: it must either start (then author, finalize, stop with
 * SIGTERM, and leave a database that passes the offline checks) or exit at once with a clear
 * one-line error.
 */
async function restartAfterKill(args: string[], dbPath: string, minFinalized = 1): Promise<Outcome> {
  const p = spawnCli(args);
  const first = await withDeadline(
    Promise.race([p.waitFor((l) => typeof l.port === "number" && /listening/.test(l.msg)).then(() => "up" as const), p.exited.then(() => "exited" as const)]),
    60_000,
    "the restarted node to listen or exit",
  ).catch(async (e) => {
    if (isRunning(p)) p.child.kill("SIGKILL");
    throw e;
  });
  if (first === "exited") {
    const { code } = await p.exited;
    const stderr = p.stderr.join("\n");
    expect(code, `exit code; stderr: ${stderr}`).toBe(1);
    // a clear error: one "Error: …" line, no stack trace
    expect(stderr).toMatch(/^Error: .{20,}/);
    expect(stderr).not.toMatch(/\n\s+at /);
    return { kind: "refused", error: stderr };
  }
  const opened = p.lines.find((l) => l.msg === "Chain opened")!;
  const target = Math.max(minFinalized, (opened.finalized as number) + 1);
  await waitLine(p, (l) => l.msg.startsWith("Finalized #") && (l.number as number) >= target, 30_000, `finality of #${target} after the restart`);
  p.child.kill("SIGTERM");
  const { code } = await p.exited;
  expect(code).toBe(0);
  const disk = await checkDatabase(dbPath);
  if (disk === "empty") throw new Error("a node that finalized blocks left an empty database");
  return { kind: "started", disk, opened };
}

describe("kills during first start and purge-chain", () => {
  it("a kill while a new node writes genesis and its node key: it starts cleanly afterwards or refuses clearly", async () => {
    const r = rnd.fork("genesis");
    const spec = await devChainSpec(500);
    const argsFor = (base: string) => ["start", "--dev", "--base-path", base, "--block-time", "500", "--rpc-port", "0", "--listen-addr", "/ip4/127.0.0.1/tcp/0"];
    const paths = (base: string) => ({ db: Node.dbPath(base, spec.id), network: join(base, "chains", spec.id, "network") });

    // when does genesis land, counted from spawn? (measured, not assumed: the machine may be busy)
    const calibrate = tempDir("genesis-cal");
    const t0 = performance.now();
    const c = spawnCli(argsFor(calibrate));
    await waitLine(c, (l) => l.msg === "Initialized genesis", 60_000, "genesis");
    const tGenesis = performance.now() - t0;
    await waitLine(c, (l) => /listening/.test(l.msg), 60_000, "RPC");
    c.child.kill("SIGTERM");
    await c.exited;

    const KILLS = 10;
    const outcomes: string[] = [];
    let refused = 0;
    for (let i = 0; i < KILLS; i++) {
      const base = tempDir(`genesis-${i}`);
      const { db, network } = paths(base);
      // the node creates these itself; made beforehand so the watcher sees inside them
      mkdirSync(db, { recursive: true });
      mkdirSync(network, { recursive: true });
      const p = spawnCli(argsFor(base));
      const strategy = r.pick(["delay", "db-file", "log-write", "node-key"] as const);
      let how: string;
      let w: ReturnType<typeof killOnFileEvent> | undefined;
      if (strategy === "delay") {
        const ms = r.int(0, Math.round(tGenesis + 150));
        await delay(ms);
        p.child.kill("SIGKILL");
        how = `after ${ms} ms (genesis lands at ~${Math.round(tGenesis)} ms)`;
      } else {
        const target = { "db-file": (f: string) => /db\/(CURRENT|MANIFEST-\d+)$/.test(f), "log-write": (f: string) => /db\/\d+\.log$/.test(f), "node-key": (f: string) => /network\/secret_ed25519/.test(f) }[strategy];
        const nth = strategy === "log-write" ? r.int(1, 3) : 1;
        let seen = 0;
        w = killOnFileEvent(p, base, (f) => target(f) && ++seen >= nth);
        // if the event never comes (the node got past it), kill once RPC is up
        await Promise.race([p.exited, p.waitFor((l) => /listening/.test(l.msg)).catch(() => undefined)]);
        if (isRunning(p)) p.child.kill("SIGKILL");
        w.watcher.close();
        how = w.fired() ? `on file event "${w.fired()}" (#${nth})` : `${strategy}: no event before RPC was up`;
      }
      await p.exited;
      const keyFile = join(network, "secret_ed25519");
      const leftKey = existsSync(keyFile) ? `${readdirSync(network).join(",")}` : "no key file";
      const outcome = await restartAfterKill(argsFor(base), db);
      if (outcome.kind === "refused") refused++;
      outcomes.push(`${how}: ${leftKey}; then ${outcome.kind === "started" ? `started at #${outcome.opened.best}, ran to finalized #${outcome.disk.finalized.number}` : `refused: ${outcome.error}`}`);
    }
    summary.push(`first start: ${KILLS} kills (genesis measured at ${Math.round(tGenesis)} ms after spawn), ${KILLS - refused} clean starts, ${refused} clear refusals\n    ${outcomes.join("\n    ")}`);
    console.log(`[faults] ${summary[summary.length - 1]}`);
    // every kill point of a first start must be recoverable without help
    expect(refused).toBe(0);
  });

  it("a kill during purge-chain leaves the whole database or none of it", async () => {
    const r = rnd.fork("purge");
    const spec = await devChainSpec(1000);
    await fundSenders(spec);
    const specFile = join(tempDir("purge-spec"), "spec.json");
    writeFileSync(specFile, JSON.stringify(spec));
    // a database with table files (.ldb), not only a log: 1500 blocks of 10 transfers
    const seed = tempDir("purge-seed");
    const built = await buildChain(spec, seed, { blocks: 1500, transfersPerBlock: 10, justifyEvery: 10, authoritySuris: ["//Alice"] });
    const seedDb = Node.dbPath(seed, spec.id);
    const files = readdirSync(seedDb);
    expect(files.some((f) => f.endsWith(".ldb"))).toBe(true);
    const purgeArgs = (base: string) => ["purge-chain", "--chain", specFile, "--base-path", base, "-y"];
    const startArgs = (base: string) => ["start", "--chain", specFile, "--authority", "//Alice", "--base-path", base, "--block-time", "1000", "--rpc-port", "0", "--no-p2p"];

    // how long does a whole purge take from spawn? the deletion is its last few milliseconds
    const times: number[] = [];
    for (let i = 0; i < 2; i++) {
      const base = tempDir(`purge-cal-${i}`);
      cpSync(seed, base, { recursive: true });
      const t0 = performance.now();
      const p = spawnCli(purgeArgs(base));
      await withDeadline(p.exited, 60_000, "purge-chain");
      times.push(performance.now() - t0);
      expect(existsSync(Node.dbPath(base, spec.id))).toBe(false);
    }
    const tPurge = Math.min(...times);

    const KILLS = 8;
    const counts = { intact: 0, purged: 0, leftover: 0, refused: 0 };
    const notes: string[] = [];
    for (let i = 0; i < KILLS; i++) {
      const base = tempDir(`purge-${i}`);
      cpSync(seed, base, { recursive: true });
      const db = Node.dbPath(base, spec.id);
      const p = spawnCli(purgeArgs(base));
      let how: string;
      const strategy = r.pick(["delay", "opening", "rename", "deleting", "deleting"] as const);
      if (strategy === "delay") {
        const ms = r.int(Math.max(0, Math.round(tPurge - 120)), Math.round(tPurge + 5));
        await delay(ms);
        p.child.kill("SIGKILL");
        how = `after ${ms} ms (a purge takes ~${Math.round(tPurge)} ms)`;
      } else {
        // file events: inside the database while purge-chain checks it is not in use (opening), the
        // rename to a tombstone, the n-th file deleted from the tombstone
        const nth = strategy === "rename" ? 1 : r.int(1, strategy === "opening" ? 4 : 8);
        const match = {
          opening: (f: string) => f.startsWith("db/"),
          rename: (f: string) => f.startsWith("db.purging-") && !f.includes("/"),
          deleting: (f: string) => f.startsWith("db.purging-") && f.includes("/"),
        }[strategy];
        let seen = 0;
        const w = killOnFileEvent(p, join(base, "chains", spec.id), (f) => match(f) && ++seen >= nth);
        await withDeadline(p.exited, 60_000, "purge-chain");
        w.watcher.close();
        how = w.fired() ? `${strategy}: on file event #${nth} "${w.fired()}"` : `${strategy}: no such file event (#${nth}) before the purge finished`;
      }
      await p.exited;
      const left = readdirSync(join(base, "chains", spec.id));
      const dbLeft = existsSync(db) ? readdirSync(db).length : -1;
      const tombstones = left.filter((n) => n.startsWith("db.purging-")).length;
      if (tombstones) counts.leftover++;
      const outcome = await restartAfterKill(startArgs(base), db);
      if (outcome.kind === "refused") {
        counts.refused++;
        notes.push(`${how}: refused: ${outcome.error}`);
        continue;
      }
      const startedAt = outcome.opened.best as number;
      if (startedAt === 0) counts.purged++;
      else {
        counts.intact++;
        // intact means intact: the whole chain, finality included
        expect(outcome.opened.bestHash).toBe(`0x${Buffer.from(built.hash).toString("hex")}`);
        expect(outcome.opened.finalized).toBe(built.number);
      }
      // the tombstone of an interrupted purge is gone after the start
      expect(readdirSync(join(base, "chains", spec.id)).filter((n) => n.startsWith("db.purging-"))).toEqual([]);
      notes.push(`${how}: db ${dbLeft >= 0 ? `intact (${dbLeft} files)` : "gone"}${tombstones ? ", tombstone left" : ""}; started at #${startedAt}`);
      rmSync(base, { recursive: true, force: true });
    }
    summary.push(`purge-chain: ${KILLS} kills (a purge takes ~${Math.round(tPurge)} ms): intact ${counts.intact}, purged ${counts.purged}, of which with a tombstone left ${counts.leftover}, refused ${counts.refused}\n    ${notes.join("\n    ")}`);
    console.log(`[faults] ${summary[summary.length - 1]}`);
    expect(counts.refused).toBe(0);
  });

  it("a database damaged outside the node (a table file deleted) is refused with a clear error, not opened half", async () => {
    const spec = await devChainSpec(1000);
    await fundSenders(spec);
    const specFile = join(tempDir("damage-spec"), "spec.json");
    writeFileSync(specFile, JSON.stringify(spec));
    const base = tempDir("damage");
    await buildChain(spec, base, { blocks: 800, transfersPerBlock: 10, justifyEvery: 10, authoritySuris: ["//Alice"] });
    const db = Node.dbPath(base, spec.id);
    const table = readdirSync(db).find((f) => f.endsWith(".ldb"));
    expect(table).toBeDefined();
    rmSync(join(db, table!));
    const outcome = await restartAfterKill(["start", "--chain", specFile, "--base-path", base, "--block-time", "1000", "--rpc-port", "0", "--no-p2p"], db);
    expect(outcome.kind).toBe("refused");
    expect((outcome as { error: string }).error).toMatch(/cannot be opened: Corruption.*purge-chain/s);
  });
});
