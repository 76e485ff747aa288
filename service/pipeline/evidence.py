"""Evidence: the phrases that drove a prediction, so a reviewer sees why an item was flagged.

Two sources, both exact: linear contributions of the TF-IDF n-grams (coefficient x feature value,
averaged over the calibration folds), and for multi-sentence texts the sentences the embedding
heads score highest for the predicted themes.
"""

from __future__ import annotations

import re

import numpy as np

MAX_EVIDENCE = 4


def linear_coefficients(calibrated) -> np.ndarray | None:
    """Mean coefficient vector of a CalibratedClassifierCV over logistic regressions."""
    if isinstance(calibrated, float):
        return None
    coefs = [c.estimator.coef_[0] for c in calibrated.calibrated_classifiers_]
    return np.mean(coefs, axis=0)


def _span(text: str, ngram: str) -> tuple[int, int] | None:
    words = ngram.split()
    pattern = r"(?<!\w)" + r"\W+".join(re.escape(w) for w in words) + r"(?!\w)"
    match = re.search(pattern, text, flags=re.IGNORECASE)
    return match.span() if match else None


def _widen(text: str, start: int, end: int, words: int = 2) -> tuple[int, int]:
    """Extend a span by a few words either side, without crossing a sentence boundary."""
    for _ in range(words):
        left = re.search(r"[\w'<>_]+\W*$", text[:start])
        if not left or re.search(r"[.!?\n]", text[left.start() : start]):
            break
        start = left.start()
    for _ in range(words):
        right = re.match(r"\W*[\w'<>_]+", text[end:])
        if not right or re.search(r"[.!?\n]", right.group()):
            break
        end += right.end()
    return start, end


def ngram_evidence(text: str, row, vocabulary: np.ndarray, coef: np.ndarray, k: int = 2) -> list[str]:
    """Phrases around the n-grams that contribute most (coefficient x tf-idf) to one theme."""
    row = row.tocsr()
    contributions = row.data * coef[row.indices]
    spans: list[tuple[int, int, float]] = []
    for i in np.argsort(-contributions)[:6]:
        if contributions[i] <= 0:
            break
        found = _span(text, vocabulary[row.indices[i]])
        if found:
            spans.append((*found, float(contributions[i])))
    merged: list[list[float]] = []
    for start, end, weight in sorted(spans):
        if merged and start <= merged[-1][1] + 3:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2] += weight
        else:
            merged.append([start, end, weight])
    merged.sort(key=lambda m: -m[2])
    phrases = []
    for m_start, m_end, _ in merged[:k]:
        a, b = _widen(text, int(m_start), int(m_end))
        phrases.append(text[a:b].strip())
    return phrases


def merge(*groups: list[str]) -> list[str]:
    """De-duplicated evidence, longest-first containment removed, capped at MAX_EVIDENCE."""
    out: list[str] = []
    for group in groups:
        for phrase in group:
            low = phrase.lower()
            if any(low in o.lower() for o in out):
                continue
            out = [o for o in out if o.lower() not in low]
            out.append(phrase)
    return out[:MAX_EVIDENCE]
