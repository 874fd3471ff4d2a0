/** A pino logger for in-process nodes that keeps its lines (parsed) for assertions. */
import pino from "pino";
import { Writable } from "node:stream";
import type { Logger } from "../../../src/util/logger.js";

export interface CapturedLogger {
  logger: Logger;
  lines: Array<Record<string, unknown> & { msg: string; level: number }>;
}

export function captureLogger(level: pino.LevelWithSilent = "warn", name?: string): CapturedLogger {
  const lines: CapturedLogger["lines"] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const text of String(chunk).split("\n")) {
        if (!text) continue;
        try {
          lines.push(JSON.parse(text));
        } catch {
          lines.push({ msg: text, level: 0 });
        }
        if (lines.length > 20_000) lines.splice(0, 10_000);
      }
      cb();
    },
  });
  const logger = pino({ level, base: name ? { node: name } : undefined }, stream);
  return { logger, lines };
}
