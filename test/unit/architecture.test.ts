/**
 * The module boundaries of DESIGN.md, checked on the source: the runtime does not reach into the
 * node (RPC, node wiring, p2p, the chain's database-facing parts), no value imports form a cycle,
 * and test support code lives under test/, not in src/.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function walk(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

const SOURCES = walk("src").filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

interface Import {
  target: string;
  typeOnly: boolean;
}

/** Relative imports and re-exports of a file, resolved to repository paths (`.js` → `.ts`). */
function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const out: Import[] = [];
  for (const m of text.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+["'](\.[^"']+)["']/gms)) {
    const target = relative(ROOT, resolve(ROOT, dirname(file), m[3])).replace(/\.js$/, ".ts");
    out.push({ target, typeOnly: Boolean(m[2]) });
  }
  return out;
}

describe("architecture", () => {
  it("the runtime imports nothing of src/chain outside runtime/, codec/, state/, trie/, db/, and nothing of rpc/, node/, cli/, p2p/, keystore/", () => {
    const allowedChain = ["runtime", "codec", "state", "trie", "db"].map((d) => `src/chain/${d}/`);
    const forbiddenTop = ["src/rpc/", "src/node/", "src/cli/", "src/p2p/", "src/keystore/", "src/metrics/"];
    const offenders: string[] = [];
    for (const file of SOURCES.filter((f) => f.startsWith("src/chain/runtime/"))) {
      for (const { target } of importsOf(file)) {
        const inChain = target.startsWith("src/chain/");
        if ((inChain && !allowedChain.some((d) => target.startsWith(d))) || forbiddenTop.some((d) => target.startsWith(d))) offenders.push(`${file} → ${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("no cycles among value imports in src/", () => {
    const graph = new Map(SOURCES.map((f) => [f, importsOf(f).filter((i) => !i.typeOnly).map((i) => i.target)]));
    const state = new Map<string, "visiting" | "done">();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]): void => {
      if (state.get(f) === "done") return;
      if (state.get(f) === "visiting") {
        cycles.push([...path.slice(path.indexOf(f)), f].join(" → "));
        return;
      }
      state.set(f, "visiting");
      for (const t of graph.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, "done");
    };
    for (const f of SOURCES) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it("test support code lives under test/, not src/", () => {
    const helpers = walk("src").filter((f) => /test-helper|testkit|[/\\]testing[/\\.]/.test(f));
    expect(helpers).toEqual([]);
    const yumaIndex = readFileSync(join(ROOT, "src/consensus/yuma/index.ts"), "utf8");
    expect(yumaIndex).not.toMatch(/SubnetSim|syntheticEpochInput|testkit/);
  });
});
