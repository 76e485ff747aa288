// The analysts' view: anonymity-safe trends per unit and period as charts, early-warning alerts,
// and batch upload with progress. Aggregates only: this view never asks for flags or item text.

import { api, query } from "./api.js";
import { cellValue, rateChart } from "./charts.js";
import { clear, h, percent, select, words } from "./dom.js";
import { SEVERITIES, THEMES } from "./labels.js";
import { say, showError } from "./notify.js";
import { uploadSection } from "./upload.js";

const state = { granularity: "", unit: "", measure: "" };
const MEASURES = [...THEMES.map((t) => `themes:${t}`), ...[...SEVERITIES, "unclassified"].map((v) => `severity:${v}`)];

function measureName(measure) {
  const [kind, code] = measure.split(":");
  return kind === "themes" ? words(code) : `severity ${words(code)}`;
}

/** The measure with the most counted items, so the first chart shown is not an empty one. */
function busiest(body) {
  const totals = new Map();
  for (const unit of body.units)
    for (const cell of unit.cells)
      for (const [code, rc] of Object.entries(cell.themes || {})) if (!rc.suppressed) totals.set(`themes:${code}`, (totals.get(`themes:${code}`) || 0) + rc.count);
  const best = [...totals.entries()].sort((a, b) => b[1] - a[1])[0];
  return best ? best[0] : MEASURES[0];
}

function charts(body, measure) {
  const [kind, code] = measure.split(":");
  if (!body.units.length) return [h("p", {}, "No unit has data yet in this range.")];
  return body.units.map((unit) => {
    const byPeriod = new Map(unit.cells.map((c) => [c.period, c]));
    const points = body.periods.map((period) => {
      const cell = byPeriod.get(period);
      if (cell && cell.respondents.suppressed) return { period, value: { kind: "suppressed" } };
      return { period, value: cellValue(cell && cell[kind] ? cell[kind][code] : null) };
    });
    const name = unit.unit === "*" ? "All units" : unit.unit;
    return rateChart(`${name}: ${measureName(measure)}, share of respondents`, points);
  });
}

async function trendsSection(onLoad) {
  const out = h("section", { "aria-label": "Trends" }, h("h2", {}, "Trends per unit and period"));
  const holder = h("div", { class: "charts" });
  const gran = select("t-granularity", "Periods", [["", "Default"], ["wave", "Waves"], ["month", "Months"], ["week", "Weeks"]], state.granularity);
  const form = h(
    "form",
    { class: "filters", "aria-label": "Trend options" },
    h("div", { class: "field" }, gran),
    h("div", { class: "field" }, h("label", { for: "t-unit" }, "Unit"), h("input", { id: "t-unit", type: "text", value: state.unit, maxlength: 200, autocomplete: "off" })),
    h("div", { class: "field" }, select("t-measure", "Theme or severity", MEASURES.map((m) => [m, measureName(m)]), state.measure)),
    h("div", { class: "field actions" }, h("button", { type: "submit" }, "Show trends")),
  );
  let body = null;
  const draw = () => {
    clear(holder);
    if (!body) return;
    holder.append(
      h("p", { class: "muted" }, `Rates are shares of consenting respondents with Wilson 95% intervals. Cells describing fewer than ${body.thresholds.min_comment_group_size} comments (or ${body.thresholds.min_group_size} respondents) are suppressed to protect anonymity.`),
      ...charts(body, state.measure),
      ...body.notes.map((n) => h("p", { class: "muted" }, n)),
    );
  };
  const load = async () => {
    try {
      body = await api(`/trends${query({ granularity: state.granularity, unit: state.unit })}`);
    } catch (err) {
      body = null;
      showError(err.message);
      draw();
      return;
    }
    if (!state.measure) {
      state.measure = busiest(body);
      form.querySelector("#t-measure").value = state.measure;
    }
    draw();
    say(`Trends for ${body.units.length} unit(s) over ${body.periods.length} period(s).`);
    await onLoad();
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    state.granularity = form.querySelector("#t-granularity").value;
    state.unit = form.querySelector("#t-unit").value.trim();
    state.measure = form.querySelector("#t-measure").value;
    load();
  });
  form.querySelector("#t-measure").addEventListener("change", (event) => {
    state.measure = event.target.value;
    draw();
  });
  out.append(form, holder);
  await load();
  return out;
}

/** Fill `out` with the alerts for the unit and periods the trends show. */
async function loadAlerts(out) {
  out.replaceChildren(h("h2", {}, "Alerts"));
  let body;
  try {
    body = await api(`/alerts${query({ granularity: state.granularity, unit: state.unit })}`);
  } catch (err) {
    out.append(h("p", {}, `Alerts are unavailable: ${err.message}`));
    return;
  }
  out.append(h("p", { class: "muted" }, `Period ${body.period ?? "none"}; ${body.method}; ${body.false_alarm_rate}.`));
  if (!body.alerts.length) out.append(h("p", {}, "No alert: no unit's theme rate rose beyond its own history."));
  else {
    const head = ["Unit", "Theme", "Period", "Rate (95% interval)", "Baseline", "q-value"].map((c) => h("th", { scope: "col" }, c));
    const rows = body.alerts.map((a) =>
      h("tr", {}, h("th", { scope: "row" }, a.unit), h("td", {}, words(a.theme)), h("td", {}, a.period), h("td", {}, `${percent(a.rate)} (${percent(a.ci_low)} to ${percent(a.ci_high)})`), h("td", {}, percent(a.baseline_rate)), h("td", {}, a.q_value.toFixed(3))),
    );
    out.append(h("div", { class: "scroll" }, h("table", {}, h("caption", {}, "Alerts"), h("thead", {}, h("tr", {}, head)), h("tbody", {}, rows))));
  }
  const spots = body.hotspots.units;
  out.append(
    h("h3", {}, "Hotspots"),
    spots.length
      ? h("ul", {}, spots.map((u) => h("li", {}, `${u.unit}: ${u.items} items name the same person (who is never shown)`)))
      : h("p", {}, `No unit has ${body.hotspots.min_items} or more items naming the same person in this window.`),
  );
}

export async function renderAnalyst(view) {
  const alerts = h("section", { "aria-label": "Alerts" });
  view.append(h("h1", {}, "Trends and alerts"));
  view.append(await trendsSection(() => loadAlerts(alerts)), alerts, uploadSection());
}
