/**
 * Regenerates the classic Subtensor reference fixture from a Subtensor checkout (a work tree or a
 * bare mirror: files are read with `git show <commit>:<path>`):
 *
 *   npm run reference:subtensor -- [--repo DIR] [--commit REV] [--out FILE]
 *
 * Defaults: the local mirror /work/.mirror/opentensor+subtensor/repo, commit de1026780 (the classic
 * Subtensor our declarations follow), test/fixtures/subtensor/classic-<short commit>.json. The
 * output is deterministic: regenerating from the same commit gives the same bytes.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { extractReference } from "./extract.js";

const DEFAULT_REPO = "/work/.mirror/opentensor+subtensor/repo";
const DEFAULT_COMMIT = "de1026780";

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = args[i + 1];
  if (!v || v.startsWith("--")) throw new Error(`${name} needs a value`);
  return v;
}

function main(argv: string[]): void {
  const repo = option(argv, "--repo", DEFAULT_REPO);
  const rev = option(argv, "--commit", DEFAULT_COMMIT);
  const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { maxBuffer: 64 << 20 }).toString();
  const commit = git("rev-parse", "--verify", `${rev}^{commit}`).trim();
  const show = (path: string) => git("show", `${commit}:${path}`);
  const reference = extractReference(
    {
      lib: show("pallets/subtensor/src/lib.rs"),
      errors: show("pallets/subtensor/src/errors.rs"),
      events: show("pallets/subtensor/src/events.rs"),
      root: show("pallets/subtensor/src/root.rs"),
      adminUtils: show("pallets/admin-utils/src/lib.rs"),
      runtime: show("runtime/src/lib.rs"),
    },
    { repository: "opentensor/subtensor", commit, generator: "scripts/subtensor-reference/main.ts" },
  );
  const out = resolve(option(argv, "--out", `test/fixtures/subtensor/classic-${commit.slice(0, 9)}.json`));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(reference, null, 2)}\n`);
  console.log(
    `${out}: ${reference.storage.length} storage items, ${reference.errors.length} errors, ${reference.events.length} events, ${reference.constants.length} constants, ${reference.calls.length} calls (subtensor ${commit})`,
  );
}

main(process.argv.slice(2));
