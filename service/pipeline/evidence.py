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


def _find_phrase(text: str, ngram: str) -> str | None:
    words = ngram.split()
    pattern = r"\b" + r"\W+".join(re.escape(w) for w in words) + r"\b"
    match = re.search(pattern, text, flags=re.IGNORECASE)
    return match.group(0) if match else None


def ngram_evidence(text: str, row, vocabulary: np.ndarray, coef: np.ndarray, k: int = 3) -> list[str]:
    """Top-k n-grams of one TF-IDF row by positive contribution to one theme."""
    row = row.tocsr()
    contributions = row.data * coef[row.indices]
    order = np.argsort(-contributions)
    phrases: list[str] = []
    for i in order:
        if contributions[i] <= 0 or len(phrases) >= k:
            break
        phrase = _find_phrase(text, vocabulary[row.indices[i]])
        if phrase and not any(phrase.lower() in p.lower() for p in phrases):
            phrases = [p for p in phrases if p.lower() not in phrase.lower()] + [phrase]
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
