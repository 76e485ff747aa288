// Reviewers' actions on one flag. Every PATCH carries the version the reviewer saw (If-Match), so
// a flag someone else changed meanwhile is refused with 412: we say so and show its current state.

import { api } from "./api.js";
import { h, select, words } from "./dom.js";
import { SEVERITIES, THEMES, TRANSITIONS, TRIAGE_REASONS, URGENT_REASONS } from "./labels.js";
import { clearError, say, showError } from "./notify.js";

const STALE =
  "Someone else changed this flag after you opened it, so your action was not applied. " +
  "The view has been reloaded with its current state: check it before you try again.";

// [button, target status, needs a reason, from which statuses it is offered, assignee only]
const ACTIONS = [
  ["Claim", "in_review", false, ["new"], false],
  ["Escalate", "escalated", false, ["in_review"], true],
  ["Resolve", "resolved", false, ["in_review", "escalated"], true],
  ["Dismiss", "dismissed", true, ["in_review", "escalated"], true],
  ["Reopen", "in_review", true, ["resolved", "dismissed"], false],
];

async function patch(flag, body, reload, done) {
  try {
    await api(`/flags/${flag.id}`, { method: "PATCH", body, headers: { "If-Match": `"${flag.version}"` } });
  } catch (err) {
    if (err.status === 412) {
      await reload();
      showError(`${STALE} (${err.message})`);
      return;
    }
    showError(err.message);
    return;
  }
  clearError();
  await reload();
  say(done);
}

/** Claim, Escalate, Resolve, Dismiss and Reopen; only the moves the API would accept from `me` are enabled. */
export function triagePanel(flag, me, reload) {
  const mine = flag.assignee_token_id !== null && flag.assignee_token_id === me;
  const reasonOptions = [["", "Choose a reason"], ...TRIAGE_REASONS.map((r) => [r, words(r)])];
  const [reasonLabel, reason] = select("triage-reason", "Reason (needed to dismiss or reopen)", reasonOptions, "");
  const buttons = ACTIONS.map(([name, target, needsReason, from, assigneeOnly]) => {
    const allowed = from.includes(flag.status) && TRANSITIONS[flag.status].includes(target) && (mine || !assigneeOnly);
    return h(
      "button",
      {
        type: "button",
        class: name === "Escalate" || name === "Dismiss" ? "secondary" : null,
        disabled: !allowed,
        onclick: () => {
          if (needsReason && !reason.value) {
            showError("Choose a reason first: a reason is required to dismiss or reopen a flag.");
            reason.focus();
            return;
          }
          const body = { status: target };
          if (needsReason) body.reason = reason.value;
          patch(flag, body, reload, `Flag ${flag.id} is now ${words(target)}.`);
        },
      },
      name,
    );
  });
  return h(
    "div",
    { class: "triage" },
    h(
      "p",
      { class: "muted" },
      mine || flag.assignee_token_id === null
        ? "Only the flag's assignee can escalate, resolve or dismiss it; claiming makes you the assignee."
        : `Assigned to token #${flag.assignee_token_id}: only they can escalate, resolve or dismiss it.`,
    ),
    h("div", { class: "field" }, reasonLabel, reason),
    h("div", { class: "buttons", role: "group", "aria-label": "Triage actions" }, buttons),
  );
}

function checkboxes(name, legend, values, checked) {
  return h(
    "fieldset",
    {},
    h("legend", {}, legend),
    values.map((v) => {
      const id = `${name}-${v}`;
      return h("div", { class: "check" }, h("input", { type: "checkbox", id, name, value: v, checked: checked.includes(v) }), h("label", { for: id }, words(v)));
    }),
  );
}

/** A reviewer's corrected labels, kept by the API as feedback for retraining (the item keeps its own). */
export function labelForm(flag, reload) {
  const item = flag.item;
  const [sevLabel, severity] = select("label-severity", "Severity", SEVERITIES.map((v) => [v, words(v)]), item.severity ?? "high");
  const form = h(
    "form",
    { class: "labels", "aria-label": "Label correction" },
    h("p", { class: "muted" }, "Urgent reasons go with severity critical only (taxonomy.md)."),
    checkboxes("label-theme", "Themes", THEMES, item.themes),
    h("div", { class: "field" }, sevLabel, severity),
    checkboxes("label-reason", "Urgent reasons", URGENT_REASONS, item.urgent_reasons),
    h("button", { type: "submit" }, "Save labels"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const picked = (name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((c) => c.value);
    const body = { themes: picked("label-theme"), severity: severity.value, urgent_reasons: picked("label-reason") };
    try {
      await api(`/flags/${flag.id}/labels`, { method: "POST", body });
    } catch (err) {
      showError(err.message);
      return;
    }
    clearError();
    await reload();
    say("Label correction saved.");
  });
  return form;
}

/** A note; the API redacts personal data from it before it is stored. */
export function noteForm(flag, reload) {
  const note = h("textarea", { id: "note-body", name: "note-body", rows: 3, maxlength: 5000, required: true });
  const form = h(
    "form",
    { class: "note", "aria-label": "Add a note" },
    h("label", { for: "note-body" }, "Note"),
    h("p", { class: "muted", id: "note-hint" }, "Names and contact details are redacted before the note is stored."),
    note,
    h("button", { type: "submit" }, "Add note"),
  );
  note.setAttribute("aria-describedby", "note-hint");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = note.value.trim();
    if (!body) {
      showError("Write a note first.");
      note.focus();
      return;
    }
    try {
      await api(`/flags/${flag.id}/notes`, { method: "POST", body: { body } });
    } catch (err) {
      showError(err.message);
      return;
    }
    clearError();
    await reload();
    say("Note added.");
  });
  return form;
}
