"""Trained output heads shared by both models: multi-label themes, ordinal severity, urgent reasons.

Severity is ordinal, so it is learnt as four cumulative binary heads P(severity >= k) (Frank &
Hall, 2001) instead of five unrelated classes; every head is a logistic regression calibrated
with Platt scaling so that its scores can be read as probabilities.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression

from service.labels import SEVERITIES, THEMES, URGENT_REASONS


def _head(C: float, seed: int) -> CalibratedClassifierCV:
    base = LogisticRegression(C=C, class_weight="balanced", max_iter=2000, random_state=seed)
    # ensemble=False: one final model (small artifact) calibrated on 5-fold out-of-fold scores.
    return CalibratedClassifierCV(base, method="sigmoid", cv=5, ensemble=False)


def _fit_or_constant(model, X, y) -> object:
    if y.min() == y.max():  # a head with one class seen: remember the constant
        return float(y[0])
    return model.fit(X, y)


def _proba(model, X) -> np.ndarray:
    if isinstance(model, float):
        return np.full(X.shape[0], model)
    return model.predict_proba(X)[:, 1]


@dataclass
class Heads:
    C: float = 1.0
    seed: int = 13
    themes: list = field(default_factory=list)
    severity: list = field(default_factory=list)  # P(sev >= k), k = 1..4
    reasons: list = field(default_factory=list)

    def fit(self, X, theme_y: np.ndarray, sev_y: np.ndarray, reason_y: np.ndarray) -> Heads:
        self.themes = [_fit_or_constant(_head(self.C, self.seed), X, theme_y[:, j]) for j in range(len(THEMES))]
        self.severity = [
            _fit_or_constant(_head(self.C, self.seed), X, (sev_y >= k).astype(int)) for k in range(1, len(SEVERITIES))
        ]
        critical = sev_y == len(SEVERITIES) - 1
        self.reasons = [
            _fit_or_constant(_head(self.C, self.seed), X[critical], reason_y[critical, j])
            for j in range(len(URGENT_REASONS))
        ]
        return self

    def theme_proba(self, X) -> np.ndarray:
        return np.column_stack([_proba(m, X) for m in self.themes])

    def severity_cumulative(self, X) -> np.ndarray:
        """P(sev >= k) for k = 1..4, made monotone non-increasing in k."""
        cum = np.column_stack([_proba(m, X) for m in self.severity])
        return np.minimum.accumulate(cum, axis=1)

    def reason_proba(self, X) -> np.ndarray:
        return np.column_stack([_proba(m, X) for m in self.reasons])
