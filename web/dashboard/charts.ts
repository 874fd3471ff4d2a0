/**
 * The dashboard's charts as plain SVG strings: a line chart (blocks over time, the issuance
 * curve) and a bar chart (per-UID stake, incentive, dividends). No charting library: three small
 * functions are easier to keep working offline than a dependency.
 */

export interface Point {
  x: number;
  y: number;
}

export interface LineSeries {
  points: Point[];
  color: string;
  label: string;
  /** draw dots instead of a line (a single "you are here" point) */
  dots?: boolean;
}

const W = 640;
const H = 200;
const PAD = { left: 64, right: 12, top: 12, bottom: 28 };

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

function niceTicks(min: number, max: number, count = 4): number[] {
  if (!(max > min)) return [min];
  // a small integer range (a few blocks) gets one tick per step, never two equal labels
  if (Number.isInteger(min) && Number.isInteger(max) && max - min < count) count = max - min;
  const step = (max - min) / count;
  return Array.from({ length: count + 1 }, (_, i) => min + step * i);
}

export function shortNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(1)}G`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(a >= 1e7 ? 0 : 1)}M`;
  if (a >= 1e3) return `${(v / 1e3).toFixed(a >= 1e4 ? 0 : 1)}k`;
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

export function lineChart(series: LineSeries[], opts: { xLabel?: (x: number) => string; yLabel?: (y: number) => string; yMin?: number; yMax?: number; markers?: Array<{ x: number; label: string }> } = {}): string {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return `<svg viewBox="0 0 ${W} ${H}" class="chart"><text x="${W / 2}" y="${H / 2}" text-anchor="middle" class="muted">waiting for data…</text></svg>`;
  const xs = all.map((p) => p.x);
  const ys = all.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const y0 = opts.yMin ?? Math.min(...ys);
  const y1 = opts.yMax ?? Math.max(...ys);
  const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
  const sy = (y: number) => H - PAD.bottom - ((y - y0) / (y1 - y0 || 1)) * (H - PAD.top - PAD.bottom);
  const fx = opts.xLabel ?? shortNumber;
  const fy = opts.yLabel ?? shortNumber;
  const grid = niceTicks(y0, y1)
    .map((t) => `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${sy(t)}" y2="${sy(t)}" class="grid"/><text x="${PAD.left - 6}" y="${sy(t) + 4}" text-anchor="end" class="axis">${esc(fy(t))}</text>`)
    .join("");
  const xt = niceTicks(x0, x1)
    .map((t) => `<text x="${sx(t)}" y="${H - 8}" text-anchor="middle" class="axis">${esc(fx(t))}</text>`)
    .join("");
  const markers = (opts.markers ?? [])
    .filter((m) => m.x >= x0 && m.x <= x1)
    .map((m) => `<line x1="${sx(m.x)}" x2="${sx(m.x)}" y1="${PAD.top}" y2="${H - PAD.bottom}" class="marker"/><text x="${sx(m.x) + 4}" y="${PAD.top + 10}" class="axis">${esc(m.label)}</text>`)
    .join("");
  const paths = series
    .map((s) =>
      s.dots
        ? s.points.map((p) => `<circle cx="${sx(p.x)}" cy="${sy(p.y)}" r="4" fill="${s.color}"><title>${esc(s.label)}</title></circle>`).join("")
        : `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${s.points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(" ")}"><title>${esc(s.label)}</title></polyline>`,
    )
    .join("");
  return `<svg viewBox="0 0 ${W} ${H}" class="chart" role="img">${grid}${xt}${markers}${paths}</svg>`;
}

/** One bar per item; `values` in the chart's own unit, labels under the bars when few. */
export function barChart(items: Array<{ label: string; value: number }>, opts: { color: string; format?: (v: number) => string; title: string }): string {
  const h = 150;
  const pad = { left: 8, right: 8, top: 18, bottom: 18 };
  if (items.length === 0) return `<svg viewBox="0 0 ${W} ${h}" class="chart"><text x="${W / 2}" y="${h / 2}" text-anchor="middle" class="muted">no neurons</text></svg>`;
  const max = Math.max(...items.map((i) => i.value), 0);
  const bw = (W - pad.left - pad.right) / items.length;
  const fmt = opts.format ?? shortNumber;
  const bars = items
    .map((it, i) => {
      const bh = max > 0 ? (it.value / max) * (h - pad.top - pad.bottom) : 0;
      const x = pad.left + i * bw;
      const y = h - pad.bottom - bh;
      const label = items.length <= 32 ? `<text x="${x + bw / 2}" y="${h - 4}" text-anchor="middle" class="axis">${esc(it.label)}</text>` : "";
      return `<rect x="${(x + bw * 0.1).toFixed(1)}" y="${y.toFixed(1)}" width="${(bw * 0.8).toFixed(1)}" height="${bh.toFixed(1)}" fill="${opts.color}"><title>uid ${esc(it.label)}: ${esc(fmt(it.value))}</title></rect>${label}`;
    })
    .join("");
  return `<svg viewBox="0 0 ${W} ${h}" class="chart bars" role="img" aria-label="${esc(opts.title)}"><text x="${pad.left}" y="12" class="axis">${esc(opts.title)} (max ${esc(fmt(max))})</text>${bars}</svg>`;
}
