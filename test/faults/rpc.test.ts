/**
 * Bad input to the JSON-RPC server of a real node process (--dev, no networking): random JSON,
 * every method with random and wrong-typed parameters, huge and deeply nested parameters, 10 000
 * item batches, many subscriptions on many connections, and slow readers that never read what
 * they asked for. The node must never crash or hang; every reply must be a well-formed JSON-RPC
 * 2.0 response whose errors are proper error objects (and no handler may fail with -32603
 * "Internal error" on bad input: that is an exception nobody typed); the node keeps producing
 * blocks throughout; and its memory stays bounded (RSS sampled all along, reported per phase).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import WebSocket from "ws";
import { killAll, rpcCall, rssBytes, spawnCli, waitLine, type NodeProcess } from "./lib/proc.js";
import { runSeed } from "./lib/random.js";
import { delay, poll, withDeadline } from "./lib/wait.js";
import { nestedDeeperThan } from "../../src/rpc/dispatch.js";

const SEED = runSeed();
console.log(`[faults] rpc: seed ${SEED} (replay with FAULTS_SEED=${SEED})`);
const MIB = 1024 * 1024;

let node: NodeProcess;
let base: string;
let url: string;
let wsUrl: string;
const report: string[] = [];
const codes = new Map<number, number>();
let peakRss = 0;
let sampler: NodeJS.Timeout | undefined;
let bestHash = "0x";
let storageKey = "0x";

const rss = () => rssBytes(node.child.pid!) ?? 0;
const mib = (b: number) => `${(b / MIB).toFixed(0)} MiB`;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), "subtensor-ts-faults-rpc-"));
  node = spawnCli(["start", "--dev", "--base-path", base, "--block-time", "500", "--rpc-port", "0", "--no-p2p", "--log-level", "info"]);
  const l = await waitLine(node, (x) => typeof x.port === "number" && /listening/.test(x.msg), 60_000, "RPC");
  url = `http://127.0.0.1:${l.port}`;
  wsUrl = `ws://127.0.0.1:${l.port}`;
  await waitLine(node, (x) => x.msg.startsWith("Imported #2"), 30_000, "block #2");
  bestHash = await rpcCall(url, "chain_getBlockHash", [1]);
  storageKey = (await rpcCall(url, "state_getKeysPaged", ["0x", 1, null]))[0];
  sampler = setInterval(() => (peakRss = Math.max(peakRss, rss())), 100);
  report.push(`baseline RSS ${mib(rss())}`);
}, 90_000);

afterAll(async () => {
  clearInterval(sampler);
  await killAll();
  if (base) rmSync(base, { recursive: true, force: true });
  report.push(`error codes seen: ${[...codes].sort((a, b) => a[0] - b[0]).map(([c, n]) => `${c}×${n}`).join(" ")}`);
  console.log(`[faults] rpc\n  ${report.join("\n  ")}`);
});

/** The node is alive, answers, and keeps authoring (a new block within the deadline). */
async function stillHealthy(what: string): Promise<void> {
  expect(node.child.exitCode, `${what}: the node exited; stderr: ${node.stderr.slice(-5).join("\n")}`).toBeNull();
  const before = parseInt((await rpcCall(url, "chain_getHeader", [], 15_000)).number, 16);
  await poll(async () => parseInt((await rpcCall(url, "chain_getHeader", [], 5000)).number, 16) > before, 20_000, `${what}: a new block after #${before}`);
}

type Reply = { jsonrpc: string; id: unknown; result?: unknown; error?: { code: number; message: string; data?: unknown } };

/** Checks one JSON-RPC response object and counts its error code. */
function checkReply(r: unknown, where: string, allowInternal = false): void {
  const o = r as Reply;
  expect(typeof o === "object" && o !== null && !Array.isArray(o), `${where}: a response object, got ${JSON.stringify(r)?.slice(0, 200)}`).toBe(true);
  expect(o.jsonrpc, where).toBe("2.0");
  expect(["string", "number"].includes(typeof o.id) || o.id === null, `${where}: id ${JSON.stringify(o.id)}`).toBe(true);
  const hasResult = Object.hasOwn(o, "result");
  const hasError = Object.hasOwn(o, "error");
  expect(hasResult !== hasError, `${where}: exactly one of result and error: ${JSON.stringify(o).slice(0, 300)}`).toBe(true);
  if (hasError) {
    expect(Number.isInteger(o.error!.code), `${where}: integer error code`).toBe(true);
    expect(typeof o.error!.message === "string" && o.error!.message.length > 0, `${where}: error message`).toBe(true);
    codes.set(o.error!.code, (codes.get(o.error!.code) ?? 0) + 1);
    if (!allowInternal) expect(o.error!.code, `${where}: an internal error (an untyped exception in a handler): ${JSON.stringify(o.error).slice(0, 300)}`).not.toBe(-32603);
  }
}

function checkBody(text: string, where: string, allowInternal = false): unknown {
  if (text === "") return undefined; // notifications only
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${where}: the reply is not JSON: ${text.slice(0, 200)}`);
  }
  if (Array.isArray(parsed)) {
    expect(parsed.length, `${where}: a non-empty batch reply`).toBeGreaterThan(0);
    parsed.forEach((x, i) => checkReply(x, `${where}[${i}]`, allowInternal));
  } else checkReply(parsed, where, allowInternal);
  return parsed;
}

async function post(body: string | Buffer, timeoutMs = 30_000): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body, signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, text: await res.text() };
}

/** Opens a WebSocket; `onMessage` is attached before the upgrade completes (nothing is missed). */
function openWs(onMessage?: (d: WebSocket.RawData) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { maxPayload: 64 * MIB });
    if (onMessage) ws.on("message", onMessage);
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

/** Sends text on a socket and waits for `n` replies (notifications skipped), or the socket to close. */
function wsExchange(ws: WebSocket, text: string | Buffer, n: number, timeoutMs = 30_000): Promise<unknown[]> {
  return withDeadline(
    new Promise((resolve) => {
      const got: unknown[] = [];
      const onMsg = (d: WebSocket.RawData) => {
        const parsed = JSON.parse(String(d));
        if ((parsed as { method?: string }).method) return; // a notification
        got.push(parsed);
        if (got.length >= n) done();
      };
      const done = () => {
        ws.off("message", onMsg);
        ws.off("close", done);
        resolve(got);
      };
      ws.on("message", onMsg);
      ws.once("close", done);
      ws.send(text);
    }),
    timeoutMs,
    "WS replies",
  );
}

/**
 * Sends `text`, then a marker request, and resolves with every reply that arrived until the
 * marker's (a body of notifications only gets no reply; replies may come in any order).
 */
function wsUntilMarker(ws: WebSocket, text: string | Buffer, timeoutMs = 30_000): Promise<unknown[]> {
  const marker = `marker-${Math.random()}`;
  return withDeadline(
    new Promise((resolve) => {
      const got: unknown[] = [];
      const onMsg = (d: WebSocket.RawData) => {
        const parsed = JSON.parse(String(d));
        if ((parsed as { method?: string }).method) return;
        if ((parsed as { id?: unknown }).id === marker) {
          ws.off("message", onMsg);
          resolve(got);
          return;
        }
        got.push(parsed);
      };
      ws.on("message", onMsg);
      ws.send(text);
      ws.send(JSON.stringify({ jsonrpc: "2.0", id: marker, method: "system_health" }));
    }),
    timeoutMs,
    "the marker reply",
  );
}

/** Parameter values: random JSON, plausible-but-wrong values, and a few valid ones (so handlers get past parsing). */
const paramValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 80 }).map((b) => `0x${Buffer.from(b).toString("hex")}`) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEFxg"), maxLength: 70 }).map((h) => `0x${h}`) },
    { weight: 1, arbitrary: fc.constantFrom(bestHash, storageKey, "0x", "0x0", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", "//Alice", "") },
    { weight: 1, arbitrary: fc.constantFrom(-1, 0, 1, 2 ** 32, Number.MAX_SAFE_INTEGER, -(2 ** 53), 1.5, 1e308, "1e400", "18446744073709551616") },
    { weight: 1, arbitrary: fc.array(fc.nat(), { maxLength: 300 }) },
  );

const paramsArb = (): fc.Arbitrary<unknown> =>
  fc.oneof(fc.constant(undefined), fc.constant(null), fc.array(paramValue(), { maxLength: 5 }), fc.dictionary(fc.string({ maxLength: 12 }), paramValue(), { maxKeys: 4 }), paramValue());

describe("the nesting check that runs before JSON.parse", () => {
  it("agrees with the depth of the parsed value, strings with quotes and backslashes included", () => {
    const depth = (v: unknown): number => (v !== null && typeof v === "object" ? 1 + Math.max(0, ...Object.values(v as object).map(depth)) : 0);
    const text = fc.string({ unit: fc.constantFrom("a", '"', "\\", "[", "]", "{", "}", ",", ":") });
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8, stringUnit: fc.oneof(fc.constantFrom('"', "\\", "[", "{", "]", "}"), fc.string({ minLength: 1, maxLength: 1 })) }), fc.nat({ max: 10 }), (v, limit) => {
        expect(nestedDeeperThan(JSON.stringify(v), limit)).toBe(depth(v) > limit);
      }),
      { numRuns: 3000, seed: SEED },
    );
    // and never throws or hangs on arbitrary text
    fc.assert(fc.property(text, fc.nat({ max: 5 }), (t, limit) => void nestedDeeperThan(t, limit)), { numRuns: 3000, seed: SEED });
  });
});

describe("JSON-RPC server under bad input", () => {
  it("random JSON bodies get well-formed replies over HTTP and WebSocket", async () => {
    const bodies = fc.oneof(
      fc.json({ maxDepth: 4 }),
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ jsonrpc: "2.0", id: v, method: v, params: v })),
      fc.array(fc.record({ jsonrpc: fc.constantFrom("2.0", "1.0", 2), id: fc.oneof(fc.nat(), fc.string(), fc.constant(null), fc.object()), method: fc.constantFrom("system_health", "chain_getHeader", "nope", ""), params: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }), { maxLength: 8 }).map((a) => JSON.stringify(a)),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const { status, text } = await post(body);
        expect([200, 400], `status for ${body.slice(0, 100)}`).toContain(status);
        checkBody(text, `HTTP ${body.slice(0, 80)}`);
        n++;
      }),
      { numRuns: 400, seed: SEED },
    );
    const ws = await openWs();
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const replies = await wsUntilMarker(ws, body);
        for (const r of replies) Array.isArray(r) ? r.forEach((x) => checkReply(x, "WS")) : checkReply(r, "WS");
        n++;
      }),
      { numRuns: 200, seed: SEED },
    );
    // binary frames and invalid UTF-8
    const after = await wsUntilMarker(ws, Buffer.from([0xff, 0xfe, 0x00, 0x7b]));
    expect(after).toHaveLength(1);
    after.forEach((r) => checkReply(r, "WS binary frame"));
    ws.close();
    report.push(`random JSON: ${n} bodies, RSS ${mib(rss())}`);
    await stillHealthy("random JSON");
  });

  it("every method with random and wrong-typed params answers with a result or a typed error", async () => {
    // over HTTP, subscription and unsubscription methods answer -32603 as jsonrpsee's do (no
    // subscriptions without a connection); they are fuzzed over WebSocket below
    const methods = ((await rpcCall(url, "rpc_methods")).methods as string[]).filter((m) => !/subscribe|unsubscribe|_newHead$|submitAndWatch|unwatch|^chainHead_v1_(follow|unfollow)$|^archive_v1_(storage|stopStorage)$/i.test(m));
    const runs = Number(process.env.FAULTS_RPC_RUNS_PER_METHOD ?? 25);
    const slowest: Array<[string, number]> = [];
    for (const method of methods) {
      let worst = 0;
      await fc.assert(
        fc.asyncProperty(paramsArb(), async (params) => {
          const req: Record<string, unknown> = { jsonrpc: "2.0", id: 7, method };
          if (params !== undefined) req.params = params;
          const t0 = performance.now();
          const { status, text } = await post(JSON.stringify(req), 20_000);
          worst = Math.max(worst, performance.now() - t0);
          expect(status).toBe(200);
          checkBody(text, `${method}(${JSON.stringify(params)?.slice(0, 200)})`);
        }),
        { numRuns: runs, seed: SEED },
      );
      slowest.push([method, worst]);
    }
    slowest.sort((a, b) => b[1] - a[1]);
    report.push(`methods: ${methods.length} × ${runs} random calls; slowest ${slowest.slice(0, 3).map(([m, t]) => `${m} ${t.toFixed(0)} ms`).join(", ")}; RSS ${mib(rss())}`);
    await stillHealthy("random params");
  });

  it("subscriptions with random params over WebSocket", async () => {
    const subs = ((await rpcCall(url, "rpc_methods")).methods as string[]).filter((m) => /_subscribe|^subscribe_|submitAndWatch|^chainHead_v1_follow$|^archive_v1_storage$/.test(m));
    const ws = await openWs();
    for (const method of subs) {
      await fc.assert(
        fc.asyncProperty(paramsArb(), async (params) => {
          const req: Record<string, unknown> = { jsonrpc: "2.0", id: 9, method };
          if (params !== undefined) req.params = params;
          const [reply] = await wsExchange(ws, JSON.stringify(req), 1);
          checkReply(reply, `${method}(${JSON.stringify(params)?.slice(0, 150)})`);
        }),
        { numRuns: 20, seed: SEED },
      );
    }
    ws.close();
    report.push(`subscriptions: ${subs.length} methods × 20 random calls`);
    await stillHealthy("random subscriptions");
  });

  it("huge and deeply nested params", async () => {
    const steps: string[] = [];
    const step = (what: string) => steps.push(`${what} ${mib(rss())}/${mib(peakRss)}`);
    // 14 MiB: under the 15 MiB request limit, handled and refused as a transaction
    const big = `0x${"ab".repeat(7 * MIB)}`;
    let r = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "author_submitExtrinsic", params: [big] }), 60_000);
    checkBody(r.text, "14 MiB extrinsic");
    r = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "state_getStorage", params: [big] }), 60_000);
    checkBody(r.text, "14 MiB storage key");
    step("14MiB");
    // 20 MiB: over the limit, refused from its length
    r = await post(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "system_health", params: ["x".repeat(20 * MIB)] }), 60_000);
    expect(r.status).toBe(413);
    expect((checkBody(r.text, "20 MiB") as Reply).error!.code).toBe(-32007);
    // deeply nested params and bodies
    for (const depth of [1000, 100_000, 1_000_000]) {
      const nested = "[".repeat(depth) + "]".repeat(depth);
      for (const method of ["system_health", "state_getStorage", "author_submitExtrinsic", "state_queryStorageAt"]) {
        r = await post(`{"jsonrpc":"2.0","id":1,"method":"${method}","params":${nested}}`, 60_000);
        checkBody(r.text, `${method} nested ${depth}`);
        r = await post(`{"jsonrpc":"2.0","id":1,"method":"${method}","params":[${nested}, ${nested}]}`, 60_000);
        checkBody(r.text, `${method} nested ${depth} twice`);
      }
      r = await post(nested, 60_000);
      const reply = checkBody(r.text, `a nested body ${depth}`) as Reply;
      // deeper than serde_json's 128 levels: a parse error, refused before parsing
      expect(reply.error?.code).toBe(-32700);
      const objects = '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
      r = await post(`{"jsonrpc":"2.0","id":1,"method":"state_getStorage","params":${objects}}`, 60_000);
      checkBody(r.text, `nested objects ${depth}`);
      step(`nested${depth}`);
    }
    // over WebSocket: just under the limit is answered, far over it closes the socket (1009)
    const ws = await openWs();
    const [reply] = await wsExchange(ws, JSON.stringify({ jsonrpc: "2.0", id: 2, method: "state_getStorage", params: [big] }), 1, 60_000);
    checkReply(reply, "WS 14 MiB");
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    ws.send("x".repeat(32 * MIB));
    expect(await withDeadline(closed, 30_000, "the socket to close")).toBe(1009);
    report.push(`huge/nested steps (rss/peak): ${steps.join(", ")}`);
    report.push(`huge/nested: 14 MiB params answered, 20 MiB refused (413), nesting of 1000 to 1e6 levels refused (-32700) before parsing; RSS ${mib(rss())}, peak ${mib(peakRss)}`);
    await stillHealthy("huge params");
  });

  it("10 000-item batches", async () => {
    const batch = (n: number, make: (i: number) => unknown) => JSON.stringify(Array.from({ length: n }, (_, i) => make(i)));
    let t0 = performance.now();
    let r = await post(batch(10_000, (i) => ({ jsonrpc: "2.0", id: i, method: "system_health" })), 120_000);
    const health = checkBody(r.text, "10k system_health") as unknown[];
    expect(health).toHaveLength(10_000);
    const tHealth = performance.now() - t0;
    t0 = performance.now();
    r = await post(batch(10_000, (i) => ({ jsonrpc: "2.0", id: i, method: "chain_getBlock", params: [bestHash] })), 120_000);
    checkBody(r.text, "10k chain_getBlock");
    const tBlocks = performance.now() - t0;
    r = await post(batch(10_000, (i) => (i % 3 === 0 ? i : { jsonrpc: "2.0", id: i, method: i % 3 === 1 ? "nope" : "state_getStorage", params: i % 2 ? [storageKey] : { bad: true } })), 120_000);
    expect(checkBody(r.text, "10k mixed invalid") as unknown[]).toHaveLength(10_000);
    r = await post(batch(10_000, () => ({ jsonrpc: "2.0", method: "system_health" })), 120_000);
    expect(r.text).toBe("");
    // over WebSocket: 10 000 subscriptions in one batch, beyond the per-connection limit
    const ws = await openWs();
    const [subsReply] = await wsExchange(ws, batch(10_000, (i) => ({ jsonrpc: "2.0", id: i, method: "chain_subscribeNewHeads" })), 1, 120_000);
    const replies = subsReply as Reply[];
    replies.forEach((x, i) => checkReply(x, `WS subscribe batch [${i}]`));
    const ok = replies.filter((x) => x.result !== undefined).length;
    expect(ok).toBe(1024);
    expect(replies.filter((x) => x.error?.code === -32006).length).toBe(10_000 - 1024);
    ws.close();
    report.push(`10k batches: system_health ${tHealth.toFixed(0)} ms, chain_getBlock ${tBlocks.toFixed(0)} ms; 10k subscriptions in one WS batch: 1024 granted, the rest -32006; RSS ${mib(rss())}, peak ${mib(peakRss)}`);
    await stillHealthy("10k batches");
  });

  it("many subscriptions on many connections", async () => {
    const before = rss();
    const conns: WebSocket[] = [];
    let notifications = 0;
    // the server's connection limit is 100 (WebSocket connections and HTTP requests in flight
    // together): 90 carry 1024 subscriptions each, the HTTP checks below need a few more
    const N = 90;
    for (let i = 0; i < N; i++) {
      const ws = await openWs(() => notifications++);
      conns.push(ws);
      const method = ["chain_subscribeNewHeads", "chain_subscribeFinalizedHeads", "state_subscribeRuntimeVersion", "chain_subscribeAllHeads"][i % 4];
      ws.send(JSON.stringify(Array.from({ length: 1024 }, (_, j) => ({ jsonrpc: "2.0", id: j, method }))));
    }
    // up to the limit; one more is refused with a JSON-RPC error and close code 1013
    const filler: WebSocket[] = [];
    for (let i = N; i < 100; i++) filler.push(await openWs());
    let msg = "";
    const extra = await openWs((d) => (msg = String(d)));
    const code = await withDeadline(new Promise<number>((resolve) => extra.once("close", (c) => resolve(c))), 10_000, "the 101st connection to be refused");
    const refusal = { code, msg };
    expect(refusal.code).toBe(1013);
    expect(JSON.parse(refusal.msg).error.code).toBe(-32009);
    for (const ws of filler) ws.terminate();
    await poll(() => notifications > N * 1024 * 2, 120_000, () => `notifications to flow (${notifications})`, 500);
    const during = rss();
    await stillHealthy(`${N * 1024} subscriptions`);
    for (const ws of conns) ws.terminate();
    await delay(1000);
    report.push(`many subscriptions: ${N} connections × 1024 = ${N * 1024} subscriptions (the 101st connection refused with -32009, 1013), ${notifications} notifications; RSS ${mib(before)} → ${mib(during)} with them, ${mib(rss())} after closing; peak ${mib(peakRss)}`);
    await stillHealthy("after the subscriptions");
  });

  it("slow readers are dropped and their buffers do not pile up", async () => {
    const before = rss();
    const peakBefore = peakRss;
    peakRss = before;
    const slow: WebSocket[] = [];
    const N = 20;
    const metadata = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "state_getMetadata" });
    const metadataBytes = ((await rpcCall(url, "state_getMetadata")) as string).length;
    for (let i = 0; i < N; i++) {
      let refused = false;
      const ws = await openWs((d) => (refused ||= String(d).includes("-32009")));
      if (refused) throw new Error("a slow reader was refused as a connection over the limit: connections of earlier steps are still open");
      slow.push(ws);
      // half of them: 1024 subscriptions each whose notifications they never read
      if (i % 2) ws.send(JSON.stringify(Array.from({ length: 1024 }, (_, j) => ({ jsonrpc: "2.0", id: j, method: "chain_subscribeAllHeads" }))));
      // never read: pause the socket
      (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    }
    // a paused client does not see its socket closed: count the server's side of them (ss)
    const ports = new Set(slow.map((ws) => (ws as unknown as { _socket: { localPort: number } })._socket.localPort));
    const serverPort = Number(new URL(url).port);
    const stillOpen = () => {
      const out = execFileSync("ss", ["-Htn", "state", "established", `( sport = :${serverPort} )`], { encoding: "utf8" });
      return out.split("\n").filter((line) => ports.has(Number(line.trim().split(/\s+/).pop()?.split(":").pop()))).length;
    };
    expect(stillOpen()).toBe(N);
    // the other half keep asking for large responses (metadata) they never read
    let sent = 0;
    const started = Date.now();
    let open = N;
    while (open > 0 && Date.now() - started < 120_000) {
      for (const ws of slow.filter((_, i) => i % 2 === 0)) {
        if (ws.readyState !== WebSocket.OPEN || ws.bufferedAmount > 8 * MIB) continue;
        for (let k = 0; k < 20; k++) ws.send(metadata);
        sent += 20;
      }
      await delay(100);
      open = stillOpen();
    }
    const seconds = (Date.now() - started) / 1000;
    const peak = peakRss;
    peakRss = Math.max(peak, peakBefore);
    const drops = node.lines.filter((l) => /WS client/.test(l.msg)).length;
    report.push(`slow readers: ${N / 2} connections asked for ${sent} metadata responses (${(metadataBytes / 1024).toFixed(0)} KiB each), ${N / 2} hold 1024 subscriptions each, none reads: all dropped by the server within ${seconds.toFixed(0)} s (${drops} for holding too much unsent output, the rest by the keep-alive); RSS ${mib(before)} → peak ${mib(peak)}`);
    for (const ws of slow) ws.terminate();
    expect(open).toBe(0);
    // bounded: all unsent output together is capped (128 MiB), far below N × the 64 MiB per connection
    expect(peak - before).toBeLessThan(768 * MIB);
    await stillHealthy("slow readers");
  });

  it("HTTP clients that pipeline requests and never read the replies", async () => {
    const before = rss();
    peakRss = before;
    const serverPort = Number(new URL(url).port);
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "state_getMetadata" });
    const request = `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    const sockets: Socket[] = [];
    // five pipeline 500 requests (beyond the 32 a connection may have unanswered: closed), five pipeline 20
    for (let i = 0; i < 10; i++) {
      const sock = connect(serverPort, "127.0.0.1");
      sock.on("error", () => undefined);
      await new Promise((r) => sock.once("connect", r));
      sock.pause();
      sock.write(request.repeat(i < 5 ? 500 : 20));
      sockets.push(sock);
    }
    await delay(5_000);
    const peak = peakRss;
    // the held connections count as five connections, not 100 requests: others are still served
    await stillHealthy("pipelining readers");
    const serverSide = execFileSync("ss", ["-Htn", "state", "established", `( sport = :${serverPort} )`], { encoding: "utf8" });
    const open = sockets.filter((sk) => serverSide.split("\n").some((l) => l.trim().split(/\s+/).pop() === `127.0.0.1:${sk.localPort}`)).length;
    for (const sock of sockets) sock.destroy();
    report.push(`HTTP pipelining: 5 connections × 500 and 5 × 20 metadata requests never read: ${10 - open} closed by the server (over 32 unanswered), ${open} held, others still served; RSS ${mib(before)} → peak ${mib(peak)}`);
    expect(open).toBe(5);
    expect(peak - before).toBeLessThan(512 * MIB);
  });
});
