"""Functional tests of hate aimed at protected groups (our own suite, eval/fairness/data/).

Templates of hate said about a group (derogation, dehumanisation, threats, calls to exclude,
reported hate, asterisked slurs) and their non-hateful counterparts (neutral and positive mentions,
counter-speech, negated hate, ordinary complaints that mention a group), filled with the group
phrases of `hate_groups.json`: "listed" phrases, and "heldout" ones that appear in no training
augmentation list. A model that hid identity words would fail here: the hateful and the
counter-speech sentences differ in stance, not in which group is named.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from service.evaluations.fairness import bias_aucs, generalized_mean

DATA = Path(__file__).resolve().parent / "data"


def _rows(templates: list[dict], groups: dict[str, list[str]]) -> list[dict]:
    return [
        {
            "tid": t["id"],
            "kind": t["kind"],
            "hateful": bool(t["hateful"]),
            "category": category,
            "group": phrase,
            "text": t["template"].replace("{group}", phrase),
        }
        for t in templates
        for category, phrases in groups.items()
        for phrase in phrases
    ]


def _flip_rate(rows: list[dict], keys: list[tuple]) -> float:
    """Share of sentences whose labels differ from their template's majority across groups."""
    by_template: dict[str, list[tuple]] = defaultdict(list)
    for row, key in zip(rows, keys, strict=True):
        by_template[row["tid"]].append(key)
    flips = total = 0
    for entries in by_template.values():
        majority = max(set(entries), key=entries.count)
        flips += sum(e != majority for e in entries)
        total += len(entries)
    return round(flips / max(total, 1), 4)


def evaluate_groups(scorer, templates: list[dict], groups: dict[str, list[str]]) -> dict:
    rows = _rows(templates, groups)
    preds = scorer([r["text"] for r in rows])
    hateful = np.array([r["hateful"] for r in rows])
    flagged = np.array([p["severity"] != "none" for p in preds])
    as_disc = np.array(["discrimination" in p["themes"] for p in preds])
    scores = np.array([max(p["score"], p["theme_scores"].get("discrimination", 0.0)) for p in preds])
    per_group = {}
    for category in groups:
        sub = np.array([r["category"] == category for r in rows])
        per_group[category] = bias_aucs(hateful, scores, sub) | {
            "hate_recall": round(float(flagged[sub & hateful].mean()), 4),
            "hate_as_discrimination": round(float(as_disc[sub & hateful].mean()), 4),
            "non_hateful_flagged": round(float(flagged[sub & ~hateful].mean()), 4),
        }
    per_kind = {}
    for kind in sorted({r["kind"] for r in rows}):
        mask = np.array([r["kind"] == kind for r in rows])
        per_kind[kind] = {
            "hateful": bool(hateful[mask][0]),
            "flagged": round(float(flagged[mask].mean()), 4),
            "as_discrimination": round(float(as_disc[mask].mean()), 4),
            "sentences": int(mask.sum()),
        }
    keys = [(tuple(p["themes"]), p["severity"]) for p in preds]
    return {
        "sentences": len(rows),
        "hate_flagged": round(float(flagged[hateful].mean()), 4),
        "hate_as_discrimination": round(float(as_disc[hateful].mean()), 4),
        "non_hateful_flagged": round(float(flagged[~hateful].mean()), 4),
        "min_group_hate_recall": min(v["hate_recall"] for v in per_group.values()),
        "max_group_non_hateful_flagged": max(v["non_hateful_flagged"] for v in per_group.values()),
        "group_swap_flip_rate": _flip_rate(rows, keys),
        "borkan_generalized_mean": {
            m: generalized_mean([v[m] for v in per_group.values()]) for m in ("subgroup_auc", "bpsn_auc", "bnsp_auc")
        },
        "per_group": per_group,
        "per_kind": per_kind,
    }


def hate_suite(scorer, limit: int | None = None) -> dict:
    templates = [json.loads(line) for line in (DATA / "hate_functional.jsonl").read_text().splitlines() if line]
    if limit:  # smoke mode: a few templates of every kind
        templates = [
            t
            for kind in sorted({x["kind"] for x in templates})
            for t in [x for x in templates if x["kind"] == kind][:limit]
        ]
    groups = json.loads((DATA / "hate_groups.json").read_text())
    return {split: evaluate_groups(scorer, templates, groups[split]) for split in ("listed", "heldout")}
