"""Group fairness metrics: Fairlearn MetricFrames with bootstrap intervals, and the identity-term
bias AUCs of Borkan et al. (2019): subgroup AUC, BPSN AUC, BNSP AUC and their generalised mean."""

from __future__ import annotations

import numpy as np
from fairlearn.metrics import MetricFrame, false_positive_rate, selection_rate
from sklearn.metrics import precision_score, recall_score, roc_auc_score

N_BOOT = 200
SEED = 13


def _precision(y_true, y_pred) -> float:
    return precision_score(y_true, y_pred, zero_division=0)


def _recall(y_true, y_pred) -> float:
    return recall_score(y_true, y_pred, zero_division=0)


def _fpr(y_true, y_pred) -> float:
    return false_positive_rate(y_true, y_pred) if (np.asarray(y_true) == 0).any() else float("nan")


METRICS = {"recall": _recall, "false_positive_rate": _fpr, "precision": _precision, "flag_rate": selection_rate}


def _clean(value) -> float | None:
    value = float(value)
    return None if np.isnan(value) else round(value, 4)


def group_metrics(y_true: np.ndarray, y_pred: np.ndarray, groups: np.ndarray, n_boot: int = N_BOOT) -> dict:
    """Per-group recall, FPR, precision and flag rate with 95% bootstrap intervals, plus the largest
    difference and smallest ratio between groups."""
    frame = MetricFrame(
        metrics=METRICS,
        y_true=y_true,
        y_pred=y_pred,
        sensitive_features=groups,
        n_boot=n_boot if n_boot else None,
        ci_quantiles=[0.025, 0.975] if n_boot else None,
        random_state=SEED if n_boot else None,
    )
    by_group = frame.by_group
    out: dict = {"groups": {}, "difference": {}, "ratio": {}}
    lo = hi = None
    if n_boot:
        lo, hi = frame.by_group_ci
        assert lo is not None and hi is not None
    sizes = dict(zip(*np.unique(groups, return_counts=True), strict=True))
    for group in by_group.index:
        row: dict[str, object] = {"n": int(sizes[group]), "positives": int(np.sum(y_true[groups == group]))}
        for metric in METRICS:
            row[metric] = _clean(by_group.loc[group, metric])
            if lo is not None and hi is not None:
                row[f"{metric}_ci95"] = [_clean(lo.loc[group, metric]), _clean(hi.loc[group, metric])]
        out["groups"][str(group)] = row
    for metric in METRICS:
        out["difference"][metric] = _clean(frame.difference(method="between_groups")[metric])
        out["ratio"][metric] = _clean(frame.ratio(method="between_groups")[metric])
    return out


def _auc(labels: np.ndarray, scores: np.ndarray) -> float | None:
    if len(np.unique(labels)) < 2:
        return None
    return round(float(roc_auc_score(labels, scores)), 4)


def bias_aucs(labels: np.ndarray, scores: np.ndarray, in_subgroup: np.ndarray) -> dict:
    """Borkan et al. (2019). Subgroup AUC: within the subgroup. BPSN: subgroup negatives vs
    background positives (low = false alarms on the identity). BNSP: subgroup positives vs
    background negatives (low = misses on the identity)."""
    labels, scores, sub = np.asarray(labels).astype(int), np.asarray(scores), np.asarray(in_subgroup)
    bg = ~sub
    bpsn = (sub & (labels == 0)) | (bg & (labels == 1))
    bnsp = (sub & (labels == 1)) | (bg & (labels == 0))
    return {
        "subgroup_auc": _auc(labels[sub], scores[sub]),
        "bpsn_auc": _auc(labels[bpsn], scores[bpsn]),
        "bnsp_auc": _auc(labels[bnsp], scores[bnsp]),
        "n": int(sub.sum()),
    }


def generalized_mean(values: list[float | None], p: float = -5.0) -> float | None:
    """Power mean with p = -5, as in Borkan et al.: dominated by the worst subgroup."""
    vals = np.array([v for v in values if v is not None], dtype=float)
    if not len(vals):
        return None
    return round(float(np.mean(vals**p) ** (1 / p)), 4)
