// The reviewers' queue: one page of GET /v1/flags in the API's order (urgent first), with filters.

import { api, query } from "./api.js";
import { clear, h, select, when, words } from "./dom.js";
import { OPEN_STATUSES, SEVERITIES, STATUSES, THEMES } from "./labels.js";
import { showError } from "./notify.js";

// Filters survive going to a flag and back within the tab.
const filters = { status: "open", severity: "", theme: "", urgent: "", overdue: "", unit: "" };

function params(cursor) {
  return {
    status: filters.status === "open" ? OPEN_STATUSES : filters.status === "all" ? "" : filters.status,
    severity: filters.severity,
    theme: filters.theme,
    urgent: filters.urgent,
    overdue: filters.overdue,
    unit: filters.unit,
    cursor,
    limit: 50,
  };
}

function filterForm(onApply) {
  const pick = (options) => [["", "Any"], ...options.map((v) => [v, words(v)])];
  const statusOptions = [["open", "Open (new, in review, escalated)"], ["all", "All"], ...STATUSES.map((v) => [v, words(v)])];
  const form = h(
    "form",
    { class: "filters", "aria-label": "Queue filters" },
    h("div", { class: "field" }, select("f-status", "Status", statusOptions, filters.status)),
    h("div", { class: "field" }, select("f-severity", "Severity", pick(SEVERITIES), filters.severity)),
    h("div", { class: "field" }, select("f-theme", "Theme", pick(THEMES), filters.theme)),
    h("div", { class: "field" }, select("f-urgent", "Urgent", [["", "Any"], ["true", "Urgent only"], ["false", "Not urgent"]], filters.urgent)),
    h("div", { class: "field" }, select("f-overdue", "Overdue", [["", "Any"], ["true", "Overdue only"], ["false", "Not overdue"]], filters.overdue)),
    h("div", { class: "field" }, h("label", { for: "f-unit" }, "Unit"), h("input", { id: "f-unit", name: "f-unit", type: "text", value: filters.unit, maxlength: 200, autocomplete: "off" })),
    h("div", { class: "field actions" }, h("button", { type: "submit" }, "Apply filters")),
  );
  const read = () => {
    for (const key of Object.keys(filters)) filters[key] = form.querySelector(`#f-${key}`).value.trim();
    onApply();
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    read();
  });
  for (const control of form.querySelectorAll("select")) control.addEventListener("change", read);
  return form;
}

function row(flag) {
  const urgent = flag.urgent ? `urgent${flag.urgent_reasons.length ? `: ${flag.urgent_reasons.map(words).join(", ")}` : ""}` : "no";
  return h(
    "tr",
    { class: flag.urgent ? "urgent" : null },
    h("th", { scope: "row" }, h("a", { href: `#/flags/${encodeURIComponent(flag.id)}` }, `Flag ${flag.id}`)),
    h("td", {}, urgent),
    h("td", {}, words(flag.severity ?? "unclassified")),
    h("td", {}, flag.themes.length ? flag.themes.map(words).join(", ") : "none"),
    h("td", {}, words(flag.status)),
    h("td", {}, flag.unit ?? "none"),
    h("td", {}, when(flag.created_at)),
    h("td", {}, flag.overdue ? "overdue" : "no"),
  );
}

/** The queue view: filters, the "Flag queue" table, and a button for the next page. */
export async function renderQueue(view) {
  const body = h("tbody");
  const more = h("button", { type: "button", hidden: true }, "Load more flags");
  const count = h("p", { class: "muted", "aria-live": "polite" });
  let cursor = null;
  let shown = 0;

  async function load(reset) {
    if (reset) {
      clear(body);
      cursor = null;
      shown = 0;
    }
    let page;
    try {
      page = await api(`/flags${query(params(cursor))}`);
    } catch (err) {
      showError(err.message);
      return;
    }
    for (const flag of page.flags) body.append(row(flag));
    shown += page.flags.length;
    cursor = page.next_cursor;
    more.hidden = !cursor;
    count.textContent = shown ? `${shown} flag${shown === 1 ? "" : "s"} shown${cursor ? ", more available" : ""}.` : "No flag matches these filters.";
  }
  more.addEventListener("click", () => load(false));

  const head = h("tr", {}, ["Flag", "Urgent", "Severity", "Themes", "Status", "Unit", "Waiting since", "Overdue"].map((c) => h("th", { scope: "col" }, c)));
  view.append(
    h("h1", {}, "Flag queue"),
    h("p", { class: "muted" }, "Urgent flags first, then by severity, then oldest first: the order of the API."),
    filterForm(() => load(true)),
    count,
    h("div", { class: "scroll", role: "region", "aria-label": "Queue table", tabindex: 0 }, h("table", { id: "flag-queue" }, h("caption", {}, "Flag queue"), h("thead", {}, head), body)),
    more,
  );
  await load(true);
}
