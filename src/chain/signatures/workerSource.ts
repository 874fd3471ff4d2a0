/**
 * The body of a verifier worker, as plain CommonJS source run with `new Worker(WORKER_SOURCE,
 * { eval: true })`.
 *
 * Why a string: a worker entry file must be JavaScript that Node can load by itself. Under vitest
 * the project runs from `.ts` sources (vitest transforms modules of the main thread only, never a
 * worker's entry file), and tsc does not copy `.js` files into `dist/` (no allowJs). A source string
 * is part of the compiled module in both modes, so nothing has to be resolved relative to
 * `src/` or `dist/src/`. The only paths it needs, those of the packages, are resolved by the
 * parent with `createRequire(import.meta.url).resolve(...)`, which works from either location
 * (node_modules is found upward), and passed in `workerData`.
 *
 * The body requires packages only, never project files. It mirrors verify.ts; the tests check that
 * both give the same answers.
 *
 * Protocol (parent → worker): `{ type: "verify", id, buffer, count, fault? }`, where `buffer` (an
 * ArrayBuffer, transferred) holds a header of 4 u32 per job (scheme code, signer length, message
 * length, signature length) followed by the bytes of every job (signer, message, signature).
 * Worker → parent: `{ type: "ready" }` once wasm-crypto is initialised, `{ type: "result", id,
 * results }` with one byte (0/1) per job (transferred), or `{ type: "fatal", message }`.
 * `fault` is the test hook of SignatureVerifierPool.injectFaultForTesting().
 */
export const WORKER_SOURCE = String.raw`
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const nodeCrypto = require("node:crypto");
const wasm = require(workerData.wasmCryptoPath);

const ED25519 = 0, SR25519 = 1, ECDSA = 2;
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
let utilCrypto = null; // loaded on the first ecdsa job: it costs about 100 ms of startup

function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

function verifySr25519(pub, msg, sig) {
  if (pub.length !== 32 || sig.length !== 64) return false;
  try { return wasm.sr25519Verify(sig, msg, pub); } catch { return false; }
}

function verifyEd25519(pub, msg, sig) {
  if (pub.length !== 32 || sig.length !== 64) return false;
  try {
    const der = Buffer.allocUnsafe(44);
    ED25519_SPKI_PREFIX.copy(der, 0);
    der.set(pub, 12);
    return nodeCrypto.verify(null, msg, nodeCrypto.createPublicKey({ key: der, format: "der", type: "spki" }), sig);
  } catch { return false; }
}

function verifyEcdsa(accountId, msg, sig) {
  if (accountId.length !== 32 || sig.length !== 65) return false;
  let v = sig[64];
  if (v > 26) v -= 27;
  if (v > 3) return false;
  try {
    if (utilCrypto === null) utilCrypto = require(workerData.utilCryptoPath);
    const hash = utilCrypto.blake2AsU8a(msg, 256);
    // onlyJs = true: wasm-crypto's secp256k1Recover traps on bad input (see verify.ts)
    const compressed = utilCrypto.secp256k1Recover(hash, sig.subarray(0, 64), v, "blake2", true);
    return equalBytes(utilCrypto.blake2AsU8a(compressed, 256), accountId);
  } catch { return false; }
}

function verifyChunk(buffer, count) {
  const header = new Uint32Array(buffer, 0, count * 4);
  const bytes = new Uint8Array(buffer);
  const results = new Uint8Array(count);
  let offset = count * 16;
  for (let i = 0; i < count; i++) {
    const scheme = header[i * 4], signerLen = header[i * 4 + 1], msgLen = header[i * 4 + 2], sigLen = header[i * 4 + 3];
    const signer = bytes.subarray(offset, offset + signerLen); offset += signerLen;
    const msg = bytes.subarray(offset, offset + msgLen); offset += msgLen;
    const sig = bytes.subarray(offset, offset + sigLen); offset += sigLen;
    let ok = false;
    if (scheme === SR25519) ok = verifySr25519(signer, msg, sig);
    else if (scheme === ED25519) ok = verifyEd25519(signer, msg, sig);
    else if (scheme === ECDSA) ok = verifyEcdsa(signer, msg, sig);
    results[i] = ok ? 1 : 0;
  }
  return results;
}

parentPort.on("message", (m) => {
  if (m.type !== "verify") return;
  if (m.fault === "exit") process.exit(70);
  if (m.fault === "throw") throw new Error("injected worker fault");
  if (m.fault === "hang") { for (;;) {} }
  const results = verifyChunk(m.buffer, m.count);
  parentPort.postMessage({ type: "result", id: m.id, results }, [results.buffer]);
});

wasm.waitReady().then(
  (ok) => parentPort.postMessage(ok ? { type: "ready" } : { type: "fatal", message: "@polkadot/wasm-crypto failed to initialise" }),
  (err) => parentPort.postMessage({ type: "fatal", message: String(err && err.message || err) }),
);
`;
