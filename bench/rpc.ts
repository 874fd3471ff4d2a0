/**
 * RPC throughput and latency with 100 concurrent WebSocket clients, next to a bare `ws` echo
 * server measured in the same run (the ceiling: what this machine, this client process and the
 * `ws` library do with no JSON-RPC work at all).
 *
 * Both servers are their own OS processes (the node: `subtensor-ts start` on a dev-style chain
 * with 100 funded senders, authoring every 2 s; the echo server: a `ws` server that sends every
 * message back). The clients live in this process: 100 connections, each in a closed loop (send
 * a request, wait for its reply, send the next), for a fixed time per method after a warm-up.
 * Figures: requests/s over all clients, p50 and p99 latency per request.
 *
 * Methods: state_getStorage (System.Account of a funded account), chain_getHeader, state_call
 * (AccountNonceApi_account_nonce, a runtime API), author_submitExtrinsic (signed transfers, each
 * client from its own sender with consecutive nonces: every submission is valid and new).
 *
 * Both servers run throughout, and each read method is measured in short windows alternating with
 * echo windows (echo, node, echo, node, …): on a shared machine the load drifts within seconds,
 * and an echo figure taken minutes before or after the node's would swing the ratio either way.
 * A method's ratio is the median of its rounds' ratios (each node window against the echo window
 * just before it); the echo figure shown is the median over all echo windows.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { WebSocket } from "ws";
import { cryptoWaitReady } from "@polkadot/util-crypto";
import { sr25519Sign } from "@polkadot/wasm-crypto";
import { devChainSpec, TAO } from "../src/chain/spec.js";
import { createRuntime } from "../src/chain/runtime/index.js";
import { runtimeConfigOf } from "../src/chain/spec.js";
import { buildGenesis } from "../src/chain/genesis.js";
import { headerHash } from "../src/chain/codec/block.js";
import { encodeAdditional, encodeExtra, encodeSignedExtrinsic, signingMessage } from "../src/chain/codec/extrinsic.js";
import { Account } from "../src/chain/runtime/pallets/system.js";
import { toHex } from "../src/util/bytes.js";
import { builderSenders } from "./chainBuilder.js";
import { median } from "./harness.js";

const CLI = join(import.meta.dirname, "../src/cli/index.js");
const CLIENTS = 100;

export interface RpcFigure {
  method: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** req/s ÷ the echo server's, the median of per-round ratios (echo windows interleaved with this method's) */
  ratio?: number;
}

export interface RpcBenchResult {
  echo: RpcFigure;
  methods: RpcFigure[];
  lines: string[];
}

const ECHO_SOURCE = `
const { WebSocketServer } = require(process.argv[1]);
const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false, clientTracking: false });
wss.on("connection", (ws) => ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary })));
wss.on("listening", () => console.log(JSON.stringify({ port: wss.address().port })));
`;

/** A child process whose JSON stdout lines are kept (and always drained, so it never blocks on logging). */
function startProcess(args: string[]): { child: ChildProcess; waitFor(test: (o: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>> } {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  child.stderr!.resume();
  const seen: Array<Record<string, unknown>> = [];
  let waiters: Array<{ test: (o: Record<string, unknown>) => boolean; resolve: (o: Record<string, unknown>) => void }> = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    if (seen.length < 1000) seen.push(o);
    waiters = waiters.filter((w) => (w.test(o) ? (w.resolve(o), false) : true));
  });
  return {
    child,
    waitFor: (test, what) => {
      const hit = seen.find(test);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 120_000);
        waiters.push({ test, resolve: (o) => (clearTimeout(timer), resolve(o)) });
        child.once("exit", () => reject(new Error(`process ended before ${what}`)));
      });
    },
  };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** One WebSocket connection in a closed loop. */
class Client {
  private ws!: WebSocket;
  private waiting = new Map<number, { sent: number; resolve: (reply: { error?: unknown }) => void }>();
  private nextId = 1;
  static async connect(url: string): Promise<Client> {
    const c = new Client();
    c.ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      c.ws.once("open", () => resolve());
      c.ws.once("error", reject);
    });
    c.ws.on("message", (data) => {
      const reply = JSON.parse(data.toString()) as { id: number; error?: unknown };
      const w = c.waiting.get(reply.id);
      if (!w) return;
      c.waiting.delete(reply.id);
      w.resolve(reply);
    });
    return c;
  }
  call(method: string, params: unknown[]): Promise<{ error?: unknown; ms: number }> {
    const id = this.nextId++;
    const sent = performance.now();
    return new Promise((resolve) => {
      this.waiting.set(id, { sent, resolve: (r) => resolve({ error: r.error, ms: performance.now() - sent }) });
      this.ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
    });
  }
  close(): void {
    this.ws.terminate();
  }
}

/** 100 clients, each calling `next(client index)` in a loop for `seconds` (after `warmupSeconds`). */
async function closedLoop(clients: Client[], name: string, next: (i: number) => [string, unknown[]], seconds: number, warmupSeconds = 1): Promise<RpcFigure> {
  const latencies: number[] = [];
  let errors = 0;
  let counting = false;
  let running = true;
  const loops = clients.map(async (c, i) => {
    while (running) {
      const [method, params] = next(i);
      const r = await c.call(method, params);
      if (!counting) continue;
      latencies.push(r.ms);
      if (r.error) errors++;
    }
  });
  await new Promise((r) => setTimeout(r, warmupSeconds * 1000));
  counting = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  counting = false;
  const elapsed = (performance.now() - t0) / 1000;
  running = false;
  await Promise.all(loops);
  latencies.sort((a, b) => a - b);
  return {
    method: name,
    reqPerSec: latencies.length / elapsed,
    p50Ms: median(latencies),
    p99Ms: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? NaN,
    errors,
  };
}

/** The median of several windows' figures of one method (requests/s, p50 and p99, errors summed). */
function medianFigure(method: string, windows: RpcFigure[]): RpcFigure {
  return {
    method,
    reqPerSec: median(windows.map((w) => w.reqPerSec)),
    p50Ms: median(windows.map((w) => w.p50Ms)),
    p99Ms: median(windows.map((w) => w.p99Ms)),
    errors: windows.reduce((a, w) => a + w.errors, 0),
  };
}

export async function runRpcBench(o: { seconds?: number; rounds?: number } = {}): Promise<RpcBenchResult> {
  // per window; each read method gets `rounds` node windows, each after an echo window
  const seconds = o.seconds ?? 2;
  const rounds = o.rounds ?? 5;
  await cryptoWaitReady();
  const dir = mkdtempSync(join(tmpdir(), "subtensor-ts-bench-rpc-"));
  const spec = await devChainSpec(2_000);
  const senders = builderSenders(CLIENTS);
  for (const s of senders) spec.balances.push([s.address, (1_000_000n * TAO).toString()]);
  const specFile = join(dir, "spec.json");
  writeFileSync(specFile, JSON.stringify(spec));
  const runtime = createRuntime(runtimeConfigOf(spec));
  const genesisHash = headerHash(buildGenesis(spec, runtime).header);
  let node: ChildProcess | undefined;
  let echo: ChildProcess | undefined;
  const lines: string[] = [];
  const all: Client[] = [];
  try {
    const wsPath = createRequire(import.meta.url).resolve("ws");
    const e = startProcess(["-e", ECHO_SOURCE, wsPath]);
    echo = e.child;
    const echoPort = (await e.waitFor((x) => typeof x.port === "number", "the echo server's port")).port as number;
    const n = startProcess([CLI, "start", "--chain", specFile, "--base-path", join(dir, "node"), "--authority", "//Alice", "--rpc-port", "0", "--no-prometheus", "--no-p2p", "--rpc-max-connections", String(CLIENTS + 10)]);
    node = n.child;
    const rpcPort = (await n.waitFor((x) => typeof x.port === "number" && /listening/.test(String(x.msg)), "the node's RPC port")).port as number;
    const echoClients = await Promise.all(Array.from({ length: CLIENTS }, () => Client.connect(`ws://127.0.0.1:${echoPort}`)));
    const nodeClients = await Promise.all(Array.from({ length: CLIENTS }, () => Client.connect(`ws://127.0.0.1:${rpcPort}`)));
    all.push(...echoClients, ...nodeClients);
    const storageKey = toHex(Account.key(senders[0].publicKey));

    const reads: Array<[string, () => [string, unknown[]]]> = [
      ["state_getStorage", () => ["state_getStorage", [storageKey]]],
      ["chain_getHeader", () => ["chain_getHeader", []]],
      ["state_call (AccountNonceApi_account_nonce)", () => ["state_call", ["AccountNonceApi_account_nonce", toHex(senders[0].publicKey)]]],
    ];
    const echoWindows: RpcFigure[] = [];
    const figures: RpcFigure[] = [];
    for (const [name, next] of reads) {
      const windows: RpcFigure[] = [];
      const ratios: number[] = [];
      for (let r = 0; r < rounds; r++) {
        // the echo server answers with the request itself: the same size class as a small reply
        const ew = await closedLoop(echoClients, "echo (bare ws server)", next, seconds, 0.5);
        const nw = await closedLoop(nodeClients, name, next, seconds, 0.5);
        echoWindows.push(ew);
        windows.push(nw);
        ratios.push(nw.reqPerSec / ew.reqPerSec);
      }
      figures.push({ ...medianFigure(name, windows), ratio: median(ratios) });
    }
    const echoFigure = medianFigure("echo (bare ws server)", echoWindows);
    // signed transfers: client i sends from sender i, nonces 0, 1, 2, … (each valid and new); one
    // window (the pool fills), against the median echo
    const { specVersion, transactionVersion } = runtime.version;
    const additional = encodeAdditional({ specVersion, transactionVersion, genesisHash, eraBlockHash: genesisHash });
    const call = runtime.callCodec.encode({ tag: "Balances", value: { tag: "transfer_keep_alive", value: { dest: { tag: "Id", value: senders[0].publicKey }, value: 1_000_000n } } });
    const nonces = senders.map(() => 0);
    const transfer = (i: number): [string, unknown[]] => {
      const s = senders[i];
      const nonce = nonces[i]++;
      const msg = signingMessage(call, encodeExtra(null, nonce, 0n), additional);
      return ["author_submitExtrinsic", [toHex(encodeSignedExtrinsic(s.publicKey, { tag: "Sr25519", value: sr25519Sign(s.publicKey, s.secretKey, msg) }, { era: null, nonce, tip: 0n }, call))]];
    };
    const submit = await closedLoop(nodeClients, "author_submitExtrinsic (signed transfers)", transfer, 3);
    figures.push({ ...submit, ratio: submit.reqPerSec / echoFigure.reqPerSec });

    lines.push(`${rounds} rounds of ${seconds} s windows per read method, echo and node alternating (median figures; ratio = median of per-round ratios)`);
    for (const f of [echoFigure, ...figures]) {
      const vsEcho = f === echoFigure ? "" : `; ÷ echo ${f.ratio!.toFixed(2)}`;
      lines.push(`${f.method.padEnd(46)} ${f.reqPerSec.toFixed(0).padStart(6)} req/s, p50 ${f.p50Ms.toFixed(1)} ms, p99 ${f.p99Ms.toFixed(1)} ms${f.errors ? `, ${f.errors} errors` : ""}${vsEcho}`);
    }
    return { echo: echoFigure, methods: figures, lines };
  } finally {
    all.forEach((c) => c.close());
    if (echo) await stop(echo);
    if (node) await stop(node);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await runRpcBench();
  console.log(`\n## RPC, ${CLIENTS} WebSocket clients (closed loop), node and echo server each in their own process`);
  for (const l of r.lines) console.log(l);
}
