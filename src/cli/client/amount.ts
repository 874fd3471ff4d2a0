/**
 * TAO amounts as users read and type them: `τ1.500000000` out (always 9 decimals, like btcli),
 * `1.5` TAO or, with `--rao`, `1500000000` RAO in. Everything is bigint RAO inside; a typed
 * decimal is parsed as text, never through a float.
 */
import { CliError } from "./cliError.js";

export const RAO_PER_TAO = 1_000_000_000n;
export const TAO_SYMBOL = "τ";

/** `τ1.500000000` (negative amounts keep their sign). */
export function formatTao(rao: bigint, opts: { symbol?: boolean } = {}): string {
  const sign = rao < 0n ? "-" : "";
  const abs = rao < 0n ? -rao : rao;
  const whole = abs / RAO_PER_TAO;
  const frac = (abs % RAO_PER_TAO).toString().padStart(9, "0");
  return `${sign}${opts.symbol === false ? "" : TAO_SYMBOL}${whole.toLocaleString("en-US")}.${frac}`;
}

/** The same number as JSON wants it: a decimal string without symbol or grouping. */
export function taoString(rao: bigint): string {
  const sign = rao < 0n ? "-" : "";
  const abs = rao < 0n ? -rao : rao;
  return `${sign}${abs / RAO_PER_TAO}.${(abs % RAO_PER_TAO).toString().padStart(9, "0")}`;
}

/**
 * Parses an amount: TAO with up to 9 decimals (`1`, `1.5`, `τ0.000000001`), or whole RAO when
 * `rao` is set. Refuses negatives, more than 9 decimals, and anything that is not a number.
 */
export function parseAmount(input: string, opts: { rao?: boolean; what?: string } = {}): bigint {
  const what = opts.what ?? "amount";
  const text = input.trim().replace(/^τ/, "").replace(/_/g, "");
  if (opts.rao) {
    if (!/^\d+$/.test(text)) throw new CliError(`${what} "${input}" is not a whole number of RAO`, "with --rao give an integer such as 1500000000 (= τ1.5)");
    return BigInt(text);
  }
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[1] === "" && (m[2] ?? "") === "")) throw new CliError(`${what} "${input}" is not a TAO amount`, "write it like 1.5 (TAO) or use --rao for RAO");
  const frac = m[2] ?? "";
  if (frac.length > 9) throw new CliError(`${what} "${input}" has more than 9 decimals`, "1 RAO = τ0.000000001 is the smallest unit");
  return BigInt(m[1] || "0") * RAO_PER_TAO + BigInt(frac.padEnd(9, "0") || "0");
}

/** A u16 proportion (x / 65535) as a percentage with two decimals: `18.00%`. */
export function formatU16Percent(value: number): string {
  return `${((value / 65535) * 100).toFixed(2)}%`;
}

/** A u16 proportion as a fraction with 5 decimals (btcli's metagraph columns). */
export function u16Fraction(value: number): number {
  return Math.round((value / 65535) * 100_000) / 100_000;
}

/**
 * A take or other proportion typed as `0.18`, `18%`, into the u16 the chain stores (rounded down,
 * as Subtensor's clients do).
 */
export function parseProportion(input: string, what = "value"): number {
  const text = input.trim();
  const percent = text.endsWith("%");
  const n = Number(percent ? text.slice(0, -1) : text);
  if (!Number.isFinite(n) || n < 0) throw new CliError(`${what} "${input}" is not a proportion`, "write it as 0.18 or 18%");
  const fraction = percent ? n / 100 : n;
  if (fraction > 1) throw new CliError(`${what} "${input}" is above 100%`, "write it as 0.18 or 18%");
  return Math.floor(fraction * 65535);
}
