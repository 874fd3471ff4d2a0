/**
 * The informant: every few seconds one status line in Substrate's words, the line operators paste
 * into issues —
 *
 *   Idle (3 peers), best: #1234 (0x1a2b…9f0e), finalized #1232 (0x77aa…01bc), ⬇ 1.2kiB/s ⬆ 0.8kiB/s
 *   Syncing 8.4 bps, target=#5000 (3 peers), best: #1234 (0x1a2b…9f0e), finalized #1232 (…), ⬇ … ⬆ …
 *
 * Peers, bandwidth and the sync target come from the network layer through `NetworkStatus`;
 * without one (a single dev node) they read as 0 and Idle.
 */
import type { Blockchain } from "../chain/blockchain/blockchain.js";
import type { Logger } from "../util/logger.js";
import { toHex } from "../util/bytes.js";
import { formatBandwidth, shortHash } from "../util/logFormat.js";

export interface NetworkStatus {
  peers(): number;
  /** total bytes received and sent since start (the informant turns them into rates) */
  bytes?(): { received: number; sent: number };
  /** the best block number announced by peers while this node is behind; undefined when in sync */
  syncTarget?(): number | undefined;
}

export interface InformantOptions {
  intervalMs?: number;
}

/** Substrate's informant period. */
export const INFORMANT_INTERVAL_MS = 5_000;

export class Informant {
  private timer?: NodeJS.Timeout;
  private last: { at: number; best: number; received: number; sent: number };

  constructor(
    private readonly modules: { chain: Blockchain; logger: Logger; network?: NetworkStatus; now?: () => number },
    private readonly opts: InformantOptions = {},
  ) {
    const bytes = modules.network?.bytes?.() ?? { received: 0, sent: 0 };
    this.last = { at: this.now(), best: modules.chain.best.number, ...bytes };
  }

  private now(): number {
    return this.modules.now?.() ?? Date.now();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.opts.intervalMs ?? INFORMANT_INTERVAL_MS);
    // the status line must never keep a stopping process alive
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The status line for the interval since the previous one (exposed for tests). */
  statusLine(): { msg: string; fields: Record<string, unknown> } {
    const { chain, network } = this.modules;
    const now = this.now();
    const seconds = Math.max((now - this.last.at) / 1000, 0.001);
    const bytes = network?.bytes?.() ?? { received: 0, sent: 0 };
    const down = (bytes.received - this.last.received) / seconds;
    const up = (bytes.sent - this.last.sent) / seconds;
    const best = chain.best;
    const finalized = chain.finalized;
    const peers = network?.peers() ?? 0;
    const target = network?.syncTarget?.();
    const bps = (best.number - this.last.best) / seconds;
    this.last = { at: now, best: best.number, ...bytes };
    const head =
      target !== undefined && target > best.number
        ? `Syncing ${bps.toFixed(1)} bps, target=#${target} (${peers} peers)`
        : `Idle (${peers} peers)`;
    const msg = `${head}, best: #${best.number} (${shortHash(toHex(best.hash))}), finalized #${finalized.number} (${shortHash(toHex(finalized.hash))}), ⬇ ${formatBandwidth(down)} ⬆ ${formatBandwidth(up)}`;
    return { msg, fields: { best: best.number, finalized: finalized.number, peers, ...(target !== undefined ? { target } : {}) } };
  }

  private tick(): void {
    const { msg, fields } = this.statusLine();
    this.modules.logger.info(fields, msg);
  }
}
