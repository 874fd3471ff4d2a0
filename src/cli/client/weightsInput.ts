/**
 * Weight vectors as typed on the command line (`--uids 0,1,2 --weights 0.2,0.3,0.5`) into what the
 * chain takes: u16 UIDs and u16 weights max-upscaled so the largest is 65535 (what btcli's
 * `convert_weights_and_uids_for_emit` sends; the chain stores weights that way).
 */
import { CliError } from "./cliError.js";

export function parseList(text: string, what: string): number[] {
  const parts = text.split(",").map((s) => s.trim()).filter(Boolean);
  if (parts.length === 0) throw new CliError(`${what} is empty`, `give a comma-separated list, e.g. ${what === "--uids" ? "0,1,2" : "0.5,0.5"}`);
  return parts.map((p) => {
    const n = Number(p);
    if (!Number.isFinite(n) || n < 0) throw new CliError(`${what}: "${p}" is not a non-negative number`);
    return n;
  });
}

export function parseUids(text: string, what = "--uids"): number[] {
  const uids = parseList(text, what);
  for (const u of uids) if (!Number.isInteger(u) || u > 65535) throw new CliError(`${what}: ${u} is not a UID (a whole number up to 65535)`);
  return uids;
}

/** Max-upscales to u16: the largest weight becomes 65535, the others keep their ratio (rounded). */
export function weightsToU16(weights: number[]): number[] {
  const max = Math.max(...weights);
  if (!(max > 0)) throw new CliError("at least one weight must be above 0");
  return weights.map((w) => Math.round((w / max) * 65535));
}

export function checkSameLength(uids: number[], weights: number[]): void {
  if (uids.length !== weights.length) throw new CliError(`${uids.length} UIDs but ${weights.length} weights`, "give one weight per UID");
  if (new Set(uids).size !== uids.length) throw new CliError("a UID appears twice", "list each UID once");
}
