"""Metrics the field uses for this task, in one place for training, evaluation and fairness."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import cohen_kappa_score, confusion_matrix, precision_recall_fscore_support

from service.labels import SEVERITIES, THEMES

Z_TWO_SIDED_90 = 1.6449  # the reports' 90% intervals


def theme_report(y_true: np.ndarray, y_pred: np.ndarray) -> dict:
    p, r, f, support = precision_recall_fscore_support(y_true, y_pred, average=None, zero_division=0)
    per = {
        t: {
            "precision": round(float(p[j]), 4),
            "recall": round(float(r[j]), 4),
            "f1": round(float(f[j]), 4),
            "support": int(support[j]),
        }
        for j, t in enumerate(THEMES)
    }
    micro = precision_recall_fscore_support(y_true, y_pred, average="micro", zero_division=0)
    return {"per_theme": per, "macro_f1": round(float(np.mean(f)), 4), "micro_f1": round(float(micro[2]), 4)}


def qwk(sev_true: np.ndarray, sev_pred: np.ndarray) -> float:
    return round(float(cohen_kappa_score(sev_true, sev_pred, weights="quadratic", labels=list(range(5)))), 4)


def severity_report(sev_true: np.ndarray, sev_pred: np.ndarray) -> dict:
    cm = confusion_matrix(sev_true, sev_pred, labels=list(range(len(SEVERITIES))))
    return {
        "qwk": qwk(sev_true, sev_pred),
        "accuracy": round(float(np.mean(sev_true == sev_pred)), 4),
        "within_one": round(float(np.mean(np.abs(sev_true - sev_pred) <= 1)), 4),
        "confusion_matrix": {"labels": list(SEVERITIES), "rows_true_cols_pred": cm.tolist()},
    }


def urgent_report(urgent_true: np.ndarray, urgent_pred: np.ndarray) -> dict:
    tp = int(np.sum(urgent_true & urgent_pred))
    fn = int(np.sum(urgent_true & ~urgent_pred))
    fp = int(np.sum(~urgent_true & urgent_pred))
    return {
        "recall": round(tp / max(tp + fn, 1), 4),
        "precision": round(tp / max(tp + fp, 1), 4),
        "recall_interval_90": [round(x, 4) for x in wilson_interval(tp, tp + fn, Z_TWO_SIDED_90)],
        "precision_interval_90": [round(x, 4) for x in wilson_interval(tp, tp + fp, Z_TWO_SIDED_90)],
        "true_positives": tp,
        "missed": fn,
        "false_alarms": fp,
        "support": int(urgent_true.sum()),
    }


def clean_report(clean: np.ndarray, any_theme_pred: np.ndarray, flagged_pred: np.ndarray) -> dict:
    """On items with no mistreatment: how often anything is predicted, and how often flagged."""
    n = max(int(clean.sum()), 1)
    return {
        "clean_items": int(clean.sum()),
        "any_mistreatment_rate": round(float(np.sum(clean & any_theme_pred)) / n, 4),
        "false_flag_rate": round(float(np.sum(clean & flagged_pred)) / n, 4),
    }


def decision_figures(y_theme, y_sev, themes, sev, urgent) -> dict:
    """The validation figures of decided labels (label arrays and the decisions of the same items):
    what training chooses by and what a rule compares models on."""
    clean = y_sev == 0
    return {
        "macro_f1": theme_report(y_theme, themes)["macro_f1"],
        "qwk": qwk(y_sev, sev),
        "urgent": urgent_report(y_sev == 4, urgent),
        "false_urgent_per_1000_clean": round(1000 * float(np.mean(urgent[clean])), 2) if clean.any() else None,
        "clean_flagged": round(float(np.mean(sev[clean] > 0)), 4) if clean.any() else None,
    }


def wilson_interval(hits: int, n: int, z: float) -> tuple[float, float]:
    """Wilson score interval of a proportion (hits of n) at normal quantile z. Its lower end at a
    one-sided z says what a recall measured on n items is, with that confidence, at least on new
    items like them; both ends at a two-sided z are the report's interval."""
    if n == 0:
        return 0.0, 1.0
    p = hits / n
    centre = p + z * z / (2 * n)
    spread = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    scale = 1 + z * z / n
    return float((centre - spread) / scale), float((centre + spread) / scale)


def ece(y_true: np.ndarray, prob: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error of binary probabilities (equal-width bins)."""
    y_true, prob = np.asarray(y_true).ravel(), np.asarray(prob).ravel()
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        mask = (prob >= lo) & ((prob < hi) if hi < 1 else (prob <= hi))
        if mask.any():
            total += mask.mean() * abs(prob[mask].mean() - y_true[mask].mean())
    return round(float(total), 4)


THRESHOLD_GRID = np.arange(0.05, 0.951, 0.025)


def best_f1_threshold(y: np.ndarray, p: np.ndarray) -> float:
    best, best_t = -1.0, 0.5
    for t in THRESHOLD_GRID:
        pred = p >= t
        tp = np.sum(pred & (y == 1))
        f1 = 2 * tp / max(pred.sum() + y.sum(), 1)
        if f1 > best:
            best, best_t = f1, float(t)
    return round(best_t, 3)
