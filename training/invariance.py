"""Invariance to who is named, measured on validation: a training option that claims fairness is
chosen here, not on the fairness suites of eval/fairness (those only report).

Two figures, both on the production path (redaction, classification and the urgent rules, through
the `Scorer` that the fairness suites use):

  swap flip rate   validation items that name an identity term of the augmentation lexicon, each
                   copied three times with that term swapped for another of its category; a flip
                   is a copy whose themes or severity differ from its original's (with a 90%
                   interval from resampling the items)
  mention flags    clean validation comments flagged (any severity above none) with a neutral
                   mention of the writer's identity added, against the same comments without it
  group mentions   neutral statements about a group of colleagues ("Our IT helpdesk has a few deaf
                   staff on it"), in frames training never saw: the share flagged, and the share
                   marked discrimination (a mere mention is not, by the taxonomy)

    python -m training.invariance [--models DIR]
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable
from pathlib import Path

import numpy as np

from service.components import get_pipeline, quiet_libraries
from service.evaluations.service import Scorer
from service.settings import Settings
from training.augment import fill_group, group_phrases, identity_mentions, swap
from training.corpus import load_split

# Neutral statements about a group, in frames training never saw (augment.py has its own).
CHECK_FRAMES = [
    "The rota for {g} is the same as for the rest of us.",
    "The parking permits for {g} were renewed in March.",
    "A group of {g} are running the charity 10k this year.",
    "The hiring panel interviewed several {g} for the analyst roles.",
    "Our IT helpdesk has a few {g} on it.",
    "Lunch on Friday was organised by {g} from the design team.",
    "The team photo has {g} in the front row.",
    "{g} from the Cardiff office gave a demo of the new scanner.",
    "I carpool with some {g} who live near me.",
    "The training budget covers {g} in the same way as other staff.",
    "The induction video features {g} talking about their roles.",
    "Our canteen queue at noon is full of {g} and everyone else.",
]

COPIES = 3
SEED = 29  # not the augmentation's seed: other swaps than the ones training saw


def decisions(scorer: Scorer, texts: list[str]) -> list[tuple[tuple[str, ...], str]]:
    """(themes, severity) per text: what the fairness suites compare across identities too."""
    return [(tuple(p["themes"]), p["severity"]) for p in scorer(texts)]


def measure(decide: Callable[[list[str]], list], records: list[dict]) -> dict:
    """`decide` maps texts to one comparable decision each (production: `decisions`)."""
    rng = random.Random(SEED)
    originals, copies, owner = [], [], []
    for record in records:
        variants = {v for v in (swap(record["text"], rng) for _ in range(COPIES)) if v and v != record["text"]}
        if variants:
            originals.append(record["text"])
            for v in sorted(variants):
                copies.append(v)
                owner.append(len(originals) - 1)
    base, swapped = decide(originals), decide(copies)
    flipped = [swapped[i] != base[o] for i, o in enumerate(owner)]
    flips = sum(flipped)

    clean = [r for r in records if r["severity"] == "none"]
    mentioned = identity_mentions(clean, n=len(clean), seed=SEED)
    plain = {r["id"]: r["text"] for r in clean}
    without = decide([plain[m["id"].split("~")[0]] for m in mentioned])
    with_mention = decide([m["text"] for m in mentioned])
    groups = [fill_group(frame, phrase) for frame in CHECK_FRAMES for phrase in group_phrases()[::5]]
    grouped = decide(groups)
    return {
        "swap": {
            "items": len(originals),
            "copies": len(copies),
            "flip_rate": round(flips / max(len(copies), 1), 4),
            "flip_rate_interval_90": _item_bootstrap(flipped, owner, len(originals)),
        },
        "group_mentions": {
            "sentences": len(groups),
            "flagged": _flagged_share(grouped),
            "as_discrimination": round(sum("discrimination" in t for t, _ in grouped) / max(len(grouped), 1), 4),
        },
        "mention": {
            "items": len(mentioned),
            "flagged_without": _flagged_share(without),
            "flagged_with": _flagged_share(with_mention),
        },
    }


def _item_bootstrap(flipped: list[bool], owner: list[int], items: int, rounds: int = 2000) -> list[float]:
    """90% percentile interval of the flip rate, resampling items (not copies): an item's copies
    share its wording and flip together, so the copies are not independent draws. Two models whose
    rates differ by less than this width are not told apart by this check."""
    if not items:
        return [0.0, 0.0]
    flips, copies = np.zeros(items), np.zeros(items)
    np.add.at(flips, owner, flipped)
    np.add.at(copies, owner, 1)
    picks = np.random.default_rng(SEED).integers(0, items, size=(rounds, items))
    rates = flips[picks].sum(1) / copies[picks].sum(1)
    return [round(float(q), 4) for q in np.quantile(rates, [0.05, 0.95])]


def _flagged_share(decided: list) -> float:
    return round(sum(severity != "none" for _, severity in decided) / max(len(decided), 1), 4)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=Path, default=Settings().models_dir)
    parser.add_argument("--limit", type=int, default=0, help="only the first N validation items (smoke)")
    args = parser.parse_args(argv)
    quiet_libraries()
    records = load_split("validation")
    if args.limit:
        records = records[: args.limit]
    pipeline = get_pipeline(Settings(models_dir=args.models))
    scorer = Scorer(pipeline)
    figures = measure(lambda texts: decisions(scorer, texts), records)
    print(json.dumps({"model_version": pipeline.model_version} | figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
