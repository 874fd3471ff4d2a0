/**
 * How client commands print: tables (cli-table3) and colour (picocolors, off when NO_COLOR is set
 * or stdout is not a terminal) for people; with `--json`, exactly one JSON document on stdout for
 * scripts (bigints as decimal strings, so RAO amounts never lose digits).
 */
import pc from "picocolors";

export interface OutputOptions {
  json?: boolean;
}

/** JSON.stringify that writes bigints as strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2);
}

export function printJson(value: unknown): void {
  process.stdout.write(toJson(value) + "\n");
}

export const colors = pc.createColors(Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);

export function line(text = ""): void {
  process.stdout.write(text + "\n");
}

export function success(text: string): void {
  line(`${colors.green("✔")} ${text}`);
}

/** A table with a header row, optional footer row (totals), right-aligned numeric columns. */
export async function printTable(head: string[], rows: Array<Array<string | number>>, opts: { footer?: Array<string | number>; title?: string; align?: Array<"left" | "right" | "center"> } = {}): Promise<void> {
  const { default: Table } = await import("cli-table3");
  const table = new Table({
    head: head.map((h) => colors.bold(h)),
    style: { head: [], border: [], compact: true },
    colAligns: opts.align ?? head.map((_, i) => (i === 0 ? "right" : "left")),
  });
  for (const r of rows) table.push(r.map(String));
  if (opts.footer) table.push(opts.footer.map((c) => colors.bold(String(c))));
  if (opts.title) line(colors.bold(opts.title));
  line(table.toString());
}

/** `5GrwvaEF…KutQY`: an address short enough for a table column. */
export function shortAddress(address: string, full = false): string {
  return full || address.length <= 16 ? address : `${address.slice(0, 8)}…${address.slice(-5)}`;
}
