/**
 * Just enough Rust reading for the reference extraction: splitting at top-level commas, and
 * evaluating the constant expressions that appear in Subtensor's `type_value` bodies and runtime
 * `parameter_types` (integers with `_` and suffixes, `u64::MAX`, `a * b`, `a / b`, tuples, `vec![]`,
 * booleans, the zero AccountId). Values come out in the fixture's JSON form (see ./fixture.ts).
 */
import type { FixtureValue } from "./fixture.js";

export class RustReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RustReadError";
  }
}

/** Splits "a, B<c, d>, (e, f)" at top-level commas. */
export function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "<" || ch === "(" || ch === "[") depth++;
    if (ch === ">" || ch === ")" || ch === "]") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter(Boolean);
}

/** The text between the bracket at `open` and its matching closing bracket. */
export function bracketed(s: string, open: number): string {
  const pairs: Record<string, string> = { "(": ")", "{": "}", "<": ">", "[": "]" };
  const close = pairs[s[open]];
  if (!close) throw new RustReadError(`no opening bracket at ${open}`);
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === s[open]) depth++;
    else if (s[i] === close && --depth === 0) return s.slice(open + 1, i);
  }
  throw new RustReadError(`unbalanced ${s[open]} at ${open}`);
}

function integer(x: string): bigint {
  const t = x.trim();
  if (t === "u64::MAX") return (1n << 64n) - 1n;
  if (t === "u16::MAX") return 65535n;
  if (t === "u32::MAX") return 0xffff_ffffn;
  const digits = t.replace(/_/g, "").replace(/(u|i)\d+$/, "");
  if (!/^\d+$/.test(digits)) throw new RustReadError(`not an integer expression: ${x}`);
  return BigInt(digits);
}

/** Evaluates a constant expression; integers become decimal strings, as in the fixture. */
export function evalRust(expr: string): FixtureValue {
  const e = expr.replace(/\/\/.*$/gm, "").replace(/\s+/g, " ").trim();
  if (e === "vec![]" || e === "Vec::new()") return [];
  if (e === "true" || e === "false") return e === "true";
  if (e.includes("TrailingZeroInput")) return `0x${"00".repeat(32)}`;
  const tuple = /^\((.*)\)$/.exec(e);
  if (tuple) return splitTop(tuple[1]).map((x) => evalRust(x));
  const bin = /^(.+?)\s*([*/])\s*(.+)$/.exec(e);
  if (bin) return String(bin[2] === "*" ? integer(bin[1]) * integer(bin[3]) : integer(bin[1]) / integer(bin[3]));
  return String(integer(e));
}
