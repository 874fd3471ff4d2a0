#!/usr/bin/env node
// The fixed libp2p identities of the compose testnet (docker/docker-compose.yml), and their peer ids.
//
//   node docker/node-keys.mjs                      print service, node key, peer id, bootnode multiaddr
//   node docker/node-keys.mjs --check FILE         verify FILE: every `--node-key` is the one below
//                                                  and every /dns4/<service>/…/p2p/<id> names that
//                                                  service's peer id (run by test/docker/run.sh)
//
// A node key is the 32-byte ed25519 secret that `subtensor-ts start --node-key HEX` takes (Substrate's
// format). The peer id is what libp2p derives from it: generateKeyPairFromSeed("Ed25519", secret)
// from @libp2p/crypto, then peerIdFromPrivateKey from @libp2p/peer-id. Secret 0x…01 gives
// 12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp, the same peer id Substrate derives for its
// well-known test key, so the derivation agrees across implementations.
//
// These secrets are public: use them for a local test network only.
import { readFileSync } from "node:fs";
import { generateKeyPairFromSeed } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";

export const P2P_PORT = 30333;

/** service name in the compose file → node key (hex, no 0x): 0x…01 for alice up to 0x…05 for rpc */
export const NODE_KEYS = {
  alice: "0000000000000000000000000000000000000000000000000000000000000001",
  bob: "0000000000000000000000000000000000000000000000000000000000000002",
  charlie: "0000000000000000000000000000000000000000000000000000000000000003",
  dave: "0000000000000000000000000000000000000000000000000000000000000004",
  rpc: "0000000000000000000000000000000000000000000000000000000000000005",
};

export async function peerIdOf(hexSecret) {
  const key = await generateKeyPairFromSeed("Ed25519", Buffer.from(hexSecret, "hex"));
  return peerIdFromPrivateKey(key).toString();
}

async function table() {
  const rows = [];
  for (const [service, key] of Object.entries(NODE_KEYS)) {
    const peerId = await peerIdOf(key);
    rows.push({ service, key, peerId, multiaddr: `/dns4/${service}/tcp/${P2P_PORT}/p2p/${peerId}` });
  }
  return rows;
}

/** Checks a compose file's node keys and bootnode multiaddrs against NODE_KEYS; returns the problems. */
async function check(file) {
  const text = readFileSync(file, "utf8");
  const rows = new Map((await table()).map((r) => [r.service, r]));
  const problems = [];
  // The service a line belongs to: the last two-space-indented `name:` key above it.
  let service;
  let expectKeyFor;
  let keysSeen = 0;
  text.split("\n").forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    const header = /^ {2}([a-z][a-z0-9-]*):\s*$/.exec(line);
    if (header) service = header[1];
    if (/^\S/.test(line)) service = undefined; // a new top-level section
    const value = line.replace(/#.*$/, "").trim().replace(/^-\s*/, "").replace(/^(["'])(.*)\1$/, "$2");
    if (expectKeyFor !== undefined) {
      // the list item after `- --node-key`
      const want = rows.get(expectKeyFor)?.key;
      if (value !== want) problems.push(`${where}: ${expectKeyFor}'s --node-key is ${value}, expected ${want}`);
      expectKeyFor = undefined;
      keysSeen++;
    }
    if (value === "--node-key") {
      if (!service || !rows.has(service)) problems.push(`${where}: --node-key in unknown service ${service}`);
      else expectKeyFor = service;
    }
    // the table in the file's header comment: `#   alice    0x…01  12D3KooW…`
    const listed = /^#\s+([a-z][a-z0-9-]*)\s+0x…\S+\s+(12D3KooW\S+)\s*$/.exec(line);
    if (listed && rows.get(listed[1])?.peerId !== listed[2]) {
      problems.push(`${where}: the comment gives ${listed[1]} the peer id ${listed[2]}, expected ${rows.get(listed[1])?.peerId}`);
    }
    for (const m of line.matchAll(/\/dns4\/([a-z0-9-]+)\/tcp\/(\d+)\/p2p\/([1-9A-HJ-NP-Za-km-z]+)/g)) {
      const row = rows.get(m[1]);
      if (!row) problems.push(`${where}: bootnode names unknown service ${m[1]}`);
      else if (m[3] !== row.peerId) problems.push(`${where}: ${m[1]}'s peer id is ${row.peerId}, the file says ${m[3]}`);
      else if (Number(m[2]) !== P2P_PORT) problems.push(`${where}: ${m[1]} listens on ${P2P_PORT}, the file says ${m[2]}`);
    }
  });
  if (keysSeen !== rows.size) problems.push(`${file}: found ${keysSeen} --node-key flags, expected ${rows.size} (one per service)`);
  return problems;
}

const args = process.argv.slice(2);
if (args[0] === "--check") {
  if (!args[1]) {
    console.error("usage: node docker/node-keys.mjs --check COMPOSE_FILE");
    process.exit(2);
  }
  const problems = await check(args[1]);
  for (const p of problems) console.error(p);
  if (problems.length) process.exit(1);
  console.log(`${args[1]}: node keys and bootnode peer ids agree with docker/node-keys.mjs`);
} else if (args.length === 0 || args[0] === "--json") {
  const rows = await table();
  if (args[0] === "--json") console.log(JSON.stringify(rows, null, 2));
  else for (const r of rows) console.log(`${r.service.padEnd(8)} ${r.key}  ${r.multiaddr}`);
} else {
  console.error("usage: node docker/node-keys.mjs [--json | --check COMPOSE_FILE]");
  process.exit(2);
}
