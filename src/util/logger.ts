import pino, { type Logger, type LevelWithSilent } from "pino";

export type { Logger };

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Force human-readable output; by default pretty when stdout is a TTY, JSON otherwise. */
  pretty?: boolean;
}

/** The root logger; components take `root.child({ module: "chain" })`. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const pretty = opts.pretty ?? Boolean(process.stdout.isTTY);
  return pino({
    level: opts.level ?? "info",
    base: undefined,
    ...(pretty
      ? { transport: { target: "pino-pretty", options: { colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" } } }
      : {}),
  });
}

/** A logger that drops everything: unit tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
