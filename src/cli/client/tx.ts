/**
 * Every transaction command goes through here: show what it will do and its fee, ask (unless
 * `--yes`), submit, follow it (submitted → in block → finalized, with a spinner on a terminal),
 * then print the result or the chain's error decoded into its Subtensor name with a one-line
 * explanation and the next step (errorHelp.ts).
 *
 * A `Sudo.sudo` call succeeds as an extrinsic even when the wrapped call fails; the wrapped
 * result is in the `Sudid` event, so that is checked too.
 */
import type { ApiPromise } from "@polkadot/api";
import type { SubmittableExtrinsic } from "@polkadot/api/types";
import type { KeyringPair } from "@polkadot/keyring/types";
import type { DispatchError, EventRecord } from "@polkadot/types/interfaces";
import { CliError } from "./cliError.js";
import { explainChainError, explainSubmissionError, type ErrorContext } from "./errorHelp.js";
import { formatTao } from "./amount.js";
import { colors, line, printJson, success } from "./output.js";
import { confirmAction } from "./prompt.js";
import type { LazySigner } from "./options.js";

export interface TxOptions {
  yes?: boolean;
  json?: boolean;
  /** how far to follow the transaction (default: finalized) */
  waitFor?: "inblock" | "finalized";
}

export interface TxPlan {
  /** a short title: "Transfer", "Register on subnet 1", … */
  action: string;
  /** what will happen, as label → value lines */
  details: Array<[string, string]>;
  call: SubmittableExtrinsic<"promise">;
  /** a key, or a coldkey that is unlocked (password asked) only once the user confirmed */
  signer: KeyringPair | LazySigner;
  /** for explaining errors in the command's terms */
  context?: ErrorContext;
}

export interface TxEvent {
  section: string;
  method: string;
  data: unknown;
}

export interface TxResult {
  success: true;
  action: string;
  extrinsicHash: string;
  blockHash: string;
  blockNumber: number;
  finalized: boolean;
  fee: bigint;
  events: TxEvent[];
}

/** `subtensorModule` → `SubtensorModule` (the names errorHelp and the docs use). */
const palletName = (section: string): string => section.charAt(0).toUpperCase() + section.slice(1);

/** A DispatchError as `Pallet.Error` (module errors) or the variant name (`BadOrigin`, `Token.FundsUnavailable`). */
export function dispatchErrorName(api: ApiPromise, error: DispatchError): { name: string; docs: string } {
  if (error.isModule) {
    try {
      const meta = api.registry.findMetaError(error.asModule);
      return { name: `${palletName(meta.section)}.${meta.name}`, docs: meta.docs.join(" ").trim() };
    } catch {
      return { name: `Module(${error.asModule.index.toNumber()}, ${error.asModule.error.toHex()})`, docs: "" };
    }
  }
  const inner = (error as unknown as Record<string, { type?: string } | undefined>)[`as${error.type}`];
  return { name: inner?.type ? `${error.type}.${inner.type}` : error.type, docs: "" };
}

/** The error a failed dispatch becomes: name, explanation, next step. */
export function chainFailure(api: ApiPromise, error: DispatchError, ctx: ErrorContext = {}): CliError {
  const { name, docs } = dispatchErrorName(api, error);
  const short = name.includes(".") && !name.startsWith("Token.") && !name.startsWith("Arithmetic.") ? name.slice(name.indexOf(".") + 1) : name;
  const help = explainChainError(name, ctx);
  if (help) return new CliError(`${short}: ${help.explain}`, help.next, name);
  return new CliError(`${short}${docs ? `: ${docs}` : ""}`, undefined, name);
}

function failureFromEvents(api: ApiPromise, events: EventRecord[], ctx: ErrorContext): CliError | undefined {
  for (const { event } of events) {
    if (event.section === "system" && event.method === "ExtrinsicFailed") return chainFailure(api, event.data[0] as DispatchError, ctx);
    if (event.section === "sudo" && event.method === "Sudid") {
      const result = event.data[0] as unknown as { isErr: boolean; asErr: DispatchError };
      if (result.isErr) return chainFailure(api, result.asErr, ctx);
    }
  }
  return undefined;
}

/**
 * The chain refuses transactions from accounts that do not exist (no providers: never funded), even
 * fee-free ones such as a hotkey's set_weights (CheckNonce). Say so before anything is signed.
 */
export async function ensureSignerExists(api: ApiPromise, address: string, label: string): Promise<void> {
  const account = (await api.query.system.account(address)) as unknown as { providers: { isZero(): boolean }; sufficients: { isZero(): boolean } };
  if (account.providers.isZero() && account.sufficients.isZero()) {
    throw new CliError(
      `the ${label} ${address} does not exist on chain yet (it has never held TAO), and the chain refuses transactions it signs`,
      `send it a little TAO first: \`subtensor-ts wallet transfer --dest ${address} --amount 0.01\``,
    );
  }
}

async function estimateFee(plan: TxPlan): Promise<bigint> {
  try {
    const info = await plan.call.paymentInfo(plan.signer.address);
    return info.partialFee.toBigInt();
  } catch (e) {
    throw submissionFailure(e, plan.context ?? {});
  }
}

function submissionFailure(e: unknown, ctx: ErrorContext): CliError {
  if (e instanceof CliError) return e;
  const message = (e as Error)?.message ?? String(e);
  const help = explainSubmissionError(message, ctx);
  const clean = message.replace(/^\d+:\s*/, "");
  if (help) return new CliError(`the node refused the transaction (${clean}): ${help.explain}`, help.next);
  return new CliError(`the node refused the transaction: ${clean}`);
}

interface Spinner {
  text: string;
  start(): Spinner;
  succeed(text?: string): Spinner;
  fail(text?: string): Spinner;
  stop(): Spinner;
}

async function spinner(enabled: boolean): Promise<Spinner> {
  if (!enabled) {
    const quiet: Spinner = { text: "", start: () => quiet, succeed: () => quiet, fail: () => quiet, stop: () => quiet };
    return quiet;
  }
  const { default: ora } = await import("ora");
  return ora({ stream: process.stderr }) as unknown as Spinner;
}

/** Event fields by name when the metadata names them (toPrimitive: numbers stay numbers, big ones strings). */
function eventData(data: EventRecord["event"]["data"]): unknown {
  const values = data.map((d) => d.toPrimitive());
  const names = (data as unknown as { names?: string[] | null }).names;
  return names && names.length === values.length ? Object.fromEntries(names.map((n, i) => [n, values[i]])) : values;
}

/** Shows the plan and fee, confirms, submits and follows the transaction; throws CliError on failure. */
export async function submitTx(api: ApiPromise, plan: TxPlan, opts: TxOptions): Promise<TxResult> {
  const ctx = plan.context ?? {};
  await ensureSignerExists(api, plan.signer.address, "publicKey" in plan.signer ? "hotkey" : "coldkey");
  const fee = await estimateFee(plan);
  if (!opts.json) {
    line(colors.bold(plan.action));
    for (const [label, value] of plan.details) line(`  ${label.padEnd(14)} ${value}`);
    line(`  ${"fee".padEnd(14)} ${formatTao(fee)}`);
  }
  if (!(await confirmAction("Submit this transaction?", opts))) throw new CliError("cancelled: nothing was submitted");
  // a KeyringPair has a publicKey; a LazySigner only an address until unlocked
  const pair: KeyringPair = "publicKey" in plan.signer ? plan.signer : await (plan.signer as LazySigner).unlock();

  const waitFor = opts.waitFor ?? "finalized";
  const spin = (await spinner(!opts.json && Boolean(process.stderr.isTTY))).start();
  spin.text = "Submitting…";
  const result = await new Promise<TxResult>((resolve, reject) => {
    let unsub: (() => void) | undefined;
    let settled = false;
    let inBlock: { hash: string; number?: number } | undefined;
    const finish = (err: CliError | undefined, value?: TxResult) => {
      if (settled) return;
      settled = true;
      unsub?.();
      if (err) reject(err);
      else resolve(value!);
    };
    plan.call
      .signAndSend(pair, async (res) => {
        const { status, events, txHash } = res;
        try {
          if (status.isReady || status.isBroadcast) spin.text = `Submitted ${txHash.toHex().slice(0, 10)}…, waiting for a block`;
          if (status.isInBlock || status.isFinalized) {
            const blockHash = status.isInBlock ? status.asInBlock.toHex() : status.asFinalized.toHex();
            if (!inBlock) {
              const header = await api.rpc.chain.getHeader(blockHash);
              inBlock = { hash: blockHash, number: header.number.toNumber() };
              spin.text = `In block #${inBlock.number} (${blockHash.slice(0, 10)}…)${waitFor === "finalized" ? ", waiting for finality" : ""}`;
            }
            const failure = failureFromEvents(api, events as EventRecord[], ctx);
            if (failure) return finish(failure);
            if (status.isFinalized || waitFor === "inblock") {
              finish(undefined, {
                success: true,
                action: plan.action,
                extrinsicHash: txHash.toHex(),
                blockHash,
                blockNumber: inBlock.number ?? 0,
                finalized: status.isFinalized,
                fee,
                events: (events as EventRecord[]).map(({ event }) => ({ section: event.section, method: event.method, data: eventData(event.data) })),
              });
            }
          }
          if (status.isDropped || status.isInvalid || status.isUsurped) finish(new CliError(`the transaction was ${status.type.toLowerCase()} by the node's pool`, "check the account's nonce and balance, then retry"));
          if (status.isRetracted || status.isFinalityTimeout) spin.text = `${status.type}; still waiting`;
        } catch (e) {
          finish(e instanceof CliError ? e : new CliError(`following the transaction failed: ${(e as Error).message}`));
        }
      })
      .then(
        (u) => {
          unsub = u;
          if (settled) u();
        },
        (e) => finish(submissionFailure(e, ctx)),
      );
  }).catch((e: CliError) => {
    // the error itself is printed once, by the program's error handler
    spin.fail(colors.red("Transaction failed"));
    throw e;
  });
  spin.stop();
  if (opts.json) printJson(result);
  else success(`${plan.action}: ${result.finalized ? "finalized" : "included"} in block #${result.blockNumber} (${result.blockHash})`);
  return result;
}
