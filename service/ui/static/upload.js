// Batch upload for analysts: send a CSV/JSONL export, then follow the batch until it is done.
// The API does the work in its workers; this only shows bytes sent, then rows processed.

import { api, upload } from "./api.js";
import { h, percent } from "./dom.js";
import { say, showError } from "./notify.js";

const POLL_MS = 1000;

function summary(batch) {
  const c = batch.counts;
  return `Batch ${batch.id}: ${batch.status}. ${c.processed} of ${c.total} rows processed (${c.skipped_no_consent} without consent, skipped; ${c.failed} failed; ${c.needs_review} need review).`;
}

export function uploadSection() {
  const file = h("input", { id: "batch-file", name: "file", type: "file", accept: ".csv,.jsonl,.ndjson,text/csv,application/x-ndjson", required: true });
  const bar = h("progress", { id: "batch-progress", max: 1, value: 0, "aria-label": "Batch progress", hidden: true });
  const text = h("p", { id: "batch-status", "aria-live": "polite" });
  const button = h("button", { type: "submit" }, "Upload");
  const form = h(
    "form",
    { class: "upload", "aria-label": "Upload a batch" },
    h("label", { for: "batch-file" }, "Survey export (CSV or JSONL)"),
    h("p", { class: "muted", id: "batch-hint" }, "Columns id, text, consent and optionally unit, period, source. Rows without consent are counted and never read."),
    file,
    button,
  );
  file.setAttribute("aria-describedby", "batch-hint");

  async function follow(id) {
    for (;;) {
      let batch;
      try {
        batch = await api(`/batches/${encodeURIComponent(id)}`);
      } catch (err) {
        showError(err.message);
        return;
      }
      bar.max = Math.max(batch.counts.total, 1);
      bar.value = batch.counts.processed;
      text.textContent = summary(batch);
      if (batch.status === "done" || batch.status === "failed") {
        say(text.textContent);
        button.disabled = false;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!file.files.length) {
      showError("Choose a file to upload.");
      file.focus();
      return;
    }
    button.disabled = true;
    bar.hidden = false;
    bar.max = 1;
    bar.value = 0;
    let accepted;
    try {
      accepted = await upload(file.files[0], (share) => {
        bar.value = share;
        text.textContent = `Uploading: ${percent(share, 0)} sent.`;
      });
    } catch (err) {
      button.disabled = false;
      bar.hidden = true;
      text.textContent = "";
      showError(err.message);
      return;
    }
    text.textContent = accepted.duplicate ? `This file was uploaded before: following batch ${accepted.id}.` : `Accepted as batch ${accepted.id}.`;
    await follow(accepted.id);
  });
  return h("section", { "aria-label": "Upload a batch" }, h("h2", {}, "Upload a batch"), form, bar, text);
}
