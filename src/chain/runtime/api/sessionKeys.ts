/**
 * `SessionKeys` (version 1): the runtime's session keys are those of Subtensor's `opaque::SessionKeys`
 * — an Aura key (sr25519, key type "aura") then a GRANDPA key (ed25519, "gran"). Encoded, they are
 * the two 32-byte public keys back to back. `author_rotateKeys` calls `generate_session_keys`,
 * which creates both keys in the node's keystore (a host function) and returns that encoding.
 */
import { bytes, option, type Codec } from "../../codec/scale.js";
import { concatBytes, utf8Bytes } from "../../../util/bytes.js";
import { runtimePanic, type KeyTypeId } from "../frame/runtimeApi.js";
import { DecodedSessionKeys } from "./codecs.js";
import type { RuntimeApiImpl } from "./context.js";

/** The session keys, in `SessionKeys` field order. */
export const SESSION_KEYS: ReadonlyArray<{ keyType: KeyTypeId; scheme: "sr25519" | "ed25519" }> = [
  { keyType: "aura", scheme: "sr25519" },
  { keyType: "gran", scheme: "ed25519" },
];

const PUBLIC_KEY_LENGTH = 32;

/**
 * `SessionKeys::decode_into_raw_public_keys`: the (public key, key type) pairs of encoded session
 * keys, or null when they do not decode (too short; trailing bytes are ignored, as `decode` does).
 */
export function decodeSessionKeys(encoded: Uint8Array): Array<[Uint8Array, Uint8Array]> | null {
  if (encoded.length < SESSION_KEYS.length * PUBLIC_KEY_LENGTH) return null;
  return SESSION_KEYS.map((k, i) => [encoded.slice(i * PUBLIC_KEY_LENGTH, (i + 1) * PUBLIC_KEY_LENGTH), utf8Bytes(k.keyType)]);
}

export const sessionKeysApi: RuntimeApiImpl = {
  name: "SessionKeys",
  version: 1,
  docs: ["Session keys runtime api."],
  methods: [
    {
      name: "generate_session_keys",
      inputs: [{ name: "seed", type: option(bytes) as Codec<unknown> }],
      output: bytes as Codec<unknown>,
      docs: [
        "Generate a set of session keys with optionally using the given seed.",
        "The keys should be stored within the keystore exposed via runtime",
        "externalities.",
        "",
        "The seed needs to be a valid `utf8` string.",
        "",
        "Returns the concatenated SCALE encoded public keys.",
      ],
      call: (ctx, [seed]) => {
        const keystore = ctx.host.keystore;
        if (!keystore) throw runtimePanic("SessionKeys_generate_session_keys", "No `keystore` associated for the current context!");
        const phrase = seed === null ? undefined : new TextDecoder("utf-8", { fatal: true }).decode(seed as Uint8Array);
        return concatBytes(...SESSION_KEYS.map((k) => keystore.generate(k.keyType, k.scheme, phrase)));
      },
    },
    {
      name: "decode_session_keys",
      inputs: [{ name: "encoded", type: bytes as Codec<unknown> }],
      output: DecodedSessionKeys as Codec<unknown>,
      docs: ["Decode the given public session keys.", "", "Returns the list of public raw public keys + key type."],
      call: (_ctx, [encoded]) => decodeSessionKeys(encoded as Uint8Array),
    },
  ],
};
