/**
 * The CLI's one error type: a message for the user, an optional next step, and (when the error
 * came from the chain) the Substrate error name. The program's top level prints these as
 * `Error: message` plus the hint (or as JSON with --json) and exits 1; anything else is a bug
 * and prints its stack.
 */
export class CliError extends Error {
  constructor(
    message: string,
    /** what the user can do about it */
    readonly hint?: string,
    /** `Pallet.Error` name when the chain refused, e.g. `SubtensorModule.HotKeyNotRegisteredInSubNet` */
    readonly chainError?: string,
  ) {
    super(message);
    this.name = "CliError";
  }
}
