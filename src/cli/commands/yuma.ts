/**
 * `subtensor-ts yuma CASE.json` — runs one Yuma epoch case (yuma-spec.md §2) and prints
 * Subtensor's outputs as JSON, or as a per-uid table with `--table`. `-` reads the case from
 * stdin. A case file may also hold a list of independent cases. Bad input: a message naming the
 * field, exit code 1.
 */
import { readFile } from "node:fs/promises";
import { Command } from "commander";
import { formatOutput, formatTable, parseCases } from "../../consensus/yuma/case.js";
import { runEpoch } from "../../consensus/yuma/epoch.js";
import { YumaError } from "../../consensus/yuma/errors.js";

/** Runs the case text and renders the result: the command's whole logic, kept pure for tests. */
export function runYumaCase(text: string, opts: { table?: boolean } = {}): string {
  const { inputs, single } = parseCases(text);
  const outputs = inputs.map((input) => runEpoch(input));
  if (opts.table) return outputs.map((o, i) => (single ? "" : `# case ${i}\n`) + formatTable(o)).join("\n\n");
  return formatOutput(single ? outputs[0] : outputs);
}

async function readCase(path: string): Promise<string> {
  if (path !== "-") return readFile(path, "utf8");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

export function yumaCommand(): Command {
  return new Command("yuma")
    .description("run one Yuma consensus epoch from a case file and print the outputs")
    .argument("<case>", "case JSON file (yuma-spec.md §2), or - for stdin")
    .option("--table", "print a per-uid table instead of JSON")
    .action(async (casePath: string, opts: { table?: boolean }, cmd: Command) => {
      let text: string;
      try {
        text = await readCase(casePath);
      } catch (e) {
        cmd.error(`error: cannot read ${casePath}: ${(e as Error).message}`, { exitCode: 1, code: "yuma.read" });
        return;
      }
      try {
        process.stdout.write(runYumaCase(text, opts) + "\n");
      } catch (e) {
        if (e instanceof YumaError) cmd.error(`error: ${e.message}`, { exitCode: 1, code: `yuma.${e.code}` });
        throw e;
      }
    });
}
