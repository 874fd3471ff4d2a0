/**
 * The terminal log format: one line per event, as Substrate operators read it —
 *
 *   2026-05-01 10:00:00.123 ✨ Imported #1234 (0x1a2b…9f0e)
 *   2026-05-01 10:00:05.000 💤 Idle (0 peers), best: #1234 (0x1a2b…9f0e), finalized #1234 (0x1a2b…9f0e), ⬇ 0 ⬆ 0
 *   2026-05-01 10:00:06.001  WARN rpc: RPC result is not serializable method=foo
 *
 * INFO lines show the time and the message (the message carries the facts); other levels add the
 * level and the component (`module`). Context fields the message does not already show are
 * appended as `key=value`, so nothing is lost that the JSON line would have had. Machines get the
 * JSON lines (stdout not a TTY); this format is for people only.
 */
import pc from "picocolors";

export interface LogRecord {
  level: number;
  time?: number;
  msg?: string;
  module?: string;
  err?: { message?: string; stack?: string; type?: string };
  [key: string]: unknown;
}

/** pino's numeric levels. */
const LEVELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };

/** A glyph for the messages Substrate decorates, so the usual lines look the usual way. */
const GLYPHS: Array<[RegExp, string]> = [
  [/^Imported #/, "✨"],
  [/^Idle \(/, "💤"],
  [/^Syncing/, "⚙️ "],
  [/^Prepared block for proposing/, "🎁"],
  [/^Finalized #/, "🏁"],
  [/^(Prometheus exporter|Dashboard)/, "〽️"],
  [/JSON-RPC/, "🏷 "],
];

/** Fields whose facts the standard messages already print (Imported/Idle/Prepared lines). */
const SHOWN_IN_MESSAGE = new Set(["number", "hash", "extrinsics", "parentHash", "txs", "best", "finalized", "peers", "elapsedMs"]);
const RESERVED = new Set(["level", "time", "msg", "module", "err", "pid", "hostname", "v"]);

const pad2 = (n: number): string => String(n).padStart(2, "0");

/** Local time as `YYYY-MM-DD HH:MM:SS.mmm`. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0")}`;
}

function valueText(v: unknown): string {
  if (typeof v === "string") return /\s/.test(v) ? JSON.stringify(v) : v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (v === null || v === undefined) return String(v);
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

export interface FormatOptions {
  colors?: boolean;
}

/** One pino record as one terminal line (with a trailing newline). */
export function formatLogLine(rec: LogRecord, opts: FormatOptions = {}): string {
  const c = pc.createColors(opts.colors ?? false);
  const levelName = LEVELS[rec.level] ?? String(rec.level);
  const msg = rec.msg ?? "";
  const parts: string[] = [c.gray(formatTime(rec.time ?? Date.now()))];
  if (levelName !== "INFO") {
    const color = rec.level >= 50 ? c.red : rec.level >= 40 ? c.yellow : rec.level >= 20 ? c.cyan : c.gray;
    parts.push(color(levelName.padStart(5)));
    if (rec.module) parts.push(c.dim(`${rec.module}:`));
  } else {
    const glyph = GLYPHS.find(([re]) => re.test(msg));
    if (glyph) parts.push(glyph[1]);
  }
  let text = levelName === "INFO" ? msg : rec.level >= 40 ? c.bold(msg) : msg;
  if (rec.err?.message) text += `: ${rec.err.message}`;
  const extras: string[] = [];
  for (const [k, v] of Object.entries(rec)) {
    if (RESERVED.has(k) || SHOWN_IN_MESSAGE.has(k) || v === undefined) continue;
    const shown = valueText(v);
    // a value the message already prints (e.g. the port in "listening on port 9944") is noise
    if (msg.includes(shown)) continue;
    extras.push(`${k}=${shown}`);
  }
  if (extras.length) text += " " + c.dim(extras.join(" "));
  let line = `${parts.join(" ")} ${text}\n`;
  // stacks only when someone asked for detail (debug or trace)
  if (rec.err?.stack && rec.level < 30) line += c.dim(rec.err.stack) + "\n";
  return line;
}

/** `0x1a2b…9f0e`: the short hash Substrate prints. */
export function shortHash(hex: string): string {
  return hex.length <= 12 ? hex : `${hex.slice(0, 6)}…${hex.slice(-4)}`;
}

/** Substrate's informant transfer rate: `0`, `57 B/s`, `1.2kiB/s`, `3.4MiB/s`. */
export function formatBandwidth(bytesPerSecond: number): string {
  const b = Math.round(bytesPerSecond);
  if (b <= 0) return "0";
  if (b < 100) return `${b} B/s`;
  if (b < 1024 * 1024) return `${(b / 1024).toFixed(1)}kiB/s`;
  return `${(b / (1024 * 1024)).toFixed(1)}MiB/s`;
}
