/**
 * A raw JSON-RPC WebSocket client for conformance tests: exact JSON in and out, every message kept
 * in arrival order (to check that an operation's events follow the reply that named it), and
 * waits on notifications by predicate (event-driven, no sleeps).
 */
import { once } from "node:events";
import WebSocket from "ws";

export interface RpcReply {
  id: number;
  result?: any;
  error?: { code: number; message: string; data?: unknown };
}

export interface Notification {
  method: string;
  params: { subscription: string; result: any };
}

export class RawWsClient {
  /** every message received, in order */
  readonly log: any[] = [];
  private nextId = 1;
  private readonly waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.log.push(JSON.parse(data.toString()));
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(url: string): Promise<RawWsClient> {
    const ws = new WebSocket(url);
    await once(ws, "open");
    return new RawWsClient(ws);
  }

  /** Sends a request and resolves with its reply (whole object: result or error). */
  async request(method: string, params: unknown[] = []): Promise<RpcReply> {
    const id = this.nextId++;
    this.ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
    return this.until(() => this.log.find((m) => m.id === id), `reply to ${method}`);
  }

  /** The result of a request; throws on an error reply. */
  async call(method: string, params: unknown[] = []): Promise<any> {
    const r = await this.request(method, params);
    if (r.error) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
    return r.result;
  }

  /** Notifications of one subscription, in order. */
  events(subscription: string): any[] {
    return this.log.filter((m) => m.params?.subscription === subscription).map((m) => m.params.result);
  }

  /** Resolves with the first event of `subscription` (after the `skip` first ones) that matches. */
  nextEvent(subscription: string, match: (e: any) => boolean, what = "event"): Promise<any> {
    return this.until(() => this.events(subscription).find(match), `${what} on ${subscription}`);
  }

  /** Resolves when `probe` returns something other than undefined, re-checked on each message. */
  until<T>(probe: () => T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timeout waiting for ${what}; got ${JSON.stringify(this.log.slice(-5))}`)), timeoutMs);
      const check = (): void => {
        const v = probe();
        if (v !== undefined) {
          clearTimeout(timer);
          resolve(v);
        } else this.waiters.push(check);
      };
      check();
    });
  }

  /** Index in the log of the reply to request `id`. */
  indexOfReply(id: number): number {
    return this.log.findIndex((m) => m.id === id);
  }

  close(): void {
    this.ws.close();
  }
}
