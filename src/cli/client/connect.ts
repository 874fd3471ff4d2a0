/**
 * One connection to a node for one CLI command: @polkadot/api over WebSocket, failing fast with a
 * clear message when nothing answers (no endless reconnect loop), and without polkadot-js's own
 * console chatter (`API-WS: disconnected…`) mixed into the command's output.
 */
import type { ApiPromise } from "@polkadot/api";
import { CliError } from "./cliError.js";

export const DEFAULT_URL = "ws://127.0.0.1:9944";
const CONNECT_TIMEOUT_MS = 15_000;

/** polkadot-js logs as `console.x(date, "API-WS:", …)`; those lines are for library debugging. */
function silencePolkadotLogs(): () => void {
  const original = { error: console.error, warn: console.warn, log: console.log };
  const isLibraryLine = (args: unknown[]): boolean =>
    args.slice(0, 2).some((a) => typeof a === "string" && /^\s*(API|RPC-CORE|REGISTRY|METADATA|API-WS|API\/[A-Z]+)[:/]/.test(a));
  for (const level of ["error", "warn", "log"] as const) {
    console[level] = (...args: unknown[]) => {
      if (!isLibraryLine(args)) original[level](...args);
    };
  }
  return () => Object.assign(console, original);
}

export async function connect(url: string): Promise<ApiPromise> {
  if (!/^wss?:\/\//.test(url)) throw new CliError(`--url must be a ws:// or wss:// address, not "${url}"`, `e.g. --url ${DEFAULT_URL}`);
  const restore = silencePolkadotLogs();
  const { ApiPromise, WsProvider } = await import("@polkadot/api");
  // autoConnect off: a CLI command should fail once, not retry forever
  const provider = new WsProvider(url, false);
  const unreachable = () => new CliError(`cannot reach a node at ${url}`, "start one with `subtensor-ts start --dev`, or point --url at a running node");
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(unreachable()), CONNECT_TIMEOUT_MS);
      provider.on("connected", () => {
        clearTimeout(timer);
        resolve();
      });
      provider.on("error", () => {
        clearTimeout(timer);
        reject(unreachable());
      });
      provider.connect().catch(() => {
        clearTimeout(timer);
        reject(unreachable());
      });
    });
    const api = await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
    const disconnect = api.disconnect.bind(api);
    api.disconnect = async () => {
      try {
        await disconnect();
      } finally {
        restore();
      }
    };
    return api;
  } catch (e) {
    await provider.disconnect().catch(() => undefined);
    restore();
    if (e instanceof CliError) throw e;
    throw new CliError(`the node at ${url} did not answer as expected: ${(e as Error).message}`);
  }
}

/** Runs `fn` with a connected api and always disconnects. */
export async function withApi<T>(url: string, fn: (api: ApiPromise) => Promise<T>): Promise<T> {
  const api = await connect(url);
  try {
    return await fn(api);
  } finally {
    await api.disconnect().catch(() => undefined);
  }
}
