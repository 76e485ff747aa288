"""Evidence: the clauses that drove a decision, asked of the model that decided.

Two ways to find them, on the same decision score (the decided themes and, when urgent, the
critical score). By attribution (the default): what each clause's words add to that score, from one
gradient pass over the item (finetuned.py), plus the drop in the cheap TF-IDF part when the clause
is taken out. By occlusion: each clause is taken out in turn and the same model re-scores the rest,
one pass per clause. Either way an item's evidence depends on nothing but the item. Matched danger
phrases (urgent.py) are added in front by `finalize`.

An item comes as the windows the encoder reads it in (encoder.py; a plain text is one window), and
a clause is taken out of its own window only: the other windows of a long report are the same in
every variant, so the encoder embeds them once instead of once per clause.
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

Windows = tuple[str, ...]
# (owner item index per variant, variant windows) -> one decision score per variant
Scores = Callable[[list[int], list[Windows]], np.ndarray]


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


def _pieces(windows: Windows) -> list[tuple[int, int, int]]:
    """(window, start, end) of each clause; sentences when there are too many clauses."""
    found = [(w, a, b) for w, text in enumerate(windows) for a, b in spans(text)]
    if len(found) <= MAX_CLAUSES:
        return found
    return [(w, a, b) for w, text in enumerate(windows) for a, b in spans(text, _SENTENCE)][:MAX_CLAUSES]


def _without(windows: Windows, w: int, a: int, b: int) -> Windows:
    rest = (windows[w][:a] + " " + windows[w][b:]).strip()
    return windows[:w] + ((rest,) if rest else ()) + windows[w + 1 :]


def occlusion_evidence(
    items: Sequence[Windows | str],
    score: Scores,
    *,
    k: int = MAX_EVIDENCE,
    full: Sequence[float] | np.ndarray | None = None,
) -> list[list[str]]:
    """Per item, up to k clauses in order of how much their removal lowers `score`.

    An item of one clause is its own evidence. `score` must be batch-independent (every scorer in
    classification.py scores each variant on its own), which is also why a caller that has already
    scored the whole items may pass those scores as `full` instead of scoring them again.
    """
    windowed: list[Windows] = [(item,) if isinstance(item, str) else tuple(item) for item in items]
    pieces = [_pieces(item) for item in windowed]
    variants, owners, slots = [], [], []
    for i, (item, found) in enumerate(zip(windowed, pieces, strict=True)):
        if len(found) < 2:
            continue
        if full is None:
            variants.append(item)
            owners.append(i)
            slots.append(-1)
        for j, piece in enumerate(found):
            variants.append(_without(item, *piece))
            owners.append(i)
            slots.append(j)
    values = score(owners, variants) if variants else np.zeros(0)
    whole: dict[int, float] = {} if full is None else {i: float(v) for i, v in enumerate(full)}
    drops: dict[int, list[tuple[float, int]]] = {}
    for i, j, v in zip(owners, slots, values, strict=True):
        if j < 0:
            whole[i] = float(v)
        else:
            drops.setdefault(i, []).append((whole[i] - float(v), j))
    return [
        _chosen(item, found, drops.get(i, []), k) for i, (item, found) in enumerate(zip(windowed, pieces, strict=True))
    ]


def _chosen(item: Windows, found: list[tuple[int, int, int]], drops: list[tuple[float, int]], k: int) -> list[str]:
    """The pieces with the largest positive drops (at least the largest one); a one-piece item is
    its own evidence."""
    if len(found) < 2:
        text = " ".join(item).strip()
        return [text] if text else []
    ranked = sorted(drops, key=lambda d: -d[0])
    chosen = [j for drop, j in ranked if drop > 0][:k] or [ranked[0][1]]
    return [item[found[j][0]][found[j][1] : found[j][2]].strip(" ,;-") for j in chosen]


def without_each(item: Windows) -> list[Windows]:
    """The item with each of its pieces taken out in turn (none for an item of one piece)."""
    found = _pieces(item)
    return [_without(item, *piece) for piece in found] if len(found) >= 2 else []


def attributed_evidence(
    item: Windows,
    tokens: Sequence[Sequence[tuple[int, int, float]]],
    drops: Sequence[float] = (),
    *,
    k: int = MAX_EVIDENCE,
) -> list[str]:
    """Up to k clauses of one item ranked by what their tokens add to the decision (per window,
    (start, end, value): gradient x input from finetuned.py; the positive values of a clause summed,
    so a word pulling against the decision does not cancel the one that drove it), plus any `drops`
    measured by taking each piece out (in the order of `without_each`; a blend's cheap TF-IDF part
    is scored that way, exactly). Chosen on validation rationales among signed, positive, mean and
    unsigned sums (README)."""
    found = _pieces(item)
    if len(found) < 2:
        return _chosen(item, found, [], k)
    scores = [sum(max(v, 0.0) for start, end, v in tokens[w] if start >= a and end <= b) for w, a, b in found]
    scores = [s + d for s, d in zip(scores, drops, strict=True)] if len(drops) else scores
    return _chosen(item, found, [(v, j) for j, v in enumerate(scores)], k)
