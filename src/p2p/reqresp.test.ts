/**
 * Request/response between two real libp2p nodes in this process (TCP on 127.0.0.1, noise, yamux,
 * identify: the stack network.ts uses).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLibp2p, type Libp2p } from "libp2p";
import { tcp } from "@libp2p/tcp";
import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { identify } from "@libp2p/identify";
import { handleProtocol, sendRequest, ReqRespError, RequestRefused, type HandlerOptions, type RequestHandler, type RequestOptions } from "./reqresp.js";
import { silentLogger } from "../util/logger.js";

const PROTOCOL = "/subtensor-ts/test/reqresp/1";

async function startNode(): Promise<Libp2p> {
  return (await createLibp2p({
    addresses: { listen: ["/ip4/127.0.0.1/tcp/0"] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() },
  })) as unknown as Libp2p;
}

let server: Libp2p;
let client: Libp2p;
/** Releases handlers that were made to hang, so nothing stays pending after a test. */
let release: () => void;
let hang: Promise<void>;

beforeEach(async () => {
  [server, client] = await Promise.all([startNode(), startNode()]);
  await client.dial(server.getMultiaddrs()[0]);
  hang = new Promise<void>((resolve) => (release = resolve));
});

afterEach(async () => {
  release();
  await Promise.all([client.stop(), server.stop()]);
});

const logger = silentLogger();
const bytes = (...xs: number[]) => Uint8Array.from(xs);
const text = (s: string) => new TextEncoder().encode(s);
const opts = (o: Partial<RequestOptions> = {}): RequestOptions => ({ timeoutMs: 5_000, maxFrames: 16, maxBytes: 1 << 20, ...o });

async function serve(handler: RequestHandler, o: Partial<HandlerOptions> & { onBadRequest?: (peer: string, reason: string) => void } = {}) {
  await handleProtocol(server, PROTOCOL, handler, { maxRequestBytes: 1024, timeoutMs: 5_000, logger, ...o });
}

async function expectError(p: Promise<unknown>, code: string): Promise<ReqRespError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ReqRespError);
    expect((e as ReqRespError).code).toBe(code);
    expect((e as ReqRespError).type).toMatchObject({ peer: server.peerId.toString() });
    return e as ReqRespError;
  }
  throw new Error(`expected a ${code} error`);
}

describe("request/response over libp2p", () => {
  it("delivers the request and every response frame in order, empty frames included", async () => {
    const seen: { request: string; peer: string }[] = [];
    await serve(function* (request, peer) {
      seen.push({ request: new TextDecoder().decode(request), peer });
      yield text("one");
      yield new Uint8Array(0);
      yield bytes(...Array.from({ length: 5000 }, (_, i) => i & 0xff));
      yield text("four");
    });
    const frames = await sendRequest(client, server.peerId, PROTOCOL, text("blocks 1..4"), opts());
    expect(frames.map((f) => f.length)).toEqual([3, 0, 5000, 4]);
    expect(new TextDecoder().decode(frames[0])).toBe("one");
    expect(frames[2][4999]).toBe(4999 & 0xff);
    expect(new TextDecoder().decode(frames[3])).toBe("four");
    expect(seen).toEqual([{ request: "blocks 1..4", peer: client.peerId.toString() }]);
  });

  it("an async handler, a peer given as a string, and several requests on one connection", async () => {
    await serve(async function* (request) {
      for (let i = 0; i < request[0]; i++) {
        await new Promise((r) => setImmediate(r));
        yield bytes(i);
      }
    });
    for (const n of [0, 1, 7]) {
      const frames = await sendRequest(client, server.peerId.toString(), PROTOCOL, bytes(n), opts());
      expect(frames.map((f) => f[0])).toEqual(Array.from({ length: n }, (_, i) => i));
    }
    const concurrent = await Promise.all([3, 5, 2].map((n) => sendRequest(client, server.peerId, PROTOCOL, bytes(n), opts())));
    expect(concurrent.map((fs) => fs.length)).toEqual([3, 5, 2]);
  });

  it("a refused request is a REFUSED error with the handler's reason, and the requester is reported", async () => {
    const bad: [string, string][] = [];
    await serve(
      function* () {
        yield text("partial");
        throw new RequestRefused("no such block");
      },
      { onBadRequest: (peer, reason) => bad.push([peer, reason]) },
    );
    const e = await expectError(sendRequest(client, server.peerId, PROTOCOL, bytes(1), opts()), "REFUSED");
    expect(e.type).toMatchObject({ reason: "no such block" });
    expect(bad).toEqual([[client.peerId.toString(), "no such block"]]);
  });

  it("a handler that fails is refused as an internal error, logged, and does not blame the requester", async () => {
    const bad: string[] = [];
    const warn = vi.spyOn(logger, "warn");
    await serve(
      () => {
        throw new Error("database is on fire");
      },
      { onBadRequest: (peer) => bad.push(peer) },
    );
    const e = await expectError(sendRequest(client, server.peerId, PROTOCOL, bytes(1), opts()), "REFUSED");
    expect(e.type).toMatchObject({ reason: "internal error" });
    expect(bad).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it("a handler that never answers gives TIMEOUT within the deadline", async () => {
    await serve(async function* () {
      await hang;
    });
    // The handler never answers, so only the deadline can end the request: it must end, as
    // TIMEOUT (a hang is caught by the test's own timeout). No wall-clock bounds: a timer may fire
    // up to a loop iteration early, and a busy machine makes it arbitrarily late.
    await expectError(sendRequest(client, server.peerId, PROTOCOL, bytes(1), opts({ timeoutMs: 400 })), "TIMEOUT");
  });

  it("a handler that stops half way gives TIMEOUT too, not a partial answer", async () => {
    await serve(async function* () {
      yield text("first");
      await hang;
    });
    await expectError(sendRequest(client, server.peerId, PROTOCOL, bytes(1), opts({ timeoutMs: 400 })), "TIMEOUT");
  });

  it("more frames than maxFrames is a BAD_RESPONSE; exactly maxFrames is fine", async () => {
    await serve(function* (request) {
      for (let i = 0; i < request[0]; i++) yield bytes(i);
    });
    expect(await sendRequest(client, server.peerId, PROTOCOL, bytes(3), opts({ maxFrames: 3 }))).toHaveLength(3);
    const e = await expectError(sendRequest(client, server.peerId, PROTOCOL, bytes(4), opts({ maxFrames: 3 })), "BAD_RESPONSE");
    expect(e.type).toMatchObject({ reason: expect.stringContaining("3 frames") });
  });

  it("more bytes than maxBytes is a BAD_RESPONSE; exactly maxBytes is fine", async () => {
    await serve(function* (request) {
      for (let i = 0; i < request[0]; i++) yield new Uint8Array(100).fill(i);
    });
    expect(await sendRequest(client, server.peerId, PROTOCOL, bytes(3), opts({ maxBytes: 300 }))).toHaveLength(3);
    await expectError(sendRequest(client, server.peerId, PROTOCOL, bytes(3), opts({ maxBytes: 299 })), "BAD_RESPONSE");
  });

  it("a request larger than maxRequestBytes is refused before the handler runs, and the requester is reported", async () => {
    const bad: [string, string][] = [];
    let calls = 0;
    await serve(
      function* () {
        calls++;
        yield text("ok");
      },
      { maxRequestBytes: 16, onBadRequest: (peer, reason) => bad.push([peer, reason]) },
    );
    expect(await sendRequest(client, server.peerId, PROTOCOL, new Uint8Array(16), opts())).toHaveLength(1);
    expect(calls).toBe(1);
    const e = await expectError(sendRequest(client, server.peerId, PROTOCOL, new Uint8Array(17), opts()), "REFUSED");
    expect(e.type).toMatchObject({ reason: "request too large" });
    expect(calls).toBe(1);
    expect(bad).toHaveLength(1);
    expect(bad[0][0]).toBe(client.peerId.toString());
    expect(bad[0][1]).toContain("over 16 bytes");
  });

  it("a request far over the limit is refused from its length prefix alone, and the requester is reported", async () => {
    const bad: string[] = [];
    let calls = 0;
    await serve(
      function* () {
        calls++;
        yield text("ok");
      },
      { maxRequestBytes: 1024, onBadRequest: (peer) => bad.push(peer) },
    );
    const e = await expectError(sendRequest(client, server.peerId, PROTOCOL, new Uint8Array(100_000), opts()), "REFUSED");
    expect(e.type).toMatchObject({ reason: "request too large" });
    // past the byte stream's own 4 MiB buffer the server may reset the stream instead of answering:
    // either way the request fails and the requester is reported
    await expect(sendRequest(client, server.peerId, PROTOCOL, new Uint8Array(5 << 20), opts())).rejects.toBeInstanceOf(ReqRespError);
    expect(bad).toEqual([client.peerId.toString(), client.peerId.toString()]);
    expect(calls).toBe(0);
  });

  it("response frames as large as a 10 MiB block arrive whole", async () => {
    const sizes = [5 << 20, 10 << 20, 3];
    await serve(function* () {
      for (const [i, n] of sizes.entries()) yield new Uint8Array(n).fill(i + 1);
    });
    const frames = await sendRequest(client, server.peerId, PROTOCOL, bytes(1), opts({ maxBytes: 16 << 20, timeoutMs: 20_000 }));
    expect(frames.map((f) => f.length)).toEqual(sizes);
    expect(frames.map((f) => [f[0], f[f.length - 1]])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });

  it("many mid-sized frames in one response (a sync batch) arrive whole", async () => {
    await serve(function* () {
      for (let i = 0; i < 128; i++) yield new Uint8Array(100_000).fill(i);
    });
    const frames = await sendRequest(client, server.peerId, PROTOCOL, bytes(1), opts({ maxFrames: 128, maxBytes: 16 << 20, timeoutMs: 20_000 }));
    expect(frames).toHaveLength(128);
    expect(frames.every((f, i) => f.length === 100_000 && f[99_999] === (i & 0xff))).toBe(true);
  });

  it("a protocol the peer does not serve is DIAL_FAILED", async () => {
    await expectError(sendRequest(client, server.peerId, "/subtensor-ts/test/nobody/1", bytes(1), opts()), "DIAL_FAILED");
  });
});
