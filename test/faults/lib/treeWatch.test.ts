import { afterEach, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { watchTree, type TreeWatcher } from "./treeWatch.js";
import { poll } from "./wait.js";

describe("watchTree", () => {
  let root: string;
  let w: TreeWatcher | undefined;
  afterEach(() => {
    w?.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** Resolves with the first reported path that matches. */
  const next = (events: Array<[string, string]>, match: (f: string) => boolean): Promise<string> =>
    poll(() => events.find(([, f]) => match(f))?.[1], 10_000, "a file event", 5);

  it("reports files in nested and new directories, and survives the rename and deletion of a watched directory", async () => {
    root = mkdtempSync(join(tmpdir(), "treewatch-"));
    mkdirSync(join(root, "chains", "dev", "db"), { recursive: true });
    const events: Array<[string, string]> = [];
    w = watchTree(root, (event, file) => events.push([event, file]));

    writeFileSync(join(root, "chains", "dev", "db", "CURRENT"), "x");
    expect(await next(events, (f) => f === "chains/dev/db/CURRENT")).toBe("chains/dev/db/CURRENT");

    // a directory that appears later is watched too
    mkdirSync(join(root, "chains", "dev", "network"));
    await next(events, (f) => f === "chains/dev/network");
    writeFileSync(join(root, "chains", "dev", "network", "secret_ed25519"), "k");
    await next(events, (f) => f === "chains/dev/network/secret_ed25519");

    // purge-chain's shape: rename the database to a tombstone, delete its files, remove it
    // (Node 20's recursive fs.watch throws ENOENT uncaught here)
    renameSync(join(root, "chains", "dev", "db"), join(root, "chains", "dev", "db.purging-1"));
    await next(events, (f) => f === "chains/dev/db.purging-1");
    unlinkSync(join(root, "chains", "dev", "db.purging-1", "CURRENT"));
    await next(events, (f) => f === "chains/dev/db.purging-1/CURRENT");
    rmSync(join(root, "chains", "dev", "db.purging-1"), { recursive: true });
    rmSync(join(root, "chains"), { recursive: true });
    writeFileSync(join(root, "after"), "y");
    await next(events, (f) => f === "after");
    // nothing was reported under the old name once it was gone
    expect(events.filter(([, f]) => f === "chains/dev/db/CURRENT").length).toBeGreaterThanOrEqual(1);
    expect(events.some(([, f]) => f.startsWith("chains/dev/db/") && f !== "chains/dev/db/CURRENT")).toBe(false);
  });
});
