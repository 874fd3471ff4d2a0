/**
 * Who may call, decided per request: browser origins (`--rpc-cors`), whether the caller is local
 * (unsafe methods under `--rpc-methods auto`), and the JSON content types jsonrpsee accepts.
 */
import type http from "node:http";

/** Substrate's default `--rpc-cors` outside `--dev` (polkadot-sdk `sc-cli` RunCmd::rpc_cors). */
export const DEFAULT_CORS_ORIGINS: readonly string[] = [
  "http://localhost:*",
  "http://127.0.0.1:*",
  "http://[::1]:*",
  "https://localhost:*",
  "https://127.0.0.1:*",
  "https://[::1]:*",
  "https://polkadot.js.org",
];

/** `http://localhost:*` → matches `http://localhost` and `http://localhost:3000`; other `*` match a host label run. */
function compileOrigin(pattern: string): RegExp {
  const p = pattern.trim().replace(/\/+$/, "").toLowerCase();
  let src = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === ":" && p[i + 1] === "*" && i + 2 === p.length) {
      src += "(?::\\d{1,5})?";
      break;
    }
    src += c === "*" ? "[a-z0-9.-]*" : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${src}$`);
}

/** The allowed browser origins: a list where `*` is a wildcard, `"all"`, or `"none"`. */
export class CorsPolicy {
  readonly all: boolean;
  readonly description: string;
  private readonly patterns: RegExp[];

  constructor(cors: readonly string[] | "all" | "none" = DEFAULT_CORS_ORIGINS) {
    if (cors === "all" || (Array.isArray(cors) && cors.some((o) => o.trim() === "*" || o.trim() === "all"))) {
      this.all = true;
      this.patterns = [];
      this.description = "*";
    } else {
      const list = cors === "none" ? [] : (cors as readonly string[]).filter((o) => o.trim() !== "");
      this.all = false;
      this.patterns = list.map(compileOrigin);
      this.description = list.length === 0 ? "none" : list.join(",");
    }
  }

  allows(origin: string): boolean {
    if (this.all) return true;
    const o = origin.toLowerCase();
    return this.patterns.some((re) => re.test(o));
  }
}

function isLoopback(addr: string | undefined): boolean {
  if (addr === undefined) return false;
  if (addr === "::1") return true;
  const v4 = addr.startsWith("::ffff:") ? addr.slice(7) : addr;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** Local = a loopback peer and no proxy headers (a proxy in front makes every caller look local). */
export function defaultIsLocal(addr: string | undefined, headers: http.IncomingHttpHeaders): boolean {
  return isLoopback(addr) && headers["forwarded"] === undefined && headers["x-forwarded-for"] === undefined && headers["x-real-ip"] === undefined;
}

/** jsonrpsee accepts application/json and application/json-rpc (optionally `; charset=utf-8`). */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const [type, ...rest] = value.split(";").map((s) => s.trim().toLowerCase());
  if (type !== "application/json" && type !== "application/json-rpc") return false;
  return rest.every((param) => param === "" || param === "charset=utf-8");
}
