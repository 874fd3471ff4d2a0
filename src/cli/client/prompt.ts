/**
 * Everything that asks the person at the terminal: the password (no echo), yes/no confirmations.
 * Scripts never reach a prompt: a password comes from `--password-file` or the environment, and
 * `--yes` answers confirmations; without a TTY and without those, the command stops with an error
 * that says which flag to pass (it never hangs waiting for input nobody will type).
 */
import { readFileSync } from "node:fs";
import { CliError } from "./cliError.js";

export const PASSWORD_ENV = "SUBTENSOR_TS_PASSWORD";

/** Prompts talk on stderr, so stdout carries only the command's output (e.g. its --json document). */
const PROMPT_CONTEXT = { output: process.stderr };

export const isInteractive = (): boolean => Boolean(process.stdin.isTTY && process.stdout.isTTY);

export interface PasswordOptions {
  passwordFile?: string;
}

/** The coldkey password: `--password-file` (its first line), then $SUBTENSOR_TS_PASSWORD, then a prompt. */
export async function getPassword(opts: PasswordOptions, purpose: { wallet: string; confirm?: boolean }): Promise<string> {
  if (opts.passwordFile) {
    let text: string;
    try {
      text = readFileSync(opts.passwordFile, "utf8");
    } catch (e) {
      throw new CliError(`cannot read the password file ${opts.passwordFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return text.split(/\r?\n/)[0];
  }
  const env = process.env[PASSWORD_ENV];
  if (env !== undefined) return env;
  if (!isInteractive()) {
    throw new CliError(`a password is needed for the coldkey of wallet "${purpose.wallet}"`, `run in a terminal, or pass --password-file FILE, or set ${PASSWORD_ENV}`);
  }
  const { password } = await import("@inquirer/prompts");
  const first = await password({ message: `Password for the coldkey of "${purpose.wallet}":` }, PROMPT_CONTEXT);
  if (!purpose.confirm) return first;
  const again = await password({ message: "Repeat the password:" }, PROMPT_CONTEXT);
  if (again !== first) throw new CliError("the passwords do not match");
  return first;
}

/** Asks yes/no; `--yes` answers yes; without a terminal it refuses rather than guess. */
export async function confirmAction(message: string, opts: { yes?: boolean }): Promise<boolean> {
  if (opts.yes) return true;
  if (!isInteractive()) throw new CliError("this needs a confirmation and there is no terminal to ask", "pass --yes (-y) to confirm from a script");
  const { confirm } = await import("@inquirer/prompts");
  return confirm({ message, default: false }, PROMPT_CONTEXT);
}
