// Rate charts drawn as inline SVG (no library, nothing fetched): one point per period with its
// Wilson 95% interval; a suppressed cell is drawn and labelled "suppressed", never as a zero.

import { h, nextId, percent, s } from "./dom.js";

const W = 640;
const H = 240;
const M = { top: 16, right: 16, bottom: 56, left: 52 };

function niceMax(value) {
  for (const step of [0.04, 0.08, 0.12, 0.2, 0.4, 0.6, 0.8, 1]) if (value <= step) return step;
  return 1;
}

/** What one cell says: {kind: "rate"|"suppressed"|"none", ...}. */
export function cellValue(cell) {
  if (!cell) return { kind: "none" };
  if (cell.suppressed) return { kind: "suppressed" };
  if (cell.rate === null || cell.rate === undefined) return { kind: "none" };
  return { kind: "rate", count: cell.count, rate: cell.rate, low: cell.ci_low, high: cell.ci_high, change: cell.change };
}

function describe(value) {
  if (value.kind === "suppressed") return "suppressed";
  if (value.kind === "none") return "no data";
  return `${percent(value.rate)} (95% interval ${percent(value.low)} to ${percent(value.high)})`;
}

/** points: [{period, value}] in period order. Returns a <figure> with the chart and its numbers. */
export function rateChart(title, points) {
  const titleId = nextId("chart-title");
  const top = niceMax(Math.max(0.05, ...points.filter((p) => p.value.kind === "rate").map((p) => p.value.high ?? p.value.rate)));
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const band = plotW / Math.max(points.length, 1);
  const y = (v) => M.top + plotH - (v / top) * plotH;
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": titleId, class: "chart" });
  svg.append(s("title", { id: titleId }, `${title}: ${points.map((p) => `${p.period} ${describe(p.value)}`).join("; ")}`));
  for (let i = 0; i <= 4; i += 1) {
    const v = (top * i) / 4;
    svg.append(
      s("line", { x1: M.left, x2: W - M.right, y1: y(v), y2: y(v), class: "grid" }),
      s("text", { x: M.left - 6, y: y(v) + 4, "text-anchor": "end", class: "tick" }, percent(v, 0)),
    );
  }
  points.forEach((p, i) => {
    const cx = M.left + band * (i + 0.5);
    const label = s("text", { x: cx, y: H - M.bottom + 18, "text-anchor": "middle", class: "tick" }, p.period);
    if (points.length > 6) {
      label.setAttribute("transform", `rotate(-35 ${cx} ${H - M.bottom + 18})`);
      label.setAttribute("text-anchor", "end");
    }
    svg.append(label);
    const v = p.value;
    if (v.kind === "suppressed" || v.kind === "none") {
      const bw = Math.min(band * 0.8, 60);
      svg.append(s("rect", { x: cx - bw / 2, y: M.top, width: bw, height: plotH, class: v.kind === "suppressed" ? "suppressed" : "nodata" }));
      svg.append(s("text", { x: cx, y: M.top + plotH / 2, "text-anchor": "middle", class: "cell-label", transform: `rotate(-90 ${cx} ${M.top + plotH / 2})` }, describe(v)));
      return;
    }
    const cap = Math.min(band * 0.2, 10);
    if (v.low !== null && v.high !== null) {
      svg.append(
        s("line", { x1: cx, x2: cx, y1: y(v.low), y2: y(v.high), class: "ci" }),
        s("line", { x1: cx - cap, x2: cx + cap, y1: y(v.low), y2: y(v.low), class: "ci" }),
        s("line", { x1: cx - cap, x2: cx + cap, y1: y(v.high), y2: y(v.high), class: "ci" }),
      );
    }
    svg.append(s("circle", { cx, cy: y(v.rate), r: 5, class: v.change && v.change.significant ? "point significant" : "point" }));
  });
  svg.append(s("line", { x1: M.left, x2: W - M.right, y1: y(0), y2: y(0), class: "axis" }));
  return h("figure", { class: "chart-figure" }, h("figcaption", {}, title), svg, valuesTable(title, points));
}

function valuesTable(title, points) {
  const rows = points.map((p) => {
    const v = p.value;
    const change = v.kind === "rate" && v.change ? `${v.change.difference >= 0 ? "+" : ""}${percent(v.change.difference)} vs ${v.change.previous_period}${v.change.significant ? " (significant)" : ""}` : "";
    return h(
      "tr",
      {},
      h("th", { scope: "row" }, p.period),
      h("td", {}, v.kind === "rate" ? String(v.count) : describe(v)),
      h("td", {}, v.kind === "rate" ? percent(v.rate) : describe(v)),
      h("td", {}, v.kind === "rate" ? `${percent(v.low)} to ${percent(v.high)}` : describe(v)),
      h("td", {}, change),
    );
  });
  const head = ["Period", "Count", "Rate", "95% interval", "Change"].map((c) => h("th", { scope: "col" }, c));
  return h(
    "details",
    {},
    h("summary", {}, "Values"),
    h("div", { class: "scroll" }, h("table", {}, h("caption", {}, `${title}: values`), h("thead", {}, h("tr", {}, head)), h("tbody", {}, rows))),
  );
}
