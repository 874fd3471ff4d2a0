/**
 * The node's network identity: an ed25519 key whose 32-byte secret is kept, as Substrate keeps it,
 * in `<base>/chains/<id>/network/secret_ed25519` (raw bytes; a hex file is read too). `--node-key`
 * and `--node-key-file` fix it. The same secret gives the same peer id as Substrate's
 * (`subkey inspect-node-key`): the libp2p ed25519 identity of that seed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
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
  return parseNodeKeyHex(raw.toString("utf8"));
}

export function generateNodeKeySecret(): Uint8Array {
  return Uint8Array.from(randomBytes(32));
}

export function writeNodeKeyFile(path: string, secret: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, secret, { mode: 0o600 });
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
