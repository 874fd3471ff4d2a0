/**
 * Chain specs: the JSON format of genesis.json, its validation, and the built-in `dev` spec.
 * Amounts are strings of RAO (1 TAO = 10^9 RAO) so that JSON never rounds them.
 */
import { readFileSync } from "node:fs";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady, decodeAddress, encodeAddress } from "@polkadot/util-crypto";
import { ChainSpecError } from "./specError.js";
import { SubtensorGenesisError, parseSubtensorGenesis } from "./runtime/pallets/subtensor/genesis.js";
import type { RuntimeConfig } from "./runtime/index.js";

export interface ChainSpec {
  name: string;
  id: string;
  chainType: "Development" | "Local" | "Live";
  bootNodes: string[];
  protocolId: string;
  properties: { ss58Format: number; tokenDecimals: number; tokenSymbol: string };
  consensus: {
    /** Aura slot duration; one block per slot. */
    slotDurationMs: number;
    /** Each authority's two keys, as Substrate specs list them: Aura (sr25519) and finality (ed25519), SS58. */
    authorities: AuthorityKeys[];
  };
  /** The sudo key, SS58; null for a chain without sudo. */
  sudo: string | null;
  /** Endowed accounts: [SS58, free balance in RAO]. */
  balances: Array<[string, string]>;
  /** SubtensorModule genesis (subnets, hyperparameters, emission options): filled by later issues. */
  subtensor?: Record<string, unknown>;
}

export interface AuthorityKeys {
  /** sr25519 key that seals blocks (Aura) */
  aura: string;
  /** ed25519 key that signs finality votes (GRANDPA-style) */
  grandpa: string;
}

export { ChainSpecError };

export const TAO = 1_000_000_000n;
export const DEV_ACCOUNTS = ["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"];

/** Both keys of an authority from one secret URI, as Substrate's dev keys (//Alice → sr25519 + ed25519). */
export async function authorityKeysFromSuri(suri: string): Promise<AuthorityKeys> {
  await cryptoWaitReady();
  return {
    aura: new Keyring({ type: "sr25519", ss58Format: 42 }).addFromUri(suri).address,
    grandpa: new Keyring({ type: "ed25519", ss58Format: 42 }).addFromUri(suri).address,
  };
}

/** A built-in spec for local networks: dev accounts endowed, //Alice sudo, the dev chain's subtensor genesis. */
async function builtInSpec(base: { name: string; id: string; chainType: ChainSpec["chainType"]; authorities: string[]; slotDurationMs: number }): Promise<ChainSpec> {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  const addr = (name: string) => keyring.addFromUri(`//${name}`).address;
  return {
    name: base.name,
    id: base.id,
    chainType: base.chainType,
    bootNodes: [],
    protocolId: "subtensor-ts",
    properties: { ss58Format: 42, tokenDecimals: 9, tokenSymbol: "TAO" },
    consensus: { slotDurationMs: base.slotDurationMs, authorities: await Promise.all(base.authorities.map((n) => authorityKeysFromSuri(`//${n}`))) },
    sudo: addr("Alice"),
    balances: DEV_ACCOUNTS.map((n) => [addr(n), (1_000_000n * TAO).toString()]),
    subtensor: devSubtensorGenesis(addr("Alice"), keyring.addFromUri("//Alice//owner").address),
  };
}

/** The `--dev` spec: //Alice the only authority and sudo; the six dev accounts endowed with 1 000 000 TAO each. */
export function devChainSpec(slotDurationMs = 12_000): Promise<ChainSpec> {
  return builtInSpec({ name: "Development", id: "dev", chainType: "Development", authorities: ["Alice"], slotDurationMs });
}

/** The `--chain local` spec: the 4-authority local testnet (//Alice, //Bob, //Charlie, //Dave), otherwise as dev. */
export function localChainSpec(slotDurationMs = 12_000): Promise<ChainSpec> {
  return builtInSpec({ name: "Local Testnet", id: "local_testnet", chainType: "Local", authorities: ["Alice", "Bob", "Charlie", "Dave"], slotDurationMs });
}

/**
 * The dev chain relaxes what makes local scripts fail, through genesis parameters (not code
 * branches): subnets can be created back to back at a low lock cost, and subnet 1 exists from
 * genesis, owned by //Alice, with registrations uncapped in practice and no weights rate limit.
 * Subnets created later with register_network get Subtensor's classic new-subnet values; change
 * them with AdminUtils (sudo or the subnet owner).
 */
export function devSubtensorGenesis(owner: string, ownerHotkey: string): Record<string, unknown> {
  return {
    networkRateLimit: 0,
    networkMinLockCost: (10n * TAO).toString(),
    txRateLimit: 0,
    rootNetwork: true,
    subnets: [
      {
        netuid: 1,
        owner,
        ownerHotkey,
        hyperparameters: {
          tempo: 99,
          weightsSetRateLimit: 0,
          maxRegistrationsPerBlock: 256,
          targetRegistrationsPerInterval: 256,
          minAllowedWeights: 1,
          burn: TAO.toString(),
          minBurn: "1",
        },
      },
    ],
  };
}

function fail(field: string, reason: string): never {
  throw new ChainSpecError({ code: "CHAIN_SPEC_INVALID", field, reason }, `invalid chain spec: ${field}: ${reason}`);
}

function checkAuthority(field: string, value: unknown): AuthorityKeys {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(field, 'expected {"aura": "<sr25519 SS58>", "grandpa": "<ed25519 SS58>"}: each authority lists its Aura and finality keys');
  }
  const o = value as Record<string, unknown>;
  return { aura: checkAddress(`${field}.aura`, o.aura), grandpa: checkAddress(`${field}.grandpa`, o.grandpa) };
}

function checkAddress(field: string, value: unknown): string {
  if (typeof value !== "string") fail(field, "expected an SS58 address string");
  try {
    return encodeAddress(decodeAddress(value), 42);
  } catch {
    fail(field, `not a valid SS58 address: ${value}`);
  }
}

/** Validates a parsed chain spec object and returns it normalized; errors name the bad field. */
export function parseChainSpec(raw: unknown): ChainSpec {
  if (typeof raw !== "object" || raw === null) fail("(root)", "expected a JSON object");
  const o = raw as Record<string, any>;
  for (const f of ["name", "id"]) if (typeof o[f] !== "string" || !o[f]) fail(f, "expected a non-empty string");
  if (!/^[a-z0-9_]+$/.test(o.id)) fail("id", "use lower-case letters, digits and _ (it names the database directory)");
  const chainType = o.chainType ?? "Local";
  if (!["Development", "Local", "Live"].includes(chainType)) fail("chainType", "expected Development, Local or Live");
  const props = o.properties ?? {};
  const properties = {
    ss58Format: props.ss58Format ?? 42,
    tokenDecimals: props.tokenDecimals ?? 9,
    tokenSymbol: props.tokenSymbol ?? "TAO",
  };
  if (!Number.isInteger(properties.ss58Format)) fail("properties.ss58Format", "expected an integer");
  const c = o.consensus ?? fail("consensus", "missing");
  if (!Number.isInteger(c.slotDurationMs) || c.slotDurationMs < 100) fail("consensus.slotDurationMs", "expected an integer ≥ 100");
  if (!Array.isArray(c.authorities) || c.authorities.length === 0) fail("consensus.authorities", "expected a non-empty array of SS58 addresses");
  const authorities: AuthorityKeys[] = c.authorities.map((a: unknown, i: number) => checkAuthority(`consensus.authorities[${i}]`, a));
  const seenKeys = new Set<string>();
  authorities.forEach((a, i) => {
    for (const k of [`aura:${a.aura}`, `grandpa:${a.grandpa}`]) {
      if (seenKeys.has(k)) fail(`consensus.authorities[${i}]`, `duplicate authority key ${k.slice(k.indexOf(":") + 1)}`);
      seenKeys.add(k);
    }
  });
  if (authorities.length > 32) fail("consensus.authorities", "at most 32 authorities (MaxAuthorities)");
  const sudo = o.sudo === null || o.sudo === undefined ? null : checkAddress("sudo", o.sudo);
  if (!Array.isArray(o.balances)) fail("balances", "expected an array of [address, amount in RAO]");
  const seen = new Set<string>();
  const balances = o.balances.map((entry: unknown, i: number): [string, string] => {
    if (!Array.isArray(entry) || entry.length !== 2) fail(`balances[${i}]`, "expected [address, amount]");
    const address = checkAddress(`balances[${i}][0]`, entry[0]);
    if (seen.has(address)) fail(`balances[${i}][0]`, `duplicate account ${address}`);
    seen.add(address);
    const amount = String(entry[1]);
    if (!/^[0-9]+$/.test(amount)) fail(`balances[${i}][1]`, "expected a non-negative integer amount in RAO (as a string)");
    if (BigInt(amount) >= 1n << 64n) fail(`balances[${i}][1]`, "amount overflows u64");
    return [address, amount];
  });
  // Validate the SubtensorModule section now, so a bad spec fails before anything is written.
  try {
    parseSubtensorGenesis(typeof o.subtensor === "object" && o.subtensor ? o.subtensor : {});
  } catch (e) {
    if (e instanceof SubtensorGenesisError) fail(e.type.field, e.type.reason);
    throw e;
  }
  return {
    name: o.name,
    id: o.id,
    chainType,
    bootNodes: Array.isArray(o.bootNodes) ? o.bootNodes.map(String) : [],
    protocolId: typeof o.protocolId === "string" ? o.protocolId : "subtensor-ts",
    properties,
    consensus: { slotDurationMs: c.slotDurationMs, authorities },
    sudo,
    balances,
    subtensor: typeof o.subtensor === "object" && o.subtensor ? o.subtensor : {},
  };
}

/**
 * The spec's genesis as Substrate's RuntimeGenesisConfig JSON (one section per pallet, lowerCamelCase
 * names): what GenesisBuilder_get_preset(None) returns. Balances are JSON numbers when exact, as
 * serde writes a u64, else decimal strings.
 */
export function runtimeGenesisConfig(spec: ChainSpec): Record<string, unknown> {
  const amount = (a: string): number | string => (BigInt(a) <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(a) : a);
  return {
    system: {},
    aura: { authorities: spec.consensus.authorities.map((a) => a.aura) },
    grandpa: { authorities: spec.consensus.authorities.map((a) => [a.grandpa, 1]) },
    balances: { balances: spec.balances.map(([who, a]) => [who, amount(a)]) },
    sudo: { key: spec.sudo },
    subtensorModule: spec.subtensor ?? {},
  };
}

/** The runtime configuration a chain spec asks for (the faucet exists on Development chains only). */
export function runtimeConfigOf(spec: ChainSpec): RuntimeConfig {
  return { faucet: spec.chainType === "Development", slotDurationMs: spec.consensus.slotDurationMs };
}

export function loadChainSpecFile(path: string): ChainSpec {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ChainSpecError({ code: "CHAIN_SPEC_UNREADABLE", path, reason: (e as Error).message }, `cannot read chain spec ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ChainSpecError({ code: "CHAIN_SPEC_UNREADABLE", path, reason: (e as Error).message }, `chain spec ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseChainSpec(json);
}

/** The built-in chains: `--chain dev` / `--dev`, and `--chain local`. */
export const BUILT_IN_CHAINS = ["dev", "local"] as const;

/**
 * `dev` and `local` → the built-in specs; anything else is a path to a JSON spec. `blockTimeMs`
 * (`--block-time`) replaces the spec's slot duration: a development and testing aid, refused for
 * Live chains, whose slot duration is part of what every node of the network must agree on.
 */
export async function resolveChainSpec(chain: string, blockTimeMs?: number): Promise<ChainSpec> {
  const spec = chain === "dev" ? await devChainSpec() : chain === "local" ? await localChainSpec() : loadChainSpecFile(chain);
  if (blockTimeMs !== undefined) {
    if (spec.chainType === "Live") {
      throw new ChainSpecError(
        { code: "CHAIN_SPEC_INVALID", field: "consensus.slotDurationMs", reason: "--block-time on a Live chain" },
        `--block-time is only for Development and Local chains: "${spec.name}" is a Live chain, whose slot duration (${spec.consensus.slotDurationMs} ms) comes from its chain spec`,
      );
    }
    spec.consensus.slotDurationMs = blockTimeMs;
  }
  return spec;
}
