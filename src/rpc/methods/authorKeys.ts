/**
 * `author_*` key management (polkadot-sdk `sc-rpc` author API): the node's keystore and the
 * runtime's SessionKeys API. All are unsafe (refused on non-local connections unless
 * `--rpc-methods unsafe`), as in Substrate.
 *
 * - `author_rotateKeys` → SessionKeys_generate_session_keys(None) at the best block: new Aura and
 *   GRANDPA keys in the keystore, returned as their concatenated public keys (hex);
 * - `author_insertKey(keyType, suri, publicKey)` stores a key;
 * - `author_hasKey(publicKey, keyType)` / `author_hasSessionKeys(sessionKeys)` ask the keystore,
 *   the latter after SessionKeys_decode_session_keys.
 *
 * Failures are Substrate's author `other` errors, code 1040 with the error's text: "Invalid key
 * type ID format (should be of length four)", "The key store is unavailable", "Session keys are
 * not encoded correctly", "Client error: …".
 */
import { DecodedSessionKeys } from "../../chain/runtime/api/codecs.js";
import { RuntimeApiError } from "../../chain/runtime/frame/runtimeApi.js";
import { bytes } from "../../chain/codec/scale.js";
import { KeystoreError, type Keystore } from "../../keystore/keystore.js";
import { RpcError } from "../errors.js";
import { hex, string } from "../params.js";
import type { RpcRegistry } from "../registry.js";
import { callRuntime } from "../runtimeCalls.js";
import { ErrorBase, toHex } from "./common.js";
import type { RpcServices } from "./services.js";

/** Substrate's author `OTHER_ERR`. */
export const AUTHOR_OTHER_ERROR = ErrorBase.AUTHOR + 40;

const other = (message: string) => new RpcError(AUTHOR_OTHER_ERROR, message);

function keystoreOf(services: RpcServices): Keystore {
  if (!services.keystore) throw other("The key store is unavailable");
  return services.keystore;
}

/** Runs `f`, mapping keystore and runtime failures to 1040 errors. */
function keyCall<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof KeystoreError) throw other(e.message);
    if (e instanceof RuntimeApiError) throw other(`Client error: ${e.message}`);
    throw e;
  }
}

export function register(registry: RpcRegistry, services: RpcServices): void {
  registry.addMethod({
    name: "author_rotateKeys",
    unsafe: true,
    params: [],
    handler: () =>
      keyCall(() => {
        keystoreOf(services);
        // SCALE Option<Vec<u8>>::None in, Vec<u8> out
        return toHex(bytes.decode(callRuntime(services, "SessionKeys_generate_session_keys", new Uint8Array([0]), services.chain.best.hash)));
      }),
  });

  registry.addMethod({
    name: "author_insertKey",
    unsafe: true,
    params: [string().named("keyType"), string().named("suri"), hex().named("publicKey")],
    handler: ([keyType, suri, publicKey]: [string, string, Uint8Array]) => keyCall(() => keystoreOf(services).insert(keyType, suri, publicKey)),
  });

  registry.addMethod({
    name: "author_hasKey",
    unsafe: true,
    params: [hex().named("publicKey"), string().named("keyType")],
    handler: ([publicKey, keyType]: [Uint8Array, string]) => keyCall(() => keystoreOf(services).has(keyType, publicKey)),
  });

  registry.addMethod({
    name: "author_hasSessionKeys",
    unsafe: true,
    params: [hex().named("sessionKeys")],
    handler: ([sessionKeys]: [Uint8Array]) =>
      keyCall(() => {
        const keystore = keystoreOf(services);
        const decoded = DecodedSessionKeys.decode(callRuntime(services, "SessionKeys_decode_session_keys", bytes.encode(sessionKeys), services.chain.best.hash));
        if (decoded === null) throw other("Session keys are not encoded correctly");
        const td = new TextDecoder();
        return keystore.hasAll(decoded.map(([pub, type]) => [pub, td.decode(type)]));
      }),
  });
}
