/**
 * A node process that a suite kills and restarts on the same base path, with everything it is
 * known to have committed: every block its logs reported imported (hash, number, parent) and every
 * block they reported finalized, across all of its runs. After each kill `verifyDisk` checks what
 * the crash left (dbCheck) against that history; `start` checks that the node opens exactly that.
 */
import { toHex } from "../../../src/util/bytes.js";
import type { ChainDb } from "../../../src/chain/db/chainDb.js";
import { decodeHeader } from "../../../src/chain/codec/block.js";
import { checkDatabase, DiskCorruption, type DiskState } from "./dbCheck.js";
import { spawnCli, waitLine, isRunning, type NodeProcess } from "./proc.js";

export interface Logged {
  number: number;
  parent: string;
}

export interface KillReport {
  /** the best block on disk had not been reported imported before the kill (committed, log line lost) */
  unloggedHead: boolean;
  /** logged blocks that are gone because finality pruned their branch */
  pruned: number;
  disk: DiskState | "empty";
}

export class Victim {
  readonly imported = new Map<string, Logged>();
  readonly finalized = new Map<number, string>();
  maxFinalized = 0;
  kills = 0;
  unloggedHeads = 0;
  proc?: NodeProcess;
  rpcPort = 0;
  lastDisk?: DiskState;

  constructor(
    readonly name: string,
    readonly dbPath: string,
    private readonly args: () => string[],
    private readonly spawnOpts: Parameters<typeof spawnCli>[1] = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.rpcPort}`;
  }

  /** Spawns the node without waiting for anything (a kill may follow at any moment). */
  spawn(): NodeProcess {
    this.proc = spawnCli(this.args(), this.spawnOpts);
    this.openChecked = false;
    return this.proc;
  }

  private openChecked = false;

  /**
   * When the disk was checked before this run, the node must open exactly the best and finalized
   * blocks found there. Checks the run's "Chain opened" line if it has been logged (returns false
   * when not yet).
   */
  checkOpened(): boolean {
    const p = this.proc;
    const opened = p?.lines.find((l) => l.msg === "Chain opened");
    if (!opened) return false;
    if (this.openChecked || !this.lastDisk) return (this.openChecked = true);
    if (opened.bestHash !== this.lastDisk.best.hash || opened.finalizedHash !== this.lastDisk.finalized.hash) {
      throw new Error(
        `${this.name} opened best #${opened.best} ${opened.bestHash}, finalized #${opened.finalized} ${opened.finalizedHash}; the disk held best #${this.lastDisk.best.number} ${this.lastDisk.best.hash}, finalized #${this.lastDisk.finalized.number} ${this.lastDisk.finalized.hash}`,
      );
    }
    return (this.openChecked = true);
  }

  /** Spawns the node (unless running) and waits until it opened the chain it left on disk and RPC listens. */
  async start(timeoutMs = 60_000): Promise<NodeProcess> {
    const p = this.proc && isRunning(this.proc) ? this.proc : this.spawn();
    await waitLine(p, (l) => l.msg === "Chain opened", timeoutMs, `${this.name}: "Chain opened"`);
    this.checkOpened();
    const l = await waitLine(p, (x) => typeof x.port === "number" && /listening/.test(x.msg), timeoutMs, `${this.name}: RPC listening`);
    this.rpcPort = l.port as number;
    return p;
  }

  /** Harvests a run's log lines into the history. */
  private harvest(p: NodeProcess): void {
    for (const l of p.lines) {
      if (l.msg.startsWith("Imported #") && typeof l.hash === "string") this.imported.set(l.hash, { number: l.number as number, parent: String(l.parent) });
      if (l.msg.startsWith("Finalized #") && typeof l.hash === "string") this.recordFinalized(l.number as number, l.hash);
    }
  }

  private recordFinalized(n: number, hash: string): void {
    const known = this.finalized.get(n);
    if (known && known !== hash) throw new Error(`${this.name}: #${n} was finalized as ${known} and later as ${hash}`);
    this.finalized.set(n, hash);
    this.maxFinalized = Math.max(this.maxFinalized, n);
  }

  /** SIGKILL now; resolves when the process is gone. */
  async kill(): Promise<void> {
    const p = this.proc;
    if (!p) return;
    this.checkOpened();
    if (isRunning(p)) {
      p.child.kill("SIGKILL");
      this.kills++;
    }
    await p.exited;
    this.harvest(p);
  }

  /** Stops with SIGTERM (clean shutdown expected). */
  async stop(): Promise<{ code: number | null }> {
    const p = this.proc;
    if (!p) return { code: 0 };
    if (isRunning(p)) p.child.kill("SIGTERM");
    const r = await p.exited;
    this.harvest(p);
    return r;
  }

  /** Checks what is on disk against everything the node reported committing. Throws on a violation. */
  async verifyDisk(): Promise<KillReport> {
    let pruned = 0;
    const missing: string[] = [];
    const disk = await checkDatabase(this.dbPath, (db) => {
      for (const [hash, b] of this.imported) {
        if (db.header(Buffer.from(hash.slice(2), "hex"))) continue;
        if (this.provablyPruned(db, hash, b)) pruned++;
        else missing.push(`#${b.number} ${hash}`);
      }
    });
    if (disk === "empty") {
      if (this.imported.size || this.maxFinalized) throw new DiskCorruption(`${this.name}: the database is empty after blocks were reported imported`);
      this.lastDisk = undefined;
      return { unloggedHead: false, pruned, disk };
    }
    if (missing.length) throw new DiskCorruption(`${this.name}: ${missing.length} block(s) reported imported are gone from disk without being pruned by finality: ${missing.slice(0, 5).join(", ")}`);
    if (disk.finalized.number < this.maxFinalized) throw new DiskCorruption(`${this.name}: finalized went down from #${this.maxFinalized} to #${disk.finalized.number}`);
    for (const [n, hash] of this.finalized) {
      if (disk.canonical[n] !== hash) throw new DiskCorruption(`${this.name}: #${n} was finalized as ${hash}, the disk's chain has ${disk.canonical[n]}`);
    }
    // the disk's finalized chain is final from now on, whatever the logs said
    for (let n = 1; n <= disk.finalized.number; n++) this.recordFinalized(n, disk.canonical[n]);
    const unloggedHead = disk.best.number > 0 && !this.imported.has(disk.best.hash);
    if (unloggedHead) this.unloggedHeads++;
    this.lastDisk = disk;
    return { unloggedHead, pruned, disk };
  }

  /**
   * A block that is gone is legitimately gone only if finality pruned it: it does not descend from
   * the finalized block on disk. Walks its logged parents down to a stored block or the finalized height.
   */
  private provablyPruned(db: ChainDb, hash: string, b: Logged): boolean {
    const finalized = this.finalizedOnDisk(db);
    if (!finalized) return false;
    let at = hash;
    let info: Logged | undefined = b;
    let n = b.number;
    const fin = finalized.number;
    while (n > fin) {
      if (!info) {
        const raw = db.header(Buffer.from(at.slice(2), "hex"));
        if (!raw) return false; // an unknown, unstored ancestor: cannot tell
        const h = decodeHeader(raw);
        info = { number: h.number, parent: toHex(h.parentHash) };
      }
      at = info.parent;
      n = info.number - 1;
      info = this.imported.get(at);
    }
    const canonical = db.canonicalHash(n);
    return canonical !== undefined && toHex(canonical) !== at;
  }

  private finalizedOnDisk(db: ChainDb): { number: number } | undefined {
    const raw = db.meta("finalized");
    if (!raw) return undefined;
    const header = db.header(raw);
    return header ? { number: decodeHeader(header).number } : undefined;
  }
}
