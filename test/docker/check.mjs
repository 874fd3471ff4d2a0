#!/usr/bin/env node
// Checks a running containerized network through @polkadot/api, for test/docker/run.sh.
//
//   check.mjs dev      --node dev=ws://127.0.0.1:9944 [--block-time MS]
//       blocks advance and are finalized; a transfer signed by //Alice is finalized and its
//       balance is readable at the finalized block
//   check.mjs testnet  --node rpc=ws://rpc:9944 --node alice=ws://alice:9944 … [--via rpc] [--min-peers 3]
//       every node has ≥ min-peers peers; best and finalized advance on every node; a transfer
//       submitted through --via is finalized and the same block, with the new balance, is on every node
//   check.mjs finality --node … [--min-blocks 3]
//       finalized advances by ≥ min-blocks on every listed node (run while one authority is stopped)
//   check.mjs catchup  --node bob=ws://bob:9944 --node rpc=ws://rpc:9944 --target bob --ref rpc [--min-peers 3]
//       the restarted --target reaches the finalized block --ref had when the check began (same
//       hash), regains its peers and keeps importing
//
// Plain JavaScript with no build step, so it runs both from the repository (host, node_modules at
// the root) and inside the node image (mounted under /app, resolving the image's production
// @polkadot/api) on the compose network, where the authorities' RPC is reachable.
// Every wait polls with a deadline derived from the slot time; nothing sleeps blindly.
// Prints one `ok - …` line per check; on the first failure prints `not ok - …` and exits 1.
import { ApiPromise, WsProvider } from "@polkadot/api";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady, mnemonicGenerate } from "@polkadot/util-crypto";

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const out = { mode: argv[0], nodes: new Map(), opts: {} };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) throw new Error(`unexpected argument ${a}`);
    const [key, inline] = a.slice(2).split(/=(.*)/s, 2);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${key} needs a value`);
    if (key === "node") {
      const [name, url] = value.split(/=(.*)/s, 2);
      if (!name || !url) throw new Error(`--node wants NAME=URL, got ${value}`);
      out.nodes.set(name, url);
    } else out.opts[key] = value;
  }
  return out;
}

const USAGE = "usage: check.mjs dev|testnet|finality|catchup --node NAME=WS_URL … [--block-time MS] (see the header of this file)";
let args;
try {
  args = parseArgs(process.argv.slice(2));
  if (!["dev", "testnet", "finality", "catchup"].includes(args.mode)) throw new Error(`unknown mode ${args.mode}`);
  if (args.nodes.size === 0) throw new Error("no --node given");
} catch (e) {
  console.error(`${e.message}\n${USAGE}`);
  process.exit(2);
}
const blockTimeMs = Number(args.opts["block-time"] ?? 12000);
const minPeers = Number(args.opts["min-peers"] ?? 3);
/** A deadline of `slots` slot durations, with a floor for slow starts on a busy 2-core machine. */
const slots = (n) => Math.max(30_000, n * blockTimeMs);

// ---------------------------------------------------------------- helpers

const t0 = Date.now();
const elapsed = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Calls `probe` every `intervalMs` until it returns `{ done: true, value }`, or throws when
 * `timeoutMs` passes, naming what was awaited and the last observed state.
 */
async function poll(what, timeoutMs, probe, intervalMs = Math.min(1000, Math.max(200, blockTimeMs / 4))) {
  const deadline = Date.now() + timeoutMs;
  let last = "nothing observed yet";
  for (;;) {
    try {
      const r = await probe();
      if (r.done) return r.value;
      last = r.state ?? last;
    } catch (e) {
      last = `error: ${e.message}`;
    }
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; last state: ${last}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

async function step(title, fn) {
  const since = Date.now();
  try {
    const detail = await fn();
    console.log(`ok - ${title} (${elapsed(since)})${detail ? `: ${detail}` : ""}`);
  } catch (e) {
    console.log(`not ok - ${title} (${elapsed(since)}): ${e.message}`);
    throw Object.assign(e, { reported: true });
  }
}

/** @type {Map<string, ApiPromise>} */
const apis = new Map();
const providers = [];

async function connectAll() {
  await Promise.all(
    [...args.nodes].map(async ([name, url]) => {
      const provider = new WsProvider(url, 1000); // reconnect every second until the node answers
      providers.push(provider);
      const api = await withTimeout(ApiPromise.create({ provider, noInitWarn: true }), 60_000, `connect @polkadot/api to ${name} (${url})`);
      apis.set(name, api);
    }),
  );
}

async function heights(api) {
  const [best, finHash] = await Promise.all([api.rpc.chain.getHeader(), api.rpc.chain.getFinalizedHead()]);
  const fin = await api.rpc.chain.getHeader(finHash);
  return { best: best.number.toNumber(), fin: fin.number.toNumber(), finHash: finHash.toHex() };
}

const fmtHeights = (all) => [...all].map(([n, h]) => `${n} #${h.best}/fin #${h.fin}`).join(", ");

/** Waits until best and finalized have both advanced by ≥ `by` on every node in `names`. */
async function checkAdvance(names, by, timeoutMs) {
  const start = new Map();
  for (const n of names) start.set(n, await heights(apis.get(n)));
  const end = await poll(`best and finalized to advance by ${by} on ${names.join(", ")}`, timeoutMs, async () => {
    const now = new Map();
    for (const n of names) now.set(n, await heights(apis.get(n)));
    const done = names.every((n) => now.get(n).best >= start.get(n).best + by && now.get(n).fin >= start.get(n).fin + by);
    return { done, value: now, state: fmtHeights(now) };
  });
  return `${fmtHeights(start)} → ${fmtHeights(end)}`;
}

async function checkPeers(names, min, timeoutMs) {
  const counts = await poll(`≥ ${min} peers on ${names.join(", ")}`, timeoutMs, async () => {
    const now = new Map();
    for (const n of names) now.set(n, (await apis.get(n).rpc.system.health()).peers.toNumber());
    return { done: names.every((n) => now.get(n) >= min), value: now, state: [...now].map(([n, p]) => `${n} ${p}`).join(", ") };
  });
  return [...counts].map(([n, p]) => `${n} ${p} peers`).join(", ");
}

/**
 * //Alice sends a fresh random account 1.23456789 TAO through `via`; resolves when the extrinsic
 * is in a finalized block and succeeded.
 */
async function transfer(via) {
  const api = apis.get(via);
  const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  const alice = keyring.addFromUri("//Alice");
  const dest = keyring.addFromUri(mnemonicGenerate()); // a new account, so its balance starts at 0
  const amount = 1_234_567_890n;
  const result = await withTimeout(
    new Promise((resolve, reject) => {
      let unsub;
      const done = (fn, v) => {
        if (unsub) unsub();
        fn(v);
      };
      api.tx.balances
        .transferKeepAlive(dest.address, amount)
        .signAndSend(alice, (r) => {
          if (r.dispatchError) {
            let reason = r.dispatchError.toString();
            if (r.dispatchError.isModule) {
              const m = api.registry.findMetaError(r.dispatchError.asModule);
              reason = `${m.section}.${m.name}`;
            }
            return done(reject, new Error(`transfer failed in block: ${reason}`));
          }
          if (r.status.isInvalid || r.status.isDropped || r.status.isUsurped) return done(reject, new Error(`transfer ${r.status.type}`));
          if (r.status.isFinalized) return done(resolve, { blockHash: r.status.asFinalized.toHex(), events: r.events });
        })
        .then((u) => {
          unsub = u;
        }, reject);
    }),
    slots(12),
    `transfer via ${via} to be finalized`,
  );
  const ok = result.events.some(({ event }) => api.events.system.ExtrinsicSuccess.is(event));
  if (!ok) throw new Error(`no ExtrinsicSuccess event in ${result.blockHash}`);
  const number = (await api.rpc.chain.getHeader(result.blockHash)).number.toNumber();
  return { ...result, number, dest: dest.address, amount };
}

/** Every node in `names` has block `number` = `hash` finalized, and shows `dest`'s balance there. */
async function checkVisible(names, { number, blockHash, dest, amount }, timeoutMs) {
  await Promise.all(
    names.map((n) =>
      poll(`${n} to finalize block #${number} ${blockHash}`, timeoutMs, async () => {
        const api = apis.get(n);
        const h = await heights(api);
        const hash = (await api.rpc.chain.getBlockHash(number)).toHex();
        if (h.fin < number) return { done: false, state: `${n} finalized #${h.fin}` };
        if (hash !== blockHash) throw new Error(`${n} has ${hash} at #${number}, the RPC node finalized ${blockHash}`);
        const free = (await (await api.at(blockHash)).query.system.account(dest)).data.free.toBigInt();
        if (free !== amount) throw new Error(`${n} shows a balance of ${free} for the new account at #${number}, expected ${amount}`);
        return { done: true };
      }),
    ),
  );
  return `#${number} ${blockHash.slice(0, 10)}… with balance ${amount} on ${names.join(", ")}`;
}

// ---------------------------------------------------------------- modes

async function main() {
  await cryptoWaitReady();
  const names = [...args.nodes.keys()];
  await step(`connect to ${names.join(", ")}`, async () => {
    await connectAll();
    const api = apis.get(names[0]);
    const [chain, version] = await Promise.all([api.rpc.system.chain(), api.rpc.system.version()]);
    return `${chain} (${version})`;
  });

  if (args.mode === "dev") {
    await step("blocks are authored and finalized", () => checkAdvance(names, 2, slots(8)));
    const tx = {};
    await step("a transfer signed by //Alice is finalized", async () => {
      Object.assign(tx, await transfer(names[0]));
      return `block #${tx.number} ${tx.blockHash}`;
    });
    await step("the new balance is readable at the finalized block", () => checkVisible(names, tx, slots(4)));
  }

  if (args.mode === "testnet") {
    const via = args.opts.via ?? "rpc";
    if (!apis.has(via)) throw new Error(`--via ${via} is not one of the --node names`);
    await step(`every node has ≥ ${minPeers} peers`, () => checkPeers(names, minPeers, slots(10)));
    await step("best and finalized advance on every node", () => checkAdvance(names, 2, slots(12)));
    const tx = {};
    await step(`a transfer signed by //Alice through ${via} is finalized`, async () => {
      Object.assign(tx, await transfer(via));
      return `block #${tx.number} ${tx.blockHash}`;
    });
    await step("the same block and balance are on every node", () => checkVisible(names, tx, slots(8)));
  }

  if (args.mode === "finality") {
    const by = Number(args.opts["min-blocks"] ?? 3);
    // A stopped authority's slots stay empty, so allow for those on top of `by` blocks.
    await step(`finality continues on ${names.join(", ")}`, () => checkAdvance(names, by, slots(4 * by + 8)));
  }

  if (args.mode === "catchup") {
    const target = args.opts.target;
    const ref = args.opts.ref;
    if (!apis.has(target) || !apis.has(ref)) throw new Error("catchup needs --target and --ref among the --node names");
    const goal = await heights(apis.get(ref));
    await step(`${target} catches up with ${ref}'s finalized #${goal.fin}`, () =>
      poll(`${target} to finalize #${goal.fin} ${goal.finHash}`, slots(20), async () => {
        const api = apis.get(target);
        const h = await heights(api);
        if (h.fin < goal.fin) return { done: false, state: `${target} #${h.best}/fin #${h.fin}` };
        const hash = (await api.rpc.chain.getBlockHash(goal.fin)).toHex();
        if (hash !== goal.finHash) throw new Error(`${target} finalized ${hash} at #${goal.fin}, ${ref} has ${goal.finHash}`);
        return { done: true, value: `${target} #${h.best}/fin #${h.fin}` };
      }),
    );
    await step(`${target} has ≥ ${minPeers} peers again`, () => checkPeers([target], minPeers, slots(10)));
    await step(`${target} keeps importing`, () => checkAdvance([target, ref], 1, slots(8)));
  }
}

let code = 0;
try {
  await main();
  console.log(`all ${args.mode} checks passed in ${elapsed(t0)}`);
} catch (e) {
  if (!e.reported) console.log(`not ok - ${e.message}`);
  code = 1;
} finally {
  await Promise.allSettled([...apis.values()].map((api) => withTimeout(api.disconnect(), 5000, "disconnect")));
  await Promise.allSettled(providers.map((p) => p.disconnect()));
}
// Explicit exit: a provider stuck reconnecting must not keep the process (and the CI step) alive.
process.exit(code);
