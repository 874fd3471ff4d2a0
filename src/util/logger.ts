import pino, { type Logger, type LevelWithSilent } from "pino";
import { formatLogLine, type LogRecord } from "./logFormat.js";

export type { Logger, LevelWithSilent };

export interface LoggerOptions {
  /** The default level, for every component without its own. */
  level?: LevelWithSilent;
  /** Per-component levels keyed by the child logger's `module` binding (`-l sync=debug,rpc=info`). */
  modules?: Record<string, LevelWithSilent>;
  /** Force the one-line terminal format; by default on when stdout is a TTY, JSON lines otherwise. */
  pretty?: boolean;
  /** Where pretty lines go (default stdout); tests capture them here. */
  prettyOut?: { write(line: string): unknown };
}

const LEVEL_NAMES = new Set<string>(["trace", "debug", "info", "warn", "error", "fatal", "silent"]);

export class LogDirectiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LogDirectiveError";
  }
}

/**
 * Substrate's `-l/--log` syntax: comma-separated directives, each `level` (the default) or
 * `component=level` (`info,sync=debug,rpc=warn`). Several `-l` flags add up, later ones win.
 */
export function parseLogDirectives(directives: string[]): { level?: LevelWithSilent; modules: Record<string, LevelWithSilent> } {
  let level: LevelWithSilent | undefined;
  const modules: Record<string, LevelWithSilent> = {};
  for (const directive of directives.flatMap((d) => d.split(","))) {
    const item = directive.trim();
    if (!item) continue;
    const eq = item.indexOf("=");
    const lvl = (eq < 0 ? item : item.slice(eq + 1)).trim().toLowerCase();
    if (!LEVEL_NAMES.has(lvl)) {
      throw new LogDirectiveError(`invalid log directive "${item}": level must be one of trace, debug, info, warn, error, silent (e.g. -l info,sync=debug)`);
    }
    if (eq < 0) level = lvl as LevelWithSilent;
    else {
      const target = item.slice(0, eq).trim();
      if (!/^[A-Za-z0-9_.:-]+$/.test(target)) throw new LogDirectiveError(`invalid log directive "${item}": "${target}" is not a component name`);
      modules[target] = lvl as LevelWithSilent;
    }
  }
  return { level, modules };
}

/** The root logger; components take `root.child({ module: "chain" })`. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const pretty = opts.pretty ?? Boolean(process.stdout.isTTY);
  const modules = opts.modules ?? {};
  const moduleLevels = Object.keys(modules).length > 0;
  const options: pino.LoggerOptions = {
    level: opts.level ?? "info",
    base: undefined,
    // A component's level is applied when its child logger is made, so components need not know
    // about `-l`: they keep calling `logger.child({ module })`.
    ...(moduleLevels
      ? {
          onChild: (child: Logger) => {
            const module = child.bindings().module;
            if (typeof module === "string" && modules[module]) child.level = modules[module];
          },
        }
      : {}),
  };
  if (!pretty) return pino(options);
  const out = opts.prettyOut ?? process.stdout;
  const colors = opts.prettyOut ? false : Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  // Formatting happens in this thread (not a pino transport worker) so the line format can be
  // our own function; a node logs a few lines a second, so this costs nothing that matters.
  return pino(options, {
    write(line: string) {
      let rec: LogRecord;
      try {
        rec = JSON.parse(line) as LogRecord;
      } catch {
        out.write(line);
        return;
      }
      out.write(formatLogLine(rec, { colors }));
    },
  });
}

/** A logger that drops everything: unit tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
