/**
 * `GenesisBuilder` (version 1, sp_genesis_builder as in polkadot-stable2409): the chain spec's
 * genesis config as RuntimeGenesisConfig JSON.
 *
 * - `get_preset(None)` returns the default config: here the chain spec's own genesis config (the
 *   node hands it to the runtime as a host input), as JSON bytes; named presets do not exist, as in
 *   Subtensor (`preset_names` is empty, `get_preset(Some(_))` is None).
 * - `build_state(json)` checks that the JSON is a config this runtime accepts (known pallet
 *   sections; the SubtensorModule section through its genesis parser). A state_call cannot keep
 *   state, so checking is all that is observable: Ok(()) or Err(reason).
 */
import { bytes, option, vec, type Codec } from "../../codec/scale.js";
import { utf8Bytes } from "../../../util/bytes.js";
import { parseSubtensorGenesis } from "../pallets/subtensor/genesis.js";
import { runtimePanic } from "../frame/runtimeApi.js";
import { GenesisBuildResult, PresetId } from "./codecs.js";
import type { RuntimeApiContext, RuntimeApiImpl } from "./context.js";

/** RuntimeGenesisConfig's sections: the pallets' names in lowerCamelCase, as serde writes them. */
const SECTIONS = ["system", "timestamp", "aura", "grandpa", "balances", "transactionPayment", "subtensorModule", "sudo", "adminUtils"];

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** The reason a genesis config is refused, or null when it is accepted. */
export function genesisConfigProblem(ctx: RuntimeApiContext, json: Uint8Array): string | null {
  let config: unknown;
  try {
    config = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json));
  } catch (e) {
    return `Invalid JSON blob: ${(e as Error).message}`;
  }
  if (typeof config !== "object" || config === null || Array.isArray(config)) return "Invalid JSON blob: expected an object";
  const known = new Set(ctx.runtime.pallets.map((p) => lowerFirst(p.name)).filter((n) => SECTIONS.includes(n)));
  for (const key of Object.keys(config)) if (!known.has(key)) return `Invalid JSON blob: unknown field \`${key}\``;
  const subtensor = (config as Record<string, unknown>).subtensorModule;
  if (subtensor !== undefined) {
    try {
      parseSubtensorGenesis(subtensor as Record<string, unknown>);
    } catch (e) {
      return `Invalid JSON blob: subtensorModule: ${(e as Error).message}`;
    }
  }
  return null;
}

export const genesisBuilderApi: RuntimeApiImpl = {
  name: "GenesisBuilder",
  version: 1,
  docs: ["API to interact with RuntimeGenesisConfig for the runtime"],
  methods: [
    {
      name: "build_state",
      inputs: [{ name: "json", type: bytes as Codec<unknown> }],
      output: GenesisBuildResult as Codec<unknown>,
      docs: ["Build `RuntimeGenesisConfig` from a JSON blob not using any defaults and store it in the", "storage."],
      call: (ctx, [json]) => {
        const problem = genesisConfigProblem(ctx, json as Uint8Array);
        return problem === null ? { tag: "Ok", value: [] } : { tag: "Err", value: problem };
      },
    },
    {
      name: "get_preset",
      inputs: [{ name: "id", type: option(PresetId) as Codec<unknown> }],
      output: option(bytes) as Codec<unknown>,
      docs: ["Returns a JSON blob representation of the built-in `RuntimeGenesisConfig` identified by", "`id`."],
      call: (ctx, [id]) => {
        if (id !== null) return null;
        if (ctx.host.genesisConfig === undefined) throw runtimePanic("GenesisBuilder_get_preset", "no genesis config");
        return utf8Bytes(JSON.stringify(ctx.host.genesisConfig));
      },
    },
    {
      name: "preset_names",
      inputs: [],
      output: vec(PresetId) as Codec<unknown>,
      docs: ["Returns a list of names for available builtin `RuntimeGenesisConfig` presets."],
      call: () => [],
    },
  ],
};
