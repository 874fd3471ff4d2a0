#!/usr/bin/env node
// The image's HEALTHCHECK: healthy when the node answers `system_health` over JSON-RPC (HTTP POST).
// Plain CommonJS with no dependencies, so it needs nothing but node (no curl in the image).
//
// Usage: healthcheck.cjs [URL]   (default http://127.0.0.1:PORT/, where PORT is $SUBTENSOR_TS_RPC_PORT,
// else the --rpc-port the container's node was started with, else 9944). docker/run.sh-style scripts
// reuse it with a URL to probe a published port from the host.
//
// Peers are deliberately not required: compose starts the other nodes only after the first one is
// healthy (depends_on: service_healthy), so a "needs peers" rule would wait forever on a node that
// has none yet. The peer count is printed, and `docker inspect` keeps the last outputs.
"use strict";
const http = require("node:http");
const fs = require("node:fs");

const TIMEOUT_MS = 4000; // below the Dockerfile's --timeout=5s, so we report instead of being killed

function portFromPid1() {
  // PID 1 is the node itself (exec-form ENTRYPOINT), so its argv holds the start flags.
  try {
    const argv = fs.readFileSync("/proc/1/cmdline", "utf8").split("\0");
    for (let i = 0; i < argv.length; i++) {
      if (argv[i] === "--rpc-port" && argv[i + 1]) return argv[i + 1];
      if (argv[i].startsWith("--rpc-port=")) return argv[i].slice("--rpc-port=".length);
    }
  } catch {
    // not in a container, or /proc unreadable: fall back to the default
  }
  return undefined;
}

const url = new URL(process.argv[2] ?? `http://127.0.0.1:${process.env.SUBTENSOR_TS_RPC_PORT ?? portFromPid1() ?? 9944}/`);
const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "system_health", params: [] });

function fail(message) {
  console.error(`unhealthy: ${url.href}: ${message}`);
  process.exit(1);
}

const req = http.request(
  url,
  { method: "POST", headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) }, timeout: TIMEOUT_MS },
  (res) => {
    let text = "";
    res.setEncoding("utf8");
    res.on("data", (chunk) => (text += chunk));
    res.on("end", () => {
      if (res.statusCode !== 200) return fail(`HTTP ${res.statusCode} ${text.trim()}`);
      let health;
      try {
        health = JSON.parse(text).result;
      } catch {
        return fail(`not JSON: ${text.slice(0, 200)}`);
      }
      if (!health || typeof health.peers !== "number") return fail(`unexpected answer: ${text.slice(0, 200)}`);
      console.log(`healthy: peers=${health.peers} isSyncing=${health.isSyncing} shouldHavePeers=${health.shouldHavePeers}`);
      process.exit(0);
    });
  },
);
req.on("timeout", () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
req.on("error", (e) => fail(e.message));
req.end(body);
