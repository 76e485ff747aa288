"""Statements about a group of colleagues written for training only, filled with the augmentation
lexicon's terms: neutral mentions (full-rank training had learnt to read a mere mention of a group as
mistreatment), hate, its rebuttals, threats of violence and their clean contrasts in the same
settings, each an option of train.py. They teach stance, not group words: the same group phrases
appear on both sides of every line. The validation checks (training/invariance.py) and the fairness
suite have their own wording, and a test keeps them five words apart.
"""

from __future__ import annotations

import random

from training.augment import LEXICON, SEED
from training.group_frames import (
    COUNTER_FRAMES,
    HATE_FRAMES,
    JOB_THREAT_FRAMES,
    MENTION_FRAMES,
    THREAT_CONTRAST_FRAMES,
    THREAT_FRAMES,
    THREAT_HATE_FRAMES,
)

_GROUP_NOUNS = ["colleagues", "staff", "people", "employees", "workers", "team members"]
_GROUP_EXTRA = ["female", "male", "pregnant"]


def group_phrases() -> list[str]:
    """'Muslim colleagues', 'older staff', ...: every lexicon term (and gender, pregnancy) with a noun."""
    terms = [t for terms in LEXICON.values() for t in terms] + _GROUP_EXTRA
    return [f"{t} {noun}" for t in terms for noun in _GROUP_NOUNS]


def fill_group(frame: str, phrase: str) -> str:
    text = frame.format(g=phrase)
    return text[:1].upper() + text[1:]


def group_mentions(n: int = 400, seed: int = SEED) -> list[dict]:
    """Clean survey comments that mention a group of colleagues neutrally (severity none): the
    taxonomy's "mere mention of an identity" said about others, so that no group word carries a
    discrimination label by itself."""
    return _group_statements(MENTION_FRAMES, n, random.Random(seed + 2), "aug-group", [], "none")


def _group_statements(
    frames: list[str],
    n: int,
    rng: random.Random,
    prefix: str,
    themes: list[str],
    severity: str,
    reasons: tuple[str, ...] = (),
):
    phrases = group_phrases()
    return [
        {
            "id": f"{prefix}{i}",
            "source": "survey",
            "text": fill_group(rng.choice(frames), rng.choice(phrases)),
            "themes": list(themes),
            "severity": severity,
            "urgent_reasons": list(reasons),
        }
        for i in range(n)
    ]


def group_hate(n: int = 0, seed: int = SEED) -> list[dict]:
    """Survey comments with hate aimed at a group of colleagues: discrimination, high, as the corpus
    labels such remarks in the writer's own voice or reported."""
    return _group_statements(HATE_FRAMES, n, random.Random(seed + 3), "aug-grouphate", ["discrimination"], "high")


def group_counter(n: int = 0, seed: int = SEED) -> list[dict]:
    """Clean survey comments that negate or rebut hate about a group (no incident described):
    the stance counterpart of `group_hate`, in the same words."""
    return _group_statements(COUNTER_FRAMES, n, random.Random(seed + 4), "aug-groupcounter", [], "none")


def group_threats(n: int = 0, seed: int = SEED) -> list[dict]:
    """Survey comments with a threat of violence aimed at a group of colleagues: discrimination and
    intimidation, critical, urgent for violence, as the corpus labels such threats (its 173 critical
    discrimination items in train name particular groups)."""
    return _group_statements(
        THREAT_FRAMES,
        n,
        random.Random(seed + 5),
        "aug-groupthreat",
        ["discrimination", "intimidation"],
        "critical",
        ("violence",),
    )


def group_threat_contrast(n: int = 0, seed: int = SEED) -> list[dict]:
    """Clean survey comments about a group of colleagues in the threat statements' settings: the
    contrast of `group_threats`, so that a threat, not its props, makes an item urgent."""
    return _group_statements(THREAT_CONTRAST_FRAMES, n, random.Random(seed + 6), "aug-groupcontrast", [], "none")


def group_threat_hate(n: int = 0, seed: int = SEED) -> list[dict]:
    """Survey comments with hate at a group of colleagues in the threat statements' settings and
    words, no threat of harm: discrimination, high (the twin of `group_threats`)."""
    return _group_statements(
        THREAT_HATE_FRAMES, n, random.Random(seed + 7), "aug-groupthreathate", ["discrimination"], "high"
    )


def group_job_threats(n: int = 0, seed: int = SEED) -> list[dict]:
    """Survey comments with a threat at a group of colleagues to their job, pay or prospects, no
    violence: discrimination and intimidation, high (the non-violent counterpart of `group_threats`)."""
    return _group_statements(
        JOB_THREAT_FRAMES,
        n,
        random.Random(seed + 8),
        "aug-groupjobthreat",
        ["discrimination", "intimidation"],
        "high",
    )
