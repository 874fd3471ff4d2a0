/**
 * Chain specs: the JSON format of genesis.json, its validation, and the built-in `dev` spec.
 * Amounts are strings of RAO (1 TAO = 10^9 RAO) so that JSON never rounds them.
 */
import { readFileSync } from "node:fs";
import { Keyring } from "@polkadot/keyring";
import { cryptoWaitReady, decodeAddress, encodeAddress } from "@polkadot/util-crypto";
import { ChainSpecError } from "./specError.js";
import { parseSubtensorGenesis } from "./runtime/pallets/subtensor/genesis.js";

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
    /** Aura authorities (sr25519), SS58. */
    authorities: string[];
  };
  /** The sudo key, SS58; null for a chain without sudo. */
  sudo: string | null;
  /** Endowed accounts: [SS58, free balance in RAO]. */
  balances: Array<[string, string]>;
  /** SubtensorModule genesis (subnets, hyperparameters, emission options): filled by later issues. */
  subtensor?: Record<string, unknown>;
}

export { ChainSpecError };

export const TAO = 1_000_000_000n;
export const DEV_ACCOUNTS = ["Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"];

/** The `--dev` spec: //Alice authority and sudo; the six dev accounts endowed with 1 000 000 TAO each. */
export async function devChainSpec(slotDurationMs = 12_000): Promise<ChainSpec> {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: "sr25519", ss58Format: 42 });
  const addr = (name: string) => keyring.addFromUri(`//${name}`).address;
  return {
    name: "Development",
    id: "dev",
    chainType: "Development",
    bootNodes: [],
    protocolId: "subtensor-ts",
    properties: { ss58Format: 42, tokenDecimals: 9, tokenSymbol: "TAO" },
    consensus: { slotDurationMs, authorities: [addr("Alice")] },
    sudo: addr("Alice"),
    balances: DEV_ACCOUNTS.map((n) => [addr(n), (1_000_000n * TAO).toString()]),
    subtensor: devSubtensorGenesis(addr("Alice"), keyring.addFromUri("//Alice//owner").address),
  };
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
  const authorities = c.authorities.map((a: unknown, i: number) => checkAddress(`consensus.authorities[${i}]`, a));
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
  parseSubtensorGenesis(typeof o.subtensor === "object" && o.subtensor ? o.subtensor : {});
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

/** `dev` → the built-in dev spec; anything else is a path to a JSON spec. */
export async function resolveChainSpec(chain: string, slotDurationMs?: number): Promise<ChainSpec> {
  if (chain === "dev") return devChainSpec(slotDurationMs);
  const spec = loadChainSpecFile(chain);
  if (slotDurationMs) spec.consensus.slotDurationMs = slotDurationMs;
  return spec;
}
