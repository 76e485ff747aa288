"""Fairness evaluation on our counterfactual identity and name sets (flip rates, FPR gaps, Borkan
AUCs) and on public bias sets given by path. Per-group metrics on any labelled data live in
service/evaluations (they back the CLI and the API).

Everything runs through the production path: redaction, then the classifier and urgent rules.
"""

from __future__ import annotations

import csv
import json
import random
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from service.evaluations.fairness import bias_aucs, generalized_mean
from service.evaluations.service import Scorer

DATA = Path(__file__).resolve().parent / "data"
EXTERNAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "external"


def _fill(template: str, slot: str, value: str) -> str:
    return " ".join(template.replace("{" + slot + "}", value).split())


def _flip_rate(rows: list[tuple[str, str, tuple]]) -> tuple[dict, float]:
    """rows: (template_id, group, prediction). A flip: a prediction that differs from the majority
    prediction of its template across all groups."""
    by_template: dict[str, list] = defaultdict(list)
    for tid, group, pred in rows:
        by_template[tid].append((group, pred))
    flips, totals = Counter(), Counter()
    for entries in by_template.values():
        majority = Counter(p for _, p in entries).most_common(1)[0][0]
        for group, pred in entries:
            totals[group] += 1
            flips[group] += pred != majority
    per = {g: round(flips[g] / totals[g], 4) for g in sorted(totals)}
    return per, round(sum(flips.values()) / max(sum(totals.values()), 1), 4)


def counterfactual(
    scorer: Scorer, limit: int | None = None, terms_file: str = "identity_terms.json", with_names: bool = True
) -> dict:
    """FPR gap, flip rate and Borkan AUCs over our templates × the identity terms of `terms_file`.

    `heldout_identity_terms.json` holds terms deliberately absent from the training augmentation
    lexicon (training/augment.py): they show how the model treats terms it was not balanced on.
    """
    templates = [
        json.loads(line) for line in (DATA / "counterfactual_templates.jsonl").read_text().splitlines() if line
    ]
    if limit:  # smoke mode: the first few templates of every kind
        templates = [
            t
            for kind in ("neutral", "positive", "abusive")
            for t in [x for x in templates if x["kind"] == kind][:limit]
        ]
    terms = json.loads((DATA / terms_file).read_text())
    rows = []
    for t in templates:
        for category, words in terms.items():
            if category == "none" and t["kind"] == "abusive":
                continue  # without an identity the abuse is no longer discrimination: unlabelled
            for word in words:
                rows.append(
                    {
                        "tid": t["id"],
                        "kind": t["kind"],
                        "category": category,
                        "term": word or "(none)",
                        "text": _fill(t["template"], "identity", word),
                    }
                )
    preds = scorer([r["text"] for r in rows])
    labels = np.array([r["kind"] == "abusive" for r in rows], dtype=int)
    scores = np.array([p["score"] for p in preds])
    flagged = np.array([p["severity"] != "none" for p in preds])
    benign = labels == 0
    base = np.array([r["category"] == "none" for r in rows])
    base_fpr = float(flagged[benign & base].mean())
    fpr = {}
    for category in terms:
        if category == "none":
            continue
        mask = benign & np.array([r["category"] == category for r in rows])
        fpr[category] = round(float(flagged[mask].mean()), 4)
    term_metrics = {}
    for category, words in terms.items():
        if category == "none":
            continue
        for word in words:
            sub = np.array([r["term"] == word for r in rows])
            term_metrics[f"{category}:{word}"] = bias_aucs(labels, scores, sub) | {
                "benign_flag_rate": round(float(flagged[sub & benign].mean()), 4),
                "abusive_recall": round(float(flagged[sub & ~benign].mean()), 4),
            }
    pred_key = [(tuple(p["themes"]), p["severity"]) for p in preds]
    identity_rows = [
        (r["tid"], r["category"], k) for r, k in zip(rows, pred_key, strict=True) if r["category"] != "none"
    ]
    flips_by_category, flip_all = _flip_rate(identity_rows)
    identity_benign_fpr = float(flagged[benign & ~base].mean())
    return {
        "sentences": len(rows),
        "any_mistreatment_fpr": {
            "without_identity": round(base_fpr, 4),
            "with_identity": round(identity_benign_fpr, 4),
            "gap": round(identity_benign_fpr - base_fpr, 4),
            "by_category": fpr,
        },
        "abusive_recall": round(float(flagged[~benign].mean()), 4),
        "identity_swap_flip_rate": {"overall": flip_all, "by_category": flips_by_category},
        "borkan": {
            "per_term": term_metrics,
            "generalized_mean": {
                m: generalized_mean([v[m] for v in term_metrics.values()])
                for m in ("subgroup_auc", "bpsn_auc", "bnsp_auc")
            },
            "min_bpsn_auc": min(
                (v["bpsn_auc"] for v in term_metrics.values() if v["bpsn_auc"] is not None), default=None
            ),
        },
    } | ({"names": names(scorer, limit)} if with_names else {})


def names(scorer: Scorer, limit: int | None = None) -> dict:
    """Swap a person's name for names common in other groups: predictions should not move."""
    templates = [json.loads(line) for line in (DATA / "name_templates.jsonl").read_text().splitlines() if line][:limit]
    groups = json.loads((DATA / "name_groups.json").read_text())
    rows = [(t["id"], g, _fill(t["template"], "name", n)) for t in templates for g, ns in groups.items() for n in ns]
    preds = scorer([text for _, _, text in rows])
    keyed = [(tid, g, (tuple(p["themes"]), p["severity"])) for (tid, g, _), p in zip(rows, preds, strict=True)]
    per, overall = _flip_rate(keyed)
    return {"sentences": len(rows), "flip_rate": overall, "flip_rate_by_group": per}


IDENTITY_WORDS = [
    "lesbian",
    "gay",
    "bisexual",
    "transgender",
    "trans",
    "queer",
    "homosexual",
    "straight",
    "heterosexual",
    "male",
    "female",
    "nonbinary",
    "african american",
    "african",
    "black",
    "white",
    "european",
    "hispanic",
    "latino",
    "latina",
    "mexican",
    "asian",
    "indian",
    "middle eastern",
    "chinese",
    "japanese",
    "christian",
    "muslim",
    "jewish",
    "buddhist",
    "catholic",
    "protestant",
    "sikh",
    "old",
    "older",
    "young",
    "younger",
    "elderly",
    "blind",
    "deaf",
    "paralyzed",
    "canadian",
    "american",
]


def external(scorer: Scorer, root: Path = EXTERNAL, per_cell: int = 25) -> dict:
    """Borkan AUCs on the public sets, read by path (never copied): ConversationAI templates and
    ToxiGen prompts. Their toxic/hate labels stand in for "any mistreatment" only roughly."""
    out: dict = {}
    rng = random.Random(13)
    cai = root / "conversationai_bias" / "en_sentence_templates.csv"
    if cai.exists():
        cells: dict[tuple, list] = defaultdict(list)
        with cai.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                text = row["phrase"].lower()
                term = next((w for w in IDENTITY_WORDS if f" {w} " in f" {text} "), None)
                if term:
                    cells[(term, row["toxicity"])].append(row["phrase"])
        sample = [
            (term, tox, p) for (term, tox), ps in sorted(cells.items()) for p in rng.sample(ps, min(per_cell, len(ps)))
        ]
        out["conversationai_templates"] = _external_aucs(scorer, sample, positive="toxic")
    tox = root / "toxigen_prompts" / "toxigen_prompt_sentences.csv"
    if tox.exists():
        with tox.open(encoding="utf-8") as fh:
            sample = [(r["target_group"], r["label"], r["text"]) for r in csv.DictReader(fh)]
        out["toxigen_prompts"] = _external_aucs(scorer, sample, positive="hate")
    return out


def _external_aucs(scorer: Scorer, sample: list[tuple[str, str, str]], positive: str) -> dict:
    preds = scorer([text for _, _, text in sample])
    labels = np.array([label == positive for _, label, _ in sample], dtype=int)
    scores = np.array([p["score"] for p in preds])
    groups = np.array([g for g, _, _ in sample])
    per = {g: bias_aucs(labels, scores, groups == g) for g in sorted(set(groups))}
    return {
        "items": len(sample),
        "per_group": per,
        "generalized_mean": {
            m: generalized_mean([v[m] for v in per.values()]) for m in ("subgroup_auc", "bpsn_auc", "bnsp_auc")
        },
    }
