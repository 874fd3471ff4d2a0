/**
 * A node turns its runtime's diagnostics into a warning line and a Prometheus counter: the
 * runtime has no logger and must not write such things into state.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { Node } from "./node.js";
import { devChainSpec } from "../chain/spec.js";
import { P2P_DEFAULTS } from "./options.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("runtime diagnostics", () => {
  it("a Yuma reference fallback is logged with its reason and counted per subnet", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split("\n")) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    const basePath = mkdtempSync(join(tmpdir(), "subtensor-ts-diag-"));
    dirs.push(basePath);
    const node = await Node.create({
      spec: await devChainSpec(),
      basePath,
      name: "diag",
      logger: pino({ level: "info", base: undefined }, sink),
      rpcPort: 0,
      rpcExternal: false,
      rpcMethods: "auto",
      verifierWorkers: 0,
      prometheus: { port: 0, external: false },
      p2p: { ...P2P_DEFAULTS, listenAddrs: ["/ip4/127.0.0.1/tcp/0"] },
    });
    try {
      node.runtime.diagnostics.report({ kind: "yumaReferenceFallback", netuid: 3, block: 42, reason: "fast epoch path unavailable: test" });
      node.runtime.diagnostics.report({ kind: "yumaReferenceFallback", netuid: 3, block: 43, reason: "fast epoch path unavailable: test" });
      await new Promise<void>((r) => setImmediate(r));
      const warn = lines.find((l) => l.level === 40 && l.netuid === 3);
      expect(warn).toMatchObject({ netuid: 3, block: 42, reason: "fast epoch path unavailable: test" });
      expect(String(warn!.msg)).toMatch(/reference path/);
      const metric = await node.metrics!.yumaReferenceFallbacks.get();
      expect(metric.values.find((v) => v.labels.netuid === "3")?.value).toBe(2);
    } finally {
      await node.stop();
    }
  });
});
