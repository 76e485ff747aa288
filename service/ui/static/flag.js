// One flag as a reviewer sees it: the redacted text with its evidence in <mark>, the labels and
// scores, notes and history, and the triage panel. Reading it is audited by the API.

import { api } from "./api.js";
import { h, percent, when, words } from "./dom.js";
import { say, showError } from "./notify.js";
import { labelForm, noteForm, triagePanel } from "./triage.js";

/** Text nodes and <mark> elements: every occurrence of an evidence phrase is highlighted. */
export function highlight(text, phrases) {
  const wanted = [...new Set(phrases.filter((p) => p && p.trim()))].sort((a, b) => b.length - a.length);
  const lower = text.toLowerCase();
  const marks = [];
  for (const phrase of wanted) {
    const needle = phrase.toLowerCase();
    for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + needle.length)) {
      const end = at + needle.length;
      if (!marks.some(([a, b]) => at < b && end > a)) marks.push([at, end]);
    }
  }
  marks.sort((x, y) => x[0] - y[0]);
  const out = [];
  let pos = 0;
  for (const [a, b] of marks) {
    if (a > pos) out.push(text.slice(pos, a));
    out.push(h("mark", {}, text.slice(a, b)));
    pos = b;
  }
  if (pos < text.length) out.push(text.slice(pos));
  return out;
}

function facts(flag, me) {
  const item = flag.item;
  const assignee = flag.assignee_token_id === null ? "nobody" : flag.assignee_token_id === me ? "you" : `token #${flag.assignee_token_id}`;
  const pairs = [
    ["Status", h("strong", { id: "flag-status" }, words(flag.status))],
    ["Why flagged", words(flag.reason)],
    ["Urgent", flag.urgent ? "yes" : "no"],
    ["Urgent reasons", flag.urgent_reasons.length ? flag.urgent_reasons.map(words).join(", ") : "none"],
    ["Severity", words(flag.severity ?? "unclassified")],
    ["Themes", flag.themes.length ? flag.themes.map(words).join(", ") : "none"],
    ["Assignee", assignee],
    ["Unit", flag.unit ?? "none"],
    ["Period", item.period ?? "none"],
    ["Source", item.source ?? "unknown"],
    ["Model version", item.model_version ?? "none"],
    ["Overdue", flag.overdue ? "yes" : "no"],
    ["Dismissed because", flag.dismiss_reason ? words(flag.dismiss_reason) : "not dismissed"],
    ["Opened", when(flag.created_at)],
    ["Version", String(flag.version)],
  ];
  return h("dl", { class: "facts" }, pairs.map(([k, v]) => h("div", {}, h("dt", {}, k), h("dd", {}, v))));
}

function scores(item) {
  const rows = Object.entries(item.scores).sort((a, b) => b[1] - a[1]);
  if (!rows.length) return h("p", {}, "No scores (the item was not classified).");
  return h(
    "div",
    { class: "scroll" },
    h(
      "table",
      { class: "compact" },
      h("caption", {}, "Scores per theme"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Theme"), h("th", { scope: "col" }, "Score"))),
      h("tbody", {}, rows.map(([theme, score]) => h("tr", {}, h("th", { scope: "row" }, words(theme)), h("td", {}, percent(score))))),
    ),
  );
}

function history(flag) {
  if (!flag.history.length) return h("p", {}, "No history.");
  return h(
    "ol",
    { class: "history" },
    flag.history.map((e) => {
      const by = e.actor_token_id === null ? "the system" : `token #${e.actor_token_id}`;
      const detail = Object.entries(e.detail || {}).map(([k, v]) => `${words(k)}: ${Array.isArray(v) ? v.map(words).join(", ") : words(v)}`);
      return h("li", {}, h("time", { datetime: e.at }, when(e.at)), ` ${words(e.action)} by ${by}`, detail.length ? ` (${detail.join("; ")})` : "");
    }),
  );
}

function section(title, ...content) {
  return h("section", { "aria-label": title }, h("h2", {}, title), ...content);
}

/** Render flag `id` into `view`; actions re-render it in place from the API's current state. */
export async function renderFlag(view, id, { me = null, focus = false } = {}) {
  let flag;
  try {
    flag = await api(`/flags/${id}`);
  } catch (err) {
    view.replaceChildren(h("h1", {}, `Flag ${id}`), h("p", {}, h("a", { href: "#/queue" }, "Back to the queue")));
    showError(err.message);
    return;
  }
  const item = flag.item;
  const reload = () => renderFlag(view, id, { me, focus: true });
  const text = item.redacted_text ?? "";
  const parts = [
    h("p", {}, h("a", { href: "#/queue" }, "Back to the queue")),
    h("h1", { tabindex: -1 }, `Flag ${flag.id}`),
    item.needs_review ? h("p", { class: "warning" }, "This item could not be classified: read it and label it yourself.") : null,
    facts(flag, me),
    section("Redacted text", h("blockquote", { class: "item-text", id: "flag-text" }, highlight(text, item.evidence))),
    section("Evidence", item.evidence.length ? h("ul", {}, item.evidence.map((e) => h("li", {}, e))) : h("p", {}, "No evidence phrases.")),
    section("Scores", scores(item)),
    section("Triage", triagePanel(flag, me, reload)),
    section("Correct the labels", labelForm(flag, reload)),
    section(
      "Notes",
      flag.notes.length ? h("ul", { class: "notes" }, flag.notes.map((n) => h("li", {}, h("p", {}, n.redacted_body), h("p", { class: "muted" }, `${when(n.created_at)}, token #${n.author_token_id ?? "?"}`)))) : h("p", {}, "No notes yet."),
      noteForm(flag, reload),
    ),
    section(
      "Label corrections",
      flag.labels.length
        ? h("ul", {}, flag.labels.map((l) => h("li", {}, `${when(l.created_at)}: severity ${words(l.severity)}; themes ${l.themes.map(words).join(", ") || "none"}; urgent reasons ${l.urgent_reasons.map(words).join(", ") || "none"} (model ${l.model_version ?? "unknown"})`)))
        : h("p", {}, "No corrections yet."),
    ),
    flag.deliveries.length ? section("Webhook deliveries", h("ul", {}, flag.deliveries.map((d) => h("li", {}, `${words(d.event)}: ${d.status} after ${d.attempts} attempt(s)`)))) : null,
    section("History", history(flag)),
  ];
  view.replaceChildren(...parts.filter(Boolean));
  say(`Flag ${flag.id} is ${words(flag.status)}.`);
  if (focus) view.querySelector("h1").focus();
}
