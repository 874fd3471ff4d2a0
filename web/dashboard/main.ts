/**
 * The devnet dashboard. Everything comes from the node's own WebSocket RPC through @polkadot/api
 * and the same ChainReader the CLI uses: new and finalized heads by subscription; subnets,
 * issuance, peers and pool size refreshed at each new block; the selected subnet's metagraph
 * refreshed when its epoch has run (and every few blocks for new registrations).
 */
import { ApiPromise, WsProvider } from "@polkadot/api";
import { ChainReader, type MetagraphView, type NeuronView, type SubnetView } from "../../src/cli/client/chainReader.js";
import { barChart, lineChart, shortNumber, type Point } from "./charts.js";
import { nextHalvingBlock, nextHalvingIssuance, scheduleCurve } from "./schedule.js";

const TAO = 1_000_000_000n;
const HISTORY_SECONDS = 300;
/** refresh an open metagraph at least this often (blocks), besides after each epoch */
const METAGRAPH_REFRESH_BLOCKS = 5;

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const tao = (rao: bigint, decimals = 4): string => {
  const whole = rao / TAO;
  const frac = ((rao % TAO) * 10n ** BigInt(decimals)) / TAO;
  return `τ${whole.toLocaleString("en-US")}.${frac.toString().padStart(decimals, "0")}`;
};
const taoNumber = (rao: bigint): number => Number(rao / 1000n) / 1e6;
const frac = (u16: number): string => (u16 / 65535).toFixed(5);
const short = (a: string): string => `${a.slice(0, 6)}…${a.slice(-4)}`;

type SortKey = keyof Pick<NeuronView, "uid" | "stake" | "rank" | "trust" | "consensus" | "incentive" | "dividends" | "emission" | "validatorTrust" | "lastUpdate">;

const state = {
  best: 0,
  finalized: 0,
  history: [] as Point[],
  subnets: [] as SubnetView[],
  selected: undefined as number | undefined,
  metagraph: undefined as MetagraphView | undefined,
  metagraphAt: 0,
  lastCountdown: undefined as number | null | undefined,
  lastEpochBlock: undefined as number | undefined,
  sort: { key: "uid" as SortKey, desc: false },
  genesisIssuanceTao: undefined as number | undefined,
};

async function rpcUrl(): Promise<string> {
  const param = new URLSearchParams(location.search).get("rpc");
  if (param) return param;
  const config = (await (await fetch("config.json")).json()) as { rpcPort: number };
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.hostname}:${config.rpcPort}`;
}

function setStatus(text: string, ok: boolean): void {
  const el = $("status");
  el.textContent = text;
  el.className = ok ? "status ok" : "status bad";
}

function renderHeads(bestHash: string, finalizedHash?: string): void {
  $("best-block").textContent = `#${state.best.toLocaleString("en-US")}`;
  $("best-hash").textContent = short(bestHash);
  if (finalizedHash) $("finalized-hash").textContent = short(finalizedHash);
  $("finalized-block").textContent = `#${state.finalized.toLocaleString("en-US")}`;
  const now = Date.now() / 1000;
  state.history.push({ x: now, y: state.best });
  state.history = state.history.filter((p) => p.x >= now - HISTORY_SECONDS);
  $("blocks-chart").innerHTML = lineChart([{ points: state.history, color: "#4f8cff", label: "best block" }], {
    xLabel: (x) => `${Math.round(x - now)}s`,
    yLabel: (y) => `#${Math.round(y)}`,
  });
}

function renderIssuance(issuance: bigint, blockEmission: bigint, byIssuance: boolean): void {
  const issuedTao = taoNumber(issuance);
  // Genesis issuance is what the curve starts from: issuance now minus what the blocks so far minted (approximately: fees and recycling move it a little)
  state.genesisIssuanceTao ??= Math.max(issuedTao - state.best * (Number(blockEmission) / 1e9), 0);
  $("issuance").textContent = tao(issuance, 2);
  $("block-emission").textContent = tao(blockEmission);
  const curve = scheduleCurve(state.genesisIssuanceTao);
  const halving = byIssuance ? `next halving when issuance reaches τ${Math.round(nextHalvingIssuance(issuedTao)).toLocaleString("en-US")} (issuance rule)` : `next halving at block #${nextHalvingBlock(state.best).toLocaleString("en-US")}`;
  $("halving").textContent = halving;
  $("issuance-chart").innerHTML = lineChart(
    [
      { points: curve, color: "#8a8f98", label: "scheduled issuance (every block minting in full)" },
      { points: [{ x: state.best, y: issuedTao }], color: "#ff7a45", label: `now: #${state.best}, τ${issuedTao.toFixed(2)}`, dots: true },
    ],
    { yMin: 0, yMax: 21_000_000, yLabel: (y) => `τ${shortNumber(y)}`, xLabel: (x) => `#${shortNumber(x)}`, markers: byIssuance ? [] : [{ x: nextHalvingBlock(state.best), label: "next halving" }] },
  );
}

function renderSubnets(): void {
  const rows = state.subnets
    .map(
      (s) => `<tr data-netuid="${s.netuid}" class="${s.netuid === state.selected ? "selected" : ""}">
        <td class="num">${s.netuid}</td>
        <td class="num">${s.n}/${s.maxN}</td>
        <td class="num">${s.tempo}</td>
        <td><div class="share"><div style="width:${(s.emissionShare * 100).toFixed(1)}%"></div></div>${(s.emissionShare * 100).toFixed(1)}%</td>
        <td class="num">${tao(s.pendingEmission)}</td>
        <td class="num" data-countdown>${s.blocksUntilNextEpoch === null ? "never" : `${s.blocksUntilNextEpoch} blocks`}</td>
        <td class="num">${tao(s.burn)}</td>
        <td>${short(s.owner)}</td>
      </tr>`,
    )
    .join("");
  $("subnets-body").innerHTML = rows || `<tr><td colspan="8" class="muted">no subnets</td></tr>`;
}

const COLUMNS: Array<{ key: SortKey | "hotkey" | "coldkey" | "validatorPermit" | "axon"; label: string; sortable: boolean }> = [
  { key: "uid", label: "uid", sortable: true },
  { key: "hotkey", label: "hotkey", sortable: false },
  { key: "coldkey", label: "coldkey", sortable: false },
  { key: "stake", label: "stake", sortable: true },
  { key: "rank", label: "rank", sortable: true },
  { key: "trust", label: "trust", sortable: true },
  { key: "consensus", label: "consensus", sortable: true },
  { key: "incentive", label: "incentive", sortable: true },
  { key: "dividends", label: "dividends", sortable: true },
  { key: "emission", label: "emission", sortable: true },
  { key: "validatorTrust", label: "vtrust", sortable: true },
  { key: "validatorPermit", label: "val", sortable: false },
  { key: "lastUpdate", label: "updated", sortable: true },
  { key: "axon", label: "axon", sortable: false },
];

function renderMetagraph(): void {
  const m = state.metagraph;
  const panel = $("metagraph");
  if (state.selected === undefined) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  $("metagraph-title").textContent = `Subnet ${state.selected} metagraph`;
  if (!m) {
    $("metagraph-body").innerHTML = `<tr><td colspan="${COLUMNS.length}" class="muted">loading…</td></tr>`;
    return;
  }
  const countdown = m.blocksUntilNextEpoch === null ? "never (tempo 0)" : `${Math.max(m.blocksUntilNextEpoch - (state.best - m.block), 0)} blocks`;
  $("epoch-countdown").textContent = countdown;
  $("last-epoch").textContent = state.lastEpochBlock !== undefined ? `#${state.lastEpochBlock}` : "not seen yet";
  $("metagraph-summary").textContent = `${m.n}/${m.maxN} neurons · tempo ${m.tempo} · read at block #${m.block} · total stake ${tao(m.totals.stake)}`;
  const { key, desc } = state.sort;
  const neurons = [...m.neurons].sort((a, b) => {
    const va = a[key];
    const vb = b[key];
    const c = va < vb ? -1 : va > vb ? 1 : 0;
    return desc ? -c : c;
  });
  $("metagraph-head").innerHTML = `<tr>${COLUMNS.map((c) => `<th ${c.sortable ? `data-sort="${c.key}" class="sortable${c.key === key ? (desc ? " desc" : " asc") : ""}"` : ""}>${c.label}</th>`).join("")}</tr>`;
  $("metagraph-body").innerHTML =
    neurons
      .map(
        (n) => `<tr data-uid="${n.uid}">
        <td class="num">${n.uid}</td><td title="${esc(n.hotkey)}">${short(n.hotkey)}</td><td title="${esc(n.coldkey)}">${short(n.coldkey)}</td>
        <td class="num">${tao(n.stake)}</td><td class="num">${frac(n.rank)}</td><td class="num">${frac(n.trust)}</td><td class="num">${frac(n.consensus)}</td>
        <td class="num">${frac(n.incentive)}</td><td class="num">${frac(n.dividends)}</td><td class="num">${tao(n.emission)}</td><td class="num">${frac(n.validatorTrust)}</td>
        <td>${n.validatorPermit ? "*" : ""}</td><td class="num">${m.block - n.lastUpdate}</td><td>${n.axon ? `${esc(n.axon.ip)}:${n.axon.port}` : "–"}</td>
      </tr>`,
      )
      .join("") + `<tr class="totals"><td></td><td></td><td>total</td><td class="num">${tao(m.totals.stake)}</td><td class="num">${frac(m.totals.rank)}</td><td class="num">${frac(m.totals.trust)}</td><td class="num">${frac(m.totals.consensus)}</td><td class="num">${frac(m.totals.incentive)}</td><td class="num">${frac(m.totals.dividends)}</td><td class="num">${tao(m.totals.emission)}</td><td class="num">${frac(m.totals.validatorTrust)}</td><td></td><td></td><td></td></tr>`;
  const byUid = [...m.neurons].sort((a, b) => a.uid - b.uid);
  $("stake-chart").innerHTML = barChart(byUid.map((n) => ({ label: String(n.uid), value: taoNumber(n.stake) })), { color: "#4f8cff", title: "stake (τ)", format: (v) => `τ${shortNumber(v)}` });
  $("incentive-chart").innerHTML = barChart(byUid.map((n) => ({ label: String(n.uid), value: n.incentive / 65535 })), { color: "#36b37e", title: "incentive", format: (v) => v.toFixed(4) });
  $("dividends-chart").innerHTML = barChart(byUid.map((n) => ({ label: String(n.uid), value: n.dividends / 65535 })), { color: "#ff7a45", title: "dividends", format: (v) => v.toFixed(4) });
}

async function main(): Promise<void> {
  const url = await rpcUrl();
  $("rpc-url").textContent = url;
  setStatus("connecting…", false);
  const api = await ApiPromise.create({ provider: new WsProvider(url), noInitWarn: true });
  const reader = new ChainReader(api);
  api.on("disconnected", () => setStatus("disconnected: reconnecting…", false));
  api.on("connected", () => setStatus("connected", true));
  setStatus("connected", true);
  const [chain, name, version] = await Promise.all([api.rpc.system.chain(), api.rpc.system.name(), api.rpc.system.version()]);
  $("chain").textContent = `${chain.toString()} · ${name.toString()} ${version.toString()}`;
  document.title = `${chain.toString()} — subtensor-ts dashboard`;

  let refreshing = false;
  const refresh = async (): Promise<void> => {
    if (refreshing) return;
    refreshing = true;
    try {
      const [subnets, issuance, emission, health, pending] = await Promise.all([
        reader.subnets(),
        reader.totalIssuance(),
        reader.emissionInfo(),
        api.rpc.system.health(),
        api.rpc.author.pendingExtrinsics(),
      ]);
      state.subnets = subnets;
      $("peers").textContent = health.peers.toString();
      $("pool").textContent = String(pending.length);
      renderIssuance(issuance.subtensor, emission.blockEmission, emission.halvingByIssuance);
      renderSubnets();
      await refreshMetagraph(false);
    } catch (e) {
      console.warn("refresh failed", e);
    } finally {
      refreshing = false;
    }
  };

  const refreshMetagraph = async (force: boolean): Promise<void> => {
    const netuid = state.selected;
    if (netuid === undefined) return;
    const subnet = state.subnets.find((s) => s.netuid === netuid);
    const countdown = subnet?.blocksUntilNextEpoch;
    // the countdown jumping up means the epoch block went by
    const epochRan = countdown !== undefined && countdown !== null && state.lastCountdown !== undefined && state.lastCountdown !== null && countdown > state.lastCountdown;
    if (epochRan || countdown === 0) state.lastEpochBlock = countdown === 0 ? state.best : state.best - (subnet!.tempo - countdown!);
    state.lastCountdown = countdown;
    if (!force && !epochRan && countdown !== 0 && state.best - state.metagraphAt < METAGRAPH_REFRESH_BLOCKS) {
      renderMetagraph();
      return;
    }
    const m = await reader.metagraph(netuid);
    if (state.selected !== netuid) return;
    state.metagraph = m;
    state.metagraphAt = m.block;
    renderMetagraph();
  };

  await api.rpc.chain.subscribeNewHeads((header) => {
    state.best = header.number.toNumber();
    renderHeads(header.hash.toHex());
    void refresh();
  });
  await api.rpc.chain.subscribeFinalizedHeads((header) => {
    state.finalized = header.number.toNumber();
    $("finalized-block").textContent = `#${state.finalized.toLocaleString("en-US")}`;
    $("finalized-hash").textContent = short(header.hash.toHex());
  });

  $("subnets-body").addEventListener("click", (ev) => {
    const row = (ev.target as HTMLElement).closest("tr[data-netuid]") as HTMLElement | null;
    if (!row) return;
    state.selected = Number(row.dataset.netuid);
    state.metagraph = undefined;
    state.lastCountdown = undefined;
    state.lastEpochBlock = undefined;
    renderSubnets();
    renderMetagraph();
    void refreshMetagraph(true);
  });
  $("metagraph-head").addEventListener("click", (ev) => {
    const th = (ev.target as HTMLElement).closest("th[data-sort]") as HTMLElement | null;
    if (!th) return;
    const key = th.dataset.sort as SortKey;
    state.sort = state.sort.key === key ? { key, desc: !state.sort.desc } : { key, desc: key !== "uid" };
    renderMetagraph();
  });
  $("metagraph-close").addEventListener("click", () => {
    state.selected = undefined;
    renderSubnets();
    renderMetagraph();
  });
  await refresh();
}

main().catch((e) => {
  setStatus(`error: ${(e as Error).message}`, false);
  console.error(e);
});
