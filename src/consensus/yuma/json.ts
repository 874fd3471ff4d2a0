/**
 * JSON with exact integers. `JSON.parse` turns every number into a double, which silently
 * corrupts u64 values above 2^53 (stakes in RAO reach 2.1·10^16). This parser keeps integer
 * literals as bigint and other numbers as JS numbers; the serializer prints bigints as bare
 * integer literals.
 */
export type JsonValue = null | boolean | string | bigint | number | JsonValue[] | { [key: string]: JsonValue };

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = "JsonSyntaxError";
  }
}

export function parseJson(text: string): JsonValue {
  let pos = 0;
  const fail = (msg: string): never => {
    const before = text.slice(0, pos);
    const line = before.split("\n").length;
    const col = pos - before.lastIndexOf("\n");
    throw new JsonSyntaxError(`invalid JSON at line ${line}, column ${col}: ${msg}`, pos);
  };
  const ws = (): void => {
    while (pos < text.length && (text[pos] === " " || text[pos] === "\t" || text[pos] === "\n" || text[pos] === "\r")) pos++;
  };
  const value = (): JsonValue => {
    ws();
    const c = text[pos];
    if (c === "{") return object();
    if (c === "[") return array();
    if (c === '"') return string();
    if (c === "-" || (c >= "0" && c <= "9")) return number();
    for (const [lit, v] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const)
      if (text.startsWith(lit, pos)) {
        pos += lit.length;
        return v;
      }
    return fail(c === undefined ? "unexpected end of input" : `unexpected character ${JSON.stringify(c)}`);
  };
  const object = (): JsonValue => {
    pos++;
    const out: { [key: string]: JsonValue } = {};
    ws();
    if (text[pos] === "}") {
      pos++;
      return out;
    }
    for (;;) {
      ws();
      if (text[pos] !== '"') fail("expected a string key");
      const k = string();
      ws();
      if (text[pos] !== ":") fail("expected ':'");
      pos++;
      if (Object.prototype.hasOwnProperty.call(out, k)) fail(`duplicate key ${JSON.stringify(k)}`);
      out[k] = value();
      ws();
      if (text[pos] === ",") {
        pos++;
        continue;
      }
      if (text[pos] === "}") {
        pos++;
        return out;
      }
      fail("expected ',' or '}'");
    }
  };
  const array = (): JsonValue => {
    pos++;
    const out: JsonValue[] = [];
    ws();
    if (text[pos] === "]") {
      pos++;
      return out;
    }
    for (;;) {
      out.push(value());
      ws();
      if (text[pos] === ",") {
        pos++;
        continue;
      }
      if (text[pos] === "]") {
        pos++;
        return out;
      }
      fail("expected ',' or ']'");
    }
  };
  const string = (): string => {
    const start = pos;
    pos++;
    while (pos < text.length && text[pos] !== '"') pos += text[pos] === "\\" ? 2 : 1;
    if (pos >= text.length) fail("unterminated string");
    pos++;
    try {
      return JSON.parse(text.slice(start, pos)) as string;
    } catch {
      return fail("invalid string escape");
    }
  };
  const number = (): bigint | number => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos, pos + 400));
    if (!m) return fail("invalid number");
    pos += m[0].length;
    // integers stay exact; anything with a fraction or exponent is not a storage integer
    return m[2] === undefined && m[3] === undefined ? BigInt(m[0]) : Number(m[0]);
  };
  const v = value();
  ws();
  if (pos < text.length) fail("unexpected trailing characters");
  return v;
}

/** JSON text where bigints print as integer literals. Arrays of scalars stay on one line. */
export function stringifyJson(v: unknown, indent = 2): string {
  const scalar = (x: unknown): boolean => x === null || typeof x !== "object";
  const render = (x: unknown, depth: number): string => {
    if (typeof x === "bigint") return x.toString();
    if (x === null || typeof x !== "object") return JSON.stringify(x) ?? "null";
    const pad = " ".repeat(indent * (depth + 1));
    const end = " ".repeat(indent * depth);
    if (Array.isArray(x)) {
      if (x.length === 0) return "[]";
      // compact: rows of pairs and vectors of scalars
      if (x.every(scalar) || x.every((e) => Array.isArray(e) && e.every((f: unknown) => scalar(f) || (Array.isArray(f) && f.every(scalar)))))
        return `[${x.map((e) => renderCompact(e)).join(", ")}]`;
      return `[\n${x.map((e) => pad + render(e, depth + 1)).join(",\n")}\n${end}]`;
    }
    const entries = Object.entries(x as Record<string, unknown>);
    if (entries.length === 0) return "{}";
    return `{\n${entries.map(([k, e]) => `${pad}${JSON.stringify(k)}: ${render(e, depth + 1)}`).join(",\n")}\n${end}}`;
  };
  const renderCompact = (x: unknown): string => {
    if (typeof x === "bigint") return x.toString();
    if (Array.isArray(x)) return `[${x.map(renderCompact).join(", ")}]`;
    if (x !== null && typeof x === "object") return `{${Object.entries(x).map(([k, e]) => `${JSON.stringify(k)}: ${renderCompact(e)}`).join(", ")}}`;
    return JSON.stringify(x) ?? "null";
  };
  return render(v, 0);
}
