"""Evidence by occlusion: the phrases whose removal most lowers the scores behind a decision.

For an item the model flagged, each clause is taken out in turn and the same model re-scores the
rest; the clauses whose absence cost the decided themes (and, when urgent, the critical score) the
most are the evidence. It asks the model that decided, not a proxy, and an item's evidence depends
on nothing but the item. Matched danger phrases (urgent.py) are added in front by `finalize`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

MAX_EVIDENCE = 3
MAX_CLAUSES = 24  # longer texts are occluded sentence by sentence instead
_CLAUSE = re.compile(
    r"(?<=[.!?;:])\s+|\n+|,\s+|\s+(?=(?:and|but|so|then|because|when|while)\s)|\s+-+\s+", re.IGNORECASE
)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")

Scores = Callable[[Sequence[str]], np.ndarray]  # texts -> one decision score per text


def spans(text: str, pattern: re.Pattern = _CLAUSE) -> list[tuple[int, int]]:
    """(start, end) of each non-empty clause, in order."""
    out, start = [], 0
    for match in pattern.finditer(text):
        if text[start : match.start()].strip():
            out.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def _pieces(text: str) -> list[tuple[int, int]]:
    found = spans(text)
    return found if len(found) <= MAX_CLAUSES else spans(text, _SENTENCE)[:MAX_CLAUSES]


def occlusion_evidence(
    texts: Sequence[str], score: Scores, *, k: int = MAX_EVIDENCE, full: Sequence[float] | None = None
) -> list[list[str]]:
    """Per text, up to k clauses in order of how much their removal lowers `score`.

    A text of one clause is its own evidence. `score` must be batch-independent (it is: every
    scorer in classification.py scores each text on its own), which is also why a caller that has
    already scored the whole texts may pass those scores as `full` instead of scoring them again.
    """
    pieces = [_pieces(t) for t in texts]
    variants, owners = [], []
    for i, (text, found) in enumerate(zip(texts, pieces, strict=True)):
        if len(found) < 2:
            continue
        if full is None:
            variants.append(text)
            owners.append((i, -1))
        for j, (a, b) in enumerate(found):
            variants.append((text[:a] + " " + text[b:]).strip())
            owners.append((i, j))
    values = score(variants) if variants else np.zeros(0)
    whole: dict[int, float] = {} if full is None else {i: float(v) for i, v in enumerate(full)}
    drops: dict[int, list[tuple[float, int]]] = {}
    for (i, j), v in zip(owners, values, strict=True):
        if j < 0:
            whole[i] = float(v)
        else:
            drops.setdefault(i, []).append((whole[i] - float(v), j))
    out = []
    for i, (text, found) in enumerate(zip(texts, pieces, strict=True)):
        if len(found) < 2:
            out.append([text.strip()] if text.strip() else [])
            continue
        ranked = sorted(drops[i], key=lambda d: -d[0])
        chosen = [j for drop, j in ranked if drop > 0][:k] or [ranked[0][1]]
        out.append([text[found[j][0] : found[j][1]].strip(" ,;-") for j in chosen])
    return out


def merge(*groups: list[str], limit: int = 5) -> list[str]:
    """De-duplicated evidence, a phrase contained in another dropped, capped at `limit`."""
    out: list[str] = []
    for group in groups:
        for phrase in group:
            low = phrase.lower()
            if not low or any(low in o.lower() for o in out):
                continue
            out = [o for o in out if o.lower() not in low]
            out.append(phrase)
    return out[:limit]
