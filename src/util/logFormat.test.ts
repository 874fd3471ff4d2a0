/** The terminal log format and the `-l` directives. */
import { describe, expect, it } from "vitest";
import { formatBandwidth, formatLogLine, shortHash } from "./logFormat.js";
import { createLogger, LogDirectiveError, parseLogDirectives } from "./logger.js";

const at = new Date(2026, 4, 1, 10, 0, 0, 123).getTime();

describe("one line per event", () => {
  it("prints Substrate's Imported line: time, glyph, message, nothing else", () => {
    const line = formatLogLine({ level: 30, time: at, module: "chain", msg: "Imported #1234 (0x1a2b…9f0e)", number: 1234, hash: "0x1a2b", extrinsics: 2 });
    expect(line).toBe("2026-05-01 10:00:00.123 ✨ Imported #1234 (0x1a2b…9f0e)\n");
  });

  it("shows level and component for warnings, with the context the message lacks and the error text", () => {
    const line = formatLogLine({ level: 40, time: at, module: "rpc", msg: "RPC result is not serializable", method: "foo_bar", err: { message: "cyclic", stack: "Error: cyclic\n    at x" } });
    expect(line).toBe("2026-05-01 10:00:00.123  WARN rpc: RPC result is not serializable: cyclic method=foo_bar\n");
    expect(line.split("\n").filter(Boolean)).toHaveLength(1);
  });

  it("formats hashes and bandwidth as the informant does", () => {
    expect(shortHash("0x1a2b3c4d5e6f77889f0e")).toBe("0x1a2b…9f0e");
    expect(formatBandwidth(0)).toBe("0");
    expect(formatBandwidth(57)).toBe("57 B/s");
    expect(formatBandwidth(1229)).toBe("1.2kiB/s");
    expect(formatBandwidth(3.4 * 1024 * 1024)).toBe("3.4MiB/s");
  });
});

describe("-l directives", () => {
  it("parse a default level and per-component levels", () => {
    expect(parseLogDirectives(["info,sync=debug", "rpc=warn"])).toEqual({ level: "info", modules: { sync: "debug", rpc: "warn" } });
    expect(parseLogDirectives(["debug"])).toEqual({ level: "debug", modules: {} });
    expect(() => parseLogDirectives(["sync=loud"])).toThrow(LogDirectiveError);
  });

  it("apply a component's level to its child logger only", () => {
    const lines: string[] = [];
    const root = createLogger({ level: "info", modules: { chain: "debug", rpc: "error" }, pretty: true, prettyOut: { write: (l: string) => lines.push(l) } });
    root.child({ module: "chain" }).debug("chain detail");
    root.child({ module: "txpool" }).debug("pool detail");
    root.child({ module: "rpc" }).warn("rpc warning");
    root.child({ module: "rpc" }).error("rpc error");
    root.child({ module: "txpool" }).info("pool info");
    expect(lines.map((l) => l.slice(24).trim())).toEqual(["DEBUG chain: chain detail", "ERROR rpc: rpc error", "pool info"]);
  });
});
