/**
 * The node's network identity: an ed25519 key whose 32-byte secret is kept, as Substrate keeps it,
 * in `<base>/chains/<id>/network/secret_ed25519` (raw bytes; a hex file is read too). `--node-key`
 * and `--node-key-file` fix it. The same secret gives the same peer id as Substrate's
 * (`subkey inspect-node-key`): the libp2p ed25519 identity of that seed.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { generateKeyPairFromSeed } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import type { PrivateKey } from "@libp2p/interface";
import { NodeError } from "../util/errors.js";

export type NodeKeyErrorType = { code: "BAD_NODE_KEY"; reason: string } | { code: "NODE_KEY_UNREADABLE"; path: string; reason: string };
export class NodeKeyError extends NodeError<NodeKeyErrorType> {}

/** A 32-byte secret from a hex string (with or without 0x). */
export function parseNodeKeyHex(hex: string): Uint8Array {
  const h = hex.trim().replace(/^0x/, "");
  if (!/^[0-9a-fA-F]{64}$/.test(h)) throw new NodeKeyError({ code: "BAD_NODE_KEY", reason: "not 32 bytes of hex" }, "invalid node key: expected 32 bytes as 64 hex digits (an ed25519 secret)");
  return Uint8Array.from(Buffer.from(h, "hex"));
}

/** Reads a node key file: 32 raw bytes (what Substrate writes) or 64 hex digits. */
export function readNodeKeyFile(path: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    throw new NodeKeyError({ code: "NODE_KEY_UNREADABLE", path, reason: (e as Error).message }, `cannot read node key file ${path}: ${(e as Error).message}`);
  }
  if (raw.length === 32) return Uint8Array.from(raw);
  try {
    return parseNodeKeyHex(raw.toString("utf8"));
  } catch (e) {
    throw new NodeKeyError(
      { code: "BAD_NODE_KEY", reason: `${path}: ${raw.length} bytes` },
      `invalid node key file ${path} (${raw.length} bytes): expected 32 raw bytes or 64 hex digits; fix or delete it (a new key means a new peer id)`,
    );
  }
}

export function generateNodeKeySecret(): Uint8Array {
  return Uint8Array.from(randomBytes(32));
}

/**
 * Writes the key so that a crash at any moment leaves either no file or the whole key: written to
 * a temporary file, synced, renamed over the target, the directory synced. (A plain write killed
 * between create and write left an empty file, and every later start failed on it.)
 */
export function writeNodeKeyFile(path: string, secret: Uint8Array): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  // temporary files of writes that a crash interrupted
  const stale = `${basename(path)}.tmp-`;
  for (const n of readdirSync(dir)) if (n.startsWith(stale)) rmSync(join(dir, n), { force: true });
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    const fd = openSync(tmp, "w", 0o600);
    try {
      writeSync(fd, secret);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  const d = openSync(dir, "r");
  try {
    fsyncSync(d);
  } finally {
    closeSync(d);
  }
}

export async function nodeKeyFromSecret(secret: Uint8Array): Promise<PrivateKey> {
  if (secret.length !== 32) throw new NodeKeyError({ code: "BAD_NODE_KEY", reason: `${secret.length} bytes` }, "invalid node key: an ed25519 secret is 32 bytes");
  return generateKeyPairFromSeed("Ed25519", secret);
}

export async function peerIdOfSecret(secret: Uint8Array): Promise<string> {
  return peerIdFromPrivateKey(await nodeKeyFromSecret(secret)).toString();
}

/**
 * The node key to use: `--node-key` hex, else `--node-key-file`, else the base path's file
 * (created with a fresh random key on first start).
 */
export async function loadNodeKey(o: { hex?: string; file?: string; defaultFile: string }): Promise<{ key: PrivateKey; source: string }> {
  if (o.hex) return { key: await nodeKeyFromSecret(parseNodeKeyHex(o.hex)), source: "--node-key" };
  if (o.file) return { key: await nodeKeyFromSecret(readNodeKeyFile(o.file)), source: o.file };
  if (!existsSync(o.defaultFile)) writeNodeKeyFile(o.defaultFile, generateNodeKeySecret());
  return { key: await nodeKeyFromSecret(readNodeKeyFile(o.defaultFile)), source: o.defaultFile };
}
