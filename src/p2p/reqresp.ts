/**
 * Request/response over libp2p streams: one request frame, then response frames, each
 * length-prefixed and tagged (data, end, error), so a reader never depends on how a stream closes.
 * Every protocol registers one handler with its limits (request size, streams, time) beside it;
 * requests carry a deadline. Failures are typed so the caller can penalize the right peer.
 */
import type { Libp2p, PeerId, Stream } from "@libp2p/interface";
import { lpStream } from "@libp2p/utils";
import { peerIdFromString } from "@libp2p/peer-id";
import { NodeError } from "../util/errors.js";
import type { Logger } from "../util/logger.js";
import { LIMITS } from "./protocols.js";

const TAG_DATA = 0;
const TAG_END = 1;
const TAG_ERROR = 2;

export type ReqRespErrorType =
  | { code: "DIAL_FAILED"; peer: string; reason: string }
  | { code: "TIMEOUT"; peer: string }
  | { code: "REFUSED"; peer: string; reason: string }
  | { code: "BAD_RESPONSE"; peer: string; reason: string };
export class ReqRespError extends NodeError<ReqRespErrorType> {}

export interface HandlerOptions {
  maxRequestBytes: number;
  timeoutMs: number;
  maxInboundStreams?: number;
}

/** A handler yields response frames; throwing a RequestRefused answers with an error frame. */
export type RequestHandler = (request: Uint8Array, peer: string) => AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export class RequestRefused extends Error {
  override name = "RequestRefused";
}

const tagged = (tag: number, body?: Uint8Array): Uint8Array => {
  const out = new Uint8Array(1 + (body?.length ?? 0));
  out[0] = tag;
  if (body) out.set(body, 1);
  return out;
};

/** Registers `handler` for `protocol`; `onBadRequest` lets the network penalize the requester. */
export async function handleProtocol(
  libp2p: Libp2p,
  protocol: string,
  handler: RequestHandler,
  o: HandlerOptions & { logger: Logger; onBadRequest?: (peer: string, reason: string) => void },
): Promise<void> {
  await libp2p.handle(
    protocol,
    async (stream: Stream, connection) => {
      const peer = connection.remotePeer.toString();
      const signal = AbortSignal.timeout(o.timeoutMs);
      // A request's length prefix over the limit fails the read at once: nothing of it is buffered.
      const lp = lpStream(stream, { maxDataLength: o.maxRequestBytes });
      try {
        const req = await lp.read({ signal }).catch((e: Error) => {
          if (e.name === "InvalidDataLengthError" || e.name === "InvalidDataLengthLengthError") return undefined;
          throw e;
        });
        if (req === undefined) {
          o.onBadRequest?.(peer, `request over ${o.maxRequestBytes} bytes on ${protocol}`);
          await lp.write(tagged(TAG_ERROR, new TextEncoder().encode("request too large")), { signal });
        } else {
          try {
            for await (const frame of handler(req.subarray(), peer)) await lp.write(tagged(TAG_DATA, frame), { signal });
            await lp.write(tagged(TAG_END), { signal });
          } catch (e) {
            const reason = e instanceof RequestRefused ? e.message : "internal error";
            if (!(e instanceof RequestRefused)) o.logger.warn({ err: e, protocol, peer }, "Request handler failed");
            else o.onBadRequest?.(peer, reason);
            await lp.write(tagged(TAG_ERROR, new TextEncoder().encode(reason)), { signal });
          }
        }
        await stream.close({ signal });
      } catch (e) {
        o.logger.debug({ err: e, protocol, peer }, "Inbound request failed");
        stream.abort(e as Error);
      }
    },
    { maxInboundStreams: o.maxInboundStreams ?? LIMITS.maxInboundStreams, maxOutboundStreams: LIMITS.maxOutboundStreams },
  );
}

export interface RequestOptions {
  timeoutMs: number;
  maxFrames: number;
  maxBytes: number;
}

/** Sends `request` to `peer` on `protocol` and collects the response frames. */
export async function sendRequest(libp2p: Libp2p, peer: string | PeerId, protocol: string, request: Uint8Array, o: RequestOptions): Promise<Uint8Array[]> {
  const peerId = typeof peer === "string" ? peerIdFromString(peer) : peer;
  const who = peerId.toString();
  const signal = AbortSignal.timeout(o.timeoutMs);
  let stream: Stream;
  try {
    stream = await libp2p.dialProtocol(peerId, protocol, { signal });
  } catch (e) {
    if (signal.aborted) throw new ReqRespError({ code: "TIMEOUT", peer: who }, `request to ${who} timed out`);
    throw new ReqRespError({ code: "DIAL_FAILED", peer: who, reason: (e as Error).message }, `cannot open ${protocol} to ${who}: ${(e as Error).message}`);
  }
  // The byte stream under lpStream buffers 4 MiB by default and aborts past that: a frame may be as
  // large as maxFrameBytes (a 10 MiB block), so the buffer must hold one whole frame and what follows.
  const lp = lpStream(stream, { maxDataLength: LIMITS.maxFrameBytes, maxBufferSize: LIMITS.maxFrameBytes + 1024 * 1024 });
  const frames: Uint8Array[] = [];
  let bytes = 0;
  try {
    await lp.write(request, { signal });
    for (;;) {
      const f = (await lp.read({ signal })).subarray();
      if (f.length === 0) throw new ReqRespError({ code: "BAD_RESPONSE", peer: who, reason: "empty frame" }, "empty response frame");
      if (f[0] === TAG_END) break;
      if (f[0] === TAG_ERROR) throw new ReqRespError({ code: "REFUSED", peer: who, reason: new TextDecoder().decode(f.subarray(1)) }, `${who} refused: ${new TextDecoder().decode(f.subarray(1))}`);
      if (f[0] !== TAG_DATA) throw new ReqRespError({ code: "BAD_RESPONSE", peer: who, reason: `unknown frame tag ${f[0]}` }, "malformed response");
      frames.push(f.subarray(1));
      bytes += f.length - 1;
      if (frames.length > o.maxFrames || bytes > o.maxBytes) {
        throw new ReqRespError({ code: "BAD_RESPONSE", peer: who, reason: `response over ${o.maxFrames} frames or ${o.maxBytes} bytes` }, "oversized response");
      }
    }
    await stream.close({ signal }).catch(() => undefined);
    return frames;
  } catch (e) {
    stream.abort(e as Error);
    if (e instanceof ReqRespError) throw e;
    if (signal.aborted) throw new ReqRespError({ code: "TIMEOUT", peer: who }, `request to ${who} timed out`);
    throw new ReqRespError({ code: "BAD_RESPONSE", peer: who, reason: (e as Error).message }, `bad response from ${who}: ${(e as Error).message}`);
  }
}
