/**
 * The RPC limits flags on a real node process (`subtensor-ts start --dev` with every limit set low):
 * each limit, exceeded, gives its JSON-RPC error, and the node keeps serving the other clients.
 *
 *   --rpc-max-connections 3                  → -32009 (HTTP 429; WS: error, then close 1013)
 *   --rpc-max-request-size 1 (MiB)           → -32007 (HTTP 413; WS: the socket stays open)
 *   --rpc-max-response-size 1 (MiB)          → -32011 for a batch answer over 1 MiB
 *   --rpc-max-subscriptions-per-connection 2 → -32006
 *   --rpc-max-batch-request-len 20           → -32010
 *   --rpc-rate-limit 30 (calls/min/connection) → -32009, that connection only
 */
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { NodeProcess } from "../utils/nodeProcess.js";

type Msg = { id?: number | null; result?: unknown; error?: { code: number; message: string; data?: unknown }; method?: string };

class Client {
  readonly messages: Msg[] = [];
  private nextId = 1;
  private waiters: Array<() => void> = [];
  readonly closed: Promise<number>;

  constructor(readonly ws: WebSocket) {
    ws.on("message", (d) => {
      const parsed = JSON.parse(d.toString());
      this.messages.push(parsed); // a batch answer is one message (an array)
      this.waiters.splice(0).forEach((w) => w());
    });
    this.closed = new Promise((resolve) => ws.on("close", (code) => resolve(code)));
  }

  static async open(url: string): Promise<Client> {
    const ws = new WebSocket(url);
    const c = new Client(ws);
    await once(ws, "open");
    return c;
  }

  /** Resolves with the first message (past or future) matching `test`. */
  waitFor(test: (m: any) => boolean, timeoutMs = 20_000): Promise<any> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message; got ${JSON.stringify(this.messages).slice(0, 500)}`)), timeoutMs);
      const check = () => {
        const m = this.messages.find(test);
        if (m) {
          clearTimeout(timer);
          resolve(m);
        } else this.waiters.push(check);
      };
      check();
    });
  }

  send(body: unknown): void {
    this.ws.send(typeof body === "string" ? body : JSON.stringify(body));
  }

  call(method: string, params: unknown[] = []): Promise<Msg> {
    const id = this.nextId++;
    this.send({ jsonrpc: "2.0", id, method, params });
    return this.waitFor((m) => m.id === id);
  }

  close(): void {
    this.ws.close();
  }
}

const request = (id: number, method: string, params: unknown[] = []) => ({ jsonrpc: "2.0", id, method, params });

async function post(port: number, body: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`http://127.0.0.1:${port}`, { method: "POST", headers: { "content-type": "application/json" }, body });
  return { status: res.status, json: await res.json() };
}

let proc: NodeProcess;
let base: string;
let port: number;
let url: string;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), "subtensor-ts-limits-"));
  proc = NodeProcess.start([
    "start",
    "--dev",
    "--base-path",
    base,
    "--rpc-port",
    "0",
    "--rpc-max-connections",
    "3",
    "--rpc-max-request-size",
    "1",
    "--rpc-max-response-size",
    "1",
    "--rpc-max-subscriptions-per-connection",
    "2",
    "--rpc-max-batch-request-len",
    "20",
    "--rpc-rate-limit",
    "30",
  ]);
  port = await proc.rpcPort();
  url = `ws://127.0.0.1:${port}`;
});

afterAll(async () => {
  if (proc) await proc.kill("SIGTERM");
  rmSync(base, { recursive: true, force: true });
});

describe("RPC limits from the command line", () => {
  let c1: Client;
  let c2: Client;

  it("--rpc-max-connections: the fourth connection gets -32009 (WS then close 1013; HTTP 429); the others are served", async () => {
    c1 = await Client.open(url);
    c2 = await Client.open(url);
    const c3 = await Client.open(url);
    const refused = await Client.open(url);
    const busy = await refused.waitFor((m) => m.error);
    expect(busy).toEqual({ jsonrpc: "2.0", id: null, error: { code: -32009, message: "Server is busy, try again later", data: "Too many connections. Please try again later." } });
    expect(await refused.closed).toBe(1013);
    const http = await post(port, JSON.stringify(request(1, "system_name")));
    expect(http.status).toBe(429);
    expect(http.json.error.code).toBe(-32009);
    expect((await c1.call("system_name")).result).toBe("subtensor-ts");
    c3.close();
    await c3.closed;
    // once a connection is gone, HTTP callers get in again (poll with a deadline: the close is async on the server)
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) status = (await post(port, JSON.stringify(request(2, "system_name")))).status;
    expect(status).toBe(200);
  });

  it("--rpc-max-request-size: -32007, and the socket keeps working", async () => {
    const big = JSON.stringify(request(99, "state_call", ["Core_version", "0x" + "00".repeat(600_000)])); // 1.2 MB of text
    c1.send(big);
    const err = await c1.waitFor((m) => m.error?.code === -32007);
    expect(err.error).toEqual({ code: -32007, message: "Request is too big", data: `Exceeded max limit of ${1024 * 1024}` });
    expect((await c1.call("system_name")).result).toBe("subtensor-ts");
    expect((await post(port, big)).status).toBe(413);
  });

  it("--rpc-max-batch-request-len: a 21-call batch gets -32010; 20 are answered", async () => {
    c1.send(Array.from({ length: 21 }, (_, i) => request(1000 + i, "system_name")));
    const err = await c1.waitFor((m) => m.error?.code === -32010);
    expect(err.error.data).toBe("Exceeded max limit of 20");
    c1.send(Array.from({ length: 20 }, (_, i) => request(2000 + i, "system_chain")));
    const ok = await c1.waitFor((m) => Array.isArray(m) && m[0]?.id === 2000);
    expect(ok).toHaveLength(20);
  });

  it("--rpc-max-response-size: a batch answer over 1 MiB gets -32011", async () => {
    // each V14 metadata answer is ~94 KB of hex: 15 of them are over 1 MiB (on c2, whose rate budget is untouched)
    c2.send(Array.from({ length: 15 }, (_, i) => request(3000 + i, "state_getMetadata")));
    const err = await c2.waitFor((m) => m.error?.code === -32011);
    expect(err.error).toEqual({ code: -32011, message: "The batch response was too large", data: `Exceeded max limit of ${1024 * 1024}` });
    expect((await c1.call("system_name")).result).toBe("subtensor-ts");
  });

  it("--rpc-max-subscriptions-per-connection: the third subscription gets -32006", async () => {
    expect(typeof (await c2.call("chain_subscribeNewHeads")).result).toBe("string");
    expect(typeof (await c2.call("chain_subscribeFinalizedHeads")).result).toBe("string");
    const third = await c2.call("state_subscribeRuntimeVersion");
    expect(third.error).toEqual({ code: -32006, message: "Too many subscriptions on the connection", data: "Exceeded max limit of 2" });
    expect((await c2.call("system_name")).result).toBe("subtensor-ts");
  });

  it("--rpc-rate-limit: past 30 calls a minute a connection gets -32009; other connections are served", async () => {
    const c3 = await Client.open(url);
    for (let i = 0; i < 35; i++) c3.send(request(5000 + i, "system_name"));
    const replies = await Promise.all(Array.from({ length: 35 }, (_, i) => c3.waitFor((m) => m.id === 5000 + i)));
    expect(replies.slice(0, 30).every((r) => r.result === "subtensor-ts")).toBe(true);
    const refused = replies.filter((r) => r.error);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0].error).toEqual({ code: -32009, message: "Server is busy, try again later", data: "Exceeded the rate limit of 30 calls per minute on this connection" });
    expect((await c2.call("system_name")).result).toBe("subtensor-ts");
    c3.close();
    c1.close();
    c2.close();
  });
});
