/** Runs the built CLI (`dist/`) as a real OS process and follows its JSON log lines. */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { join } from "node:path";

export const CLI = join(__dirname, "../../dist/src/cli/index.js");

export interface LogLine {
  msg: string;
  [k: string]: unknown;
}

export class NodeProcess {
  readonly lines: LogLine[] = [];
  readonly stderr: string[] = [];
  private waiters: Array<{ test: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on("line", (text) => {
      let line: LogLine;
      try {
        line = JSON.parse(text);
      } catch {
        line = { msg: text };
      }
      this.lines.push(line);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(line)) return true;
        w.resolve(line);
        return false;
      });
    });
    createInterface({ input: child.stderr! }).on("line", (t) => this.stderr.push(t));
    this.exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  }

  static start(args: string[]): NodeProcess {
    return new NodeProcess(spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } }));
  }

  /** Resolves with the first log line (past or future) that satisfies `test`; rejects if the process exits first. */
  waitFor(test: (l: LogLine) => boolean): Promise<LogLine> {
    const seen = this.lines.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      this.waiters.push({ test, resolve });
      this.exited.then(({ code, signal }) => reject(new Error(`node exited (${code ?? signal}) before the expected log line; stderr: ${this.stderr.join("\n")}`)));
    });
  }

  async rpcPort(): Promise<number> {
    const l = await this.waitFor((l) => typeof l.port === "number" && /listening/.test(l.msg));
    return l.port as number;
  }

  importedNumbers(): number[] {
    return this.lines.filter((l) => l.msg.startsWith("Imported #")).map((l) => l.number as number);
  }

  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill(signal);
    return this.exited;
  }
}

export async function rpc(port: number, method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${port}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return res.json();
}
