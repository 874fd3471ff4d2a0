/**
 * Parameter validators for RPC method definitions.
 *
 * A method lists one `ParamSpec` per positional parameter; the server turns the request's `params`
 * into parsed values (or a -32602 error) before the handler runs:
 *
 * ```ts
 * { name: "state_getStorage", params: [hex().named("key"), optional(hash()).named("at")], handler: ([key, at]) => … }
 * ```
 *
 * Rules (mirroring jsonrpsee's `ParamsSequence` / proc-macro decoding):
 * - `params` may be a positional array, missing (= `[]`) or `null` (= `[]`);
 * - an object is accepted as named params: each spec is looked up by its `name` (also in
 *   snake_case and camelCase);
 * - a missing trailing parameter, or `null`, is `undefined` for an `optional(...)` spec;
 * - extra positional parameters are ignored (jsonrpsee does not check for leftovers).
 *
 * Errors are `{code: -32602, message: "Invalid params", data: "param 1 'at': expected 0x-prefixed hex
 * string of 32 bytes, got string \"0x12\""}`; polkadot-js displays them as
 * `-32602: Invalid params: param 1 'at': …` (it mangles parentheses in `data`, so messages avoid them).
 */
import { RpcError, invalidParams } from "./errors.js";

export interface ParamSpec<T = unknown> {
  /** Used in error messages and to look the value up in named (object) params. */
  readonly name?: string;
  /** True when the parameter may be omitted or `null` (parsed as `undefined`). */
  readonly optional: boolean;
  /**
   * What the parameter must be, for error messages, e.g. "0x-prefixed hex string of 32 bytes".
   * No parentheses: polkadot-js rewrites them when it displays error data.
   */
  readonly expected: string;
  /**
   * Validate and convert a present value. `at` names the position for error messages
   * (e.g. `param 1 'at'`). Throws RpcError -32602.
   */
  parse(value: unknown, at: string): T;
  /** The same spec with a name. */
  named(name: string): ParamSpec<T>;
}

/** The parsed type of a spec. */
export type ParamValue<S> = S extends ParamSpec<infer T> ? T : never;

const U32_MAX = 0xffff_ffff;

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  switch (typeof value) {
    case "string": {
      const s = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
      return `string ${s}${value.length > 40 ? ` of ${value.length} chars` : ""}`;
    }
    case "number":
    case "boolean":
      return `${typeof value} ${String(value)}`;
    case "object":
      return "an object";
    default:
      return typeof value;
  }
}

function mismatch(at: string, expected: string, value: unknown): RpcError {
  return invalidParams(`${at}: expected ${expected}, got ${describe(value)}`);
}

function makeSpec<T>(
  expected: string,
  parse: (value: unknown, at: string) => T,
  optional = false,
  name?: string,
): ParamSpec<T> {
  const spec: ParamSpec<T> = {
    optional,
    expected,
    parse,
    named: (n: string) => makeSpec(expected, parse, optional, n),
  };
  if (name !== undefined) (spec as { name?: string }).name = name;
  return spec;
}

/** Decode `0x`-prefixed hex (even number of digits) into bytes, or undefined if it is not valid hex. */
function decodeHex(s: string): Uint8Array | undefined {
  if (!s.startsWith("0x") || s.length % 2 !== 0) return undefined;
  const digits = s.length - 2;
  const buf = Buffer.from(s.slice(2), "hex");
  // Buffer.from(…, "hex") stops silently at the first invalid digit
  if (buf.length * 2 !== digits) return undefined;
  return new Uint8Array(buf);
}

export interface HexOptions {
  /** Exact length in bytes. */
  bytes?: number;
  /** Maximum length in bytes. */
  maxBytes?: number;
}

/** A `0x`-prefixed hex string with an even number of digits; parsed to bytes. */
export function hex(opts: HexOptions = {}): ParamSpec<Uint8Array> {
  const expected =
    opts.bytes !== undefined
      ? `0x-prefixed hex string of ${opts.bytes} bytes`
      : opts.maxBytes !== undefined
        ? `0x-prefixed hex string of at most ${opts.maxBytes} bytes`
        : "0x-prefixed hex string with an even number of digits";
  return makeSpec(expected, (value, at) => {
    if (typeof value !== "string") throw mismatch(at, expected, value);
    if (opts.bytes !== undefined && value.length !== 2 + opts.bytes * 2) throw mismatch(at, expected, value);
    if (opts.maxBytes !== undefined && value.length > 2 + opts.maxBytes * 2) throw mismatch(at, expected, value);
    const bytes = decodeHex(value);
    if (bytes === undefined) throw mismatch(at, expected, value);
    return bytes;
  });
}

/**
 * Hex as polkadot-sdk's rpc-spec-v2 parses it (`array_bytes::hex2bytes`): the `0x` prefix is
 * optional and the empty string is empty bytes (e.g. chainHead_v1_call's `callParameters: ""`).
 */
export function looseHex(): ParamSpec<Uint8Array> {
  const expected = "hex string, 0x prefix optional";
  return makeSpec(expected, (value, at) => {
    if (typeof value !== "string") throw mismatch(at, expected, value);
    const bytes = decodeHex(value.startsWith("0x") ? value : `0x${value}`);
    if (bytes === undefined) throw mismatch(at, expected, value);
    return bytes;
  });
}

/** A 32-byte hash (`0x` + 64 hex digits), e.g. a block hash; parsed to bytes. */
export function hash(): ParamSpec<Uint8Array> {
  return hex({ bytes: 32 });
}

/** A JSON number that is an integer in 0..=u16::MAX (e.g. a netuid or uid). */
export function u16(): ParamSpec<number> {
  const expected = "u16 integer 0..=65535";
  return makeSpec(expected, (value, at) => {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 0xffff) throw mismatch(at, expected, value);
    return value;
  });
}

/**
 * Rust's `Vec<u8>` as serde_json reads it: a JSON array of integers 0..=255 (what Subtensor's
 * custom RPCs take for accounts). Parsed to bytes.
 */
export function byteArray(): ParamSpec<Uint8Array> {
  const expected = "array of byte values 0..=255";
  return makeSpec(expected, (value, at) => {
    if (!Array.isArray(value) || !value.every((b) => typeof b === "number" && Number.isInteger(b) && b >= 0 && b <= 255)) throw mismatch(at, expected, value);
    return Uint8Array.from(value as number[]);
  });
}

/** A JSON number that is an integer in 0..=u32::MAX. */
export function u32(): ParamSpec<number> {
  const expected = "u32 integer 0..=4294967295";
  return makeSpec(expected, (value, at) => {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > U32_MAX) {
      throw mismatch(at, expected, value);
    }
    return value;
  });
}

function parseNumberOrHex(value: unknown): bigint | undefined {
  if (typeof value === "number") {
    return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
  }
  if (typeof value === "string" && /^0x[0-9a-fA-F]{1,64}$/.test(value)) return BigInt(value);
  return undefined;
}

/**
 * Substrate's `NumberOrHex`: a non-negative JSON integer or a `0x` hex string (at most 256 bits;
 * any number of digits, odd allowed). Parsed to a bigint.
 */
export function numberOrHex(): ParamSpec<bigint> {
  const expected = "non-negative integer or 0x-prefixed hex number";
  return makeSpec(expected, (value, at) => {
    const n = parseNumberOrHex(value);
    if (n === undefined) throw mismatch(at, expected, value);
    return n;
  });
}

/** A block number: a JSON integer or a `0x` hex number, within u32. Parsed to a number. */
export function blockNumber(): ParamSpec<number> {
  const expected = "block number: u32 integer or 0x-prefixed hex";
  return makeSpec(expected, (value, at) => {
    const n = parseNumberOrHex(value);
    if (n === undefined || n > BigInt(U32_MAX)) throw mismatch(at, expected, value);
    return Number(n);
  });
}

/** A JSON string. */
export function string(opts: { maxLength?: number } = {}): ParamSpec<string> {
  const expected = opts.maxLength !== undefined ? `string of at most ${opts.maxLength} chars` : "string";
  return makeSpec(expected, (value, at) => {
    if (typeof value !== "string") throw mismatch(at, expected, value);
    if (opts.maxLength !== undefined && value.length > opts.maxLength) throw mismatch(at, expected, value);
    return value;
  });
}

/** One of the given strings (e.g. `"PERSISTENT" | "LOCAL"`). */
export function oneOf<const T extends string>(values: readonly T[]): ParamSpec<T> {
  const expected = `one of ${values.map((v) => JSON.stringify(v)).join(", ")}`;
  return makeSpec(expected, (value, at) => {
    if (typeof value !== "string" || !(values as readonly string[]).includes(value)) {
      throw mismatch(at, expected, value);
    }
    return value as T;
  });
}

/** A JSON boolean. */
export function bool(): ParamSpec<boolean> {
  return makeSpec("boolean", (value, at) => {
    if (typeof value !== "boolean") throw mismatch(at, "boolean", value);
    return value;
  });
}

/** A JSON array whose elements all match `of`. */
export function array<T>(of: ParamSpec<T>, opts: { maxLength?: number } = {}): ParamSpec<T[]> {
  const expected =
    opts.maxLength !== undefined
      ? `array of at most ${opts.maxLength} items, each ${of.expected}`
      : `array of ${of.expected}`;
  return makeSpec(expected, (value, at) => {
    if (!Array.isArray(value)) throw mismatch(at, expected, value);
    if (opts.maxLength !== undefined && value.length > opts.maxLength) throw mismatch(at, expected, value);
    return value.map((item, i) => of.parse(item, `${at}[${i}]`));
  });
}

/** Substrate's `ListOrValue<T>`: a single value or an array of them (the caller checks `Array.isArray`). */
export function listOrValue<T>(of: ParamSpec<T>): ParamSpec<T | T[]> {
  const expected = `${of.expected} or an array of them`;
  return makeSpec(expected, (value, at) => {
    if (Array.isArray(value)) return value.map((item, i) => of.parse(item, `${at}[${i}]`));
    return of.parse(value, at);
  });
}

/** Any JSON value, unchecked (`null` included). */
export function any(): ParamSpec<unknown> {
  return makeSpec("any JSON value", (value) => value);
}

/** The parameter may be omitted or `null`; both parse as `undefined`. */
export function optional<T>(of: ParamSpec<T>): ParamSpec<T | undefined> {
  const parse = (value: unknown, at: string): T | undefined =>
    value === undefined || value === null ? undefined : of.parse(value, at);
  return makeSpec(`${of.expected} or null`, parse, true, of.name);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const toSnake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const toCamel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function byName(obj: Record<string, unknown>, name: string | undefined): unknown {
  if (name === undefined) return undefined;
  for (const key of [name, toSnake(name), toCamel(name)]) {
    if (Object.prototype.hasOwnProperty.call(obj, key)) return obj[key];
  }
  return undefined;
}

/**
 * Parse a request's `params` member against the specs. Returns one value per spec (extra
 * positional values are dropped). Throws RpcError -32602.
 */
export function parseParams(specs: readonly ParamSpec[], raw: unknown): unknown[] {
  let values: readonly unknown[];
  if (raw === undefined || raw === null) values = [];
  else if (Array.isArray(raw)) values = raw;
  else if (isPlainObject(raw)) values = specs.map((s) => byName(raw, s.name));
  else throw invalidParams(`params must be an array or an object, got ${describe(raw)}`);

  return specs.map((spec, i) => {
    const at = spec.name !== undefined ? `param ${i} '${spec.name}'` : `param ${i}`;
    const value = values[i];
    if (value === undefined) {
      if (spec.optional) return undefined;
      throw invalidParams(`${at}: missing, expected ${spec.expected}`);
    }
    return spec.parse(value, at);
  });
}
