/**
 * Runtime API calls made by the RPC layer: builds the runtime's narrow context for a block (state,
 * header, chain identity, metadata, host functions) and maps RuntimeApiError to what Substrate's
 * RPC answers. The runtime knows nothing of JSON-RPC; this file is the only bridge.
 *
 * Error texts are those of a Substrate node (polkadot-sdk `sc-rpc` state API, `client_err`):
 * JSON-RPC 4003 with `Client error: <sp_blockchain::Error>`, e.g.
 * `Client error: Execution failed: Other: Exported method Foo_bar is not found`, or for an unknown
 * hash `Client error: UnknownBlock: Expect block number from id: Hash(0x…)` (state_call; storage
 * reads say `UnknownBlock: Header was not found in the database: 0x…`, and runtime calls made by
 * node code `Api called for an unknown Block: Header was not found in the database: 0x…`).
 */
import { TrieState } from "../chain/blockchain/blockchain.js";
import type { Header } from "../chain/codec/types.js";
import { executeRuntimeApi, type RuntimeApiContext } from "../chain/runtime/api/index.js";
import { RuntimeApiError, type KeystoreHost, type RuntimeHost } from "../chain/runtime/frame/runtimeApi.js";
import { verifySignature } from "../chain/signatures/verify.js";
import { runtimeGenesisConfig } from "../chain/spec.js";
import { bytesEqual, toHex } from "../util/bytes.js";
import { RpcError } from "./errors.js";
import type { RpcServices } from "./methods/services.js";

/** JSON-RPC code of the state API's `Error::Client` (substrate `rpc-api/src/state/error.rs`: BASE 4000 + 3). */
export const STATE_CLIENT_ERROR = 4003;

/** `sp_blockchain::Error::UnknownBlock` for a hash with no header: what storage reads at an unknown block fail with. */
export function unknownBlockMessage(hash: Uint8Array): string {
  return `UnknownBlock: Header was not found in the database: ${toHex(hash)}`;
}

/**
 * `sp_api::ApiError::UnknownBlock`: runtime API calls made by node code (`client.runtime_api()`,
 * `runtime_version_at`): state_getRuntimeVersion, state_getMetadata, payment_*, system_*, custom RPCs.
 */
export function unknownApiBlockMessage(hash: Uint8Array): string {
  return `Api called for an unknown Block: Header was not found in the database: ${toHex(hash)}`;
}

/** What `state_call` says for an unknown hash (LocalCallExecutor first resolves the block number). */
export function unknownCallBlockMessage(hash: Uint8Array): string {
  return `UnknownBlock: Expect block number from id: Hash(${toHex(hash)})`;
}

/** State API `Error::Client` (4003): "Client error: <message>". */
export function stateClientError(message: string): RpcError {
  return new RpcError(STATE_CLIENT_ERROR, `Client error: ${message}`);
}

const hosts = new WeakMap<RpcServices, RuntimeHost>();

/** The host functions a runtime call gets from this node (built once per set of services). */
function runtimeHost(services: RpcServices): RuntimeHost {
  let host = hosts.get(services);
  if (host) return host;
  const keystore: KeystoreHost | undefined = services.keystore && {
    generate: (keyType, scheme, seed) => services.keystore!.generate(keyType, scheme, seed),
  };
  host = {
    verifySignature,
    keystore,
    genesisConfig: runtimeGenesisConfig(services.spec),
    stateRoot: (root, changes) => services.chain.trie.update(root, changes).root,
  };
  hosts.set(services, host);
  return host;
}

/** The runtime API context of block `at`; RuntimeApiError UNKNOWN_BLOCK (with `unknownBlock`'s text) if there is none. */
export function runtimeContext(services: RpcServices, at: Uint8Array, unknownBlock = unknownApiBlockMessage): RuntimeApiContext {
  // most calls are at the best block: its header is at hand (the chain swaps `best` whole on every
  // new best), a database read and a decode fewer per call
  const best = services.chain.best;
  const header = at === best.hash || bytesEqual(at, best.hash) ? best.header : services.chain.header(at);
  if (!header) throw new RuntimeApiError({ code: "UNKNOWN_BLOCK", hash: toHex(at) }, unknownBlock(at));
  return headerRuntimeContext(services, at, header);
}

/**
 * The runtime API context of a block whose header the caller holds: also serves blocks that a
 * chainHead follower keeps pinned after finality pruned them from the database (their state stays
 * readable: trie nodes are never deleted).
 */
export function headerRuntimeContext(services: RpcServices, hash: Uint8Array, header: Header): RuntimeApiContext {
  return {
    runtime: services.runtime,
    chain: services.chain.chainIdentity,
    hash,
    header,
    state: new TrieState(services.chain.trie, header.stateRoot),
    metadata: () => services.metadata,
    host: runtimeHost(services),
  };
}

/** Runs a runtime API at block `at` as node code does (`client.runtime_api()`); throws RuntimeApiError. */
export function callRuntime(services: RpcServices, method: string, data: Uint8Array, at: Uint8Array, unknownBlock = unknownApiBlockMessage): Uint8Array {
  return executeRuntimeApi(runtimeContext(services, at, unknownBlock), method, data);
}

/** `state_call`: a runtime API with SCALE `data` at `at`; failures are 4003 "Client error: …". */
export function stateCall(services: RpcServices, method: string, data: Uint8Array, at: Uint8Array): Uint8Array {
  try {
    return callRuntime(services, method, data, at, unknownCallBlockMessage);
  } catch (e) {
    if (e instanceof RuntimeApiError) throw stateClientError(e.message);
    throw e;
  }
}
