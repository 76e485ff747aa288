"""Decisions tuned on validation, for the deployment mix rather than the training mix.

The balanced corpus over-represents mistreatment and urgent items; a real survey is mostly clean.
Rates on clean items (false urgent per 1,000, clean items flagged) do not depend on the mix, so
they are measured on the clean validation items directly and held to targets, while recall on
urgent items comes first:
- themes: per-theme F1-best thresholds;
- the "any mistreatment" gate (cutoff 0): the best severity QWK among cutoffs that flag at most
  CLEAN_FLAG_TARGET of clean validation items;
- urgent: the (model, signal) thresholds of urgent.py with the fewest expected false alarms in a
  survey mix among those whose validation urgent recall stays >= URGENT_RECALL_TARGET (the product's
  bar, 0.98) at its one-sided 90% lower confidence bound, counting the explicit danger phrases
  only. Bars tuned to meet 0.98 exactly on validation fall under it on new text about half the time
  (v2.5: 0.982 on validation, 0.974 on test); the bound keeps a margin for a sample of validation's
  size (about 4 misses allowed of 389 rather than 7). A model that cannot reach the margin without
  making more than FALSE_URGENT_CEILING of clean items urgent (the issue's "not by flagging one
  ordinary comment in twenty") is held to the point estimate instead. Without the ceiling a model
  that just reaches the margin paid far more false alarms than one that cannot (session 15: the
  TF-IDF part refitted on corpus v2.5 reached it only by making 9.5% of clean items urgent, where
  the point estimate costs 3.6%). The implied phrases of urgent.py were
  written while reading validation items, so validation would credit them with recall they may
  not have elsewhere: they are left out of the choice and, in use, only add urgent items. The
  false-urgent rate on clean items is reported against its target (5 per 1,000), not traded for
  recall.
"""

from __future__ import annotations

import numpy as np

from service.labels import SEVERITY_RANK, THEMES, URGENT_REASONS
from service.pipeline.classification import Prediction, decide, logit
from service.pipeline.urgent import UrgentPolicy, explicit_signals, finalize, stands_alone
from training import metrics as M

CLEAN_FLAG_TARGET = 0.05
URGENT_RECALL_TARGET = 0.98
RECALL_CONFIDENCE_Z = 1.2816  # one-sided 90%
FALSE_URGENT_CEILING = 0.05  # of clean validation items: the margin is not bought above it
SURVEY_MIX = {"clean": 0.80, "other": 0.19}  # the rest (about 1%) urgent


def fit_critical_pooling(tfidf_critical: np.ndarray, encoder_critical: np.ndarray, y_sev: np.ndarray) -> dict:
    """Weights that pool the two parts' P(critical) in logit space (`classification.pool_critical`): a
    logistic regression of "critical" on validation, so the pooled score stays a calibrated probability."""
    from sklearn.linear_model import LogisticRegression

    X = np.column_stack([logit(encoder_critical), logit(tfidf_critical)])
    fit = LogisticRegression(C=1.0, max_iter=1000).fit(X, y_sev == len(SEVERITY_RANK) - 1)
    a, b = fit.coef_[0]
    return {"encoder": round(float(a), 6), "tfidf": round(float(b), 6), "bias": round(float(fit.intercept_[0]), 6)}


def final_labels(texts, theme_p, cum, reason_p, thresholds, cutoffs, policy: UrgentPolicy):
    """decide() + urgent rules exactly as the pipeline applies them; label arrays."""
    n = len(texts)
    themes = np.zeros((n, len(THEMES)), dtype=int)
    sev = np.zeros(n, dtype=int)
    urgent = np.zeros(n, dtype=bool)
    for i, text in enumerate(texts):
        t, s = decide(theme_p[i], cum[i], thresholds, cutoffs)
        pred = Prediction(
            scores=dict(zip(THEMES, map(float, theme_p[i]), strict=True)),
            themes=t,
            severity=s,
            critical_score=float(cum[i, -1]),
            reason_scores=dict(zip(URGENT_REASONS, map(float, reason_p[i]), strict=True)),
        )
        final = finalize(text, pred, policy)
        themes[i] = [x in final.themes for x in THEMES]
        sev[i] = SEVERITY_RANK[final.severity]
        urgent[i] = final.urgent
    return themes, sev, urgent


def tune_urgent(texts, theme_p, cum, thresholds, cutoffs, y_sev) -> tuple[UrgentPolicy, dict]:
    crit = cum[:, -1]
    decided = [decide(theme_p[i], cum[i], thresholds, cutoffs)[0] for i in range(len(texts))]
    signalled = np.array(
        [bool(explicit_signals(t)) or "physical_violence" in d for t, d in zip(texts, decided, strict=True)]
    )
    alone = np.array([stands_alone(t) for t in texts])  # urgent whatever the bars
    is_urgent, is_clean = y_sev == 4, y_sev == 0
    is_other = ~is_urgent & ~is_clean
    # Finer steps where the bars land (a few hundredths), coarser above.
    grid = np.round(np.concatenate([np.arange(0.01, 0.1, 0.005), np.arange(0.1, 0.96, 0.02)]), 3)
    n_urgent = int(is_urgent.sum())
    rows = []
    for m in grid:
        for s in grid[grid <= m]:
            pred = (crit >= m) | (signalled & (crit >= s)) | alone
            caught = int(pred[is_urgent].sum())
            recall = caught / n_urgent if n_urgent else 1.0
            bound = M.wilson_interval(caught, n_urgent, RECALL_CONFIDENCE_Z)[0]
            fu_clean = pred[is_clean].mean() if is_clean.any() else 0.0
            fu_other = pred[is_other].mean() if is_other.any() else 0.0
            rows.append((float(m), float(s), float(recall), float(fu_clean), float(fu_other), bound))
    # The margin where it can be had under the false-alarm ceiling; else the bar itself on validation;
    # else the best recall a model can reach (each at the fewest false alarms).
    ok = [r for r in rows if r[5] >= URGENT_RECALL_TARGET and r[3] <= FALSE_URGENT_CEILING]
    if not ok:
        target = min(URGENT_RECALL_TARGET, max(r[2] for r in rows))
        ok = [r for r in rows if r[2] >= target]
    # Fewest expected false alarms in a survey mix; on a tie, the higher bars.
    m, s, recall, fu_clean, fu_other, bound = min(
        ok, key=lambda r: (round(SURVEY_MIX["clean"] * r[3] + SURVEY_MIX["other"] * r[4], 6), -r[0], -r[1])
    )
    return UrgentPolicy(m, s), {
        "model_threshold": m,
        "signal_threshold": s,
        "validation_recall": round(recall, 4),
        "validation_recall_lower_bound_90": round(bound, 4),
        "false_urgent_per_1000_clean": round(fu_clean * 1000, 2),
        "false_urgent_rate_other_mistreatment": round(fu_other, 4),
    }


def _tune_cutoffs(texts, theme_p, cum, reason_p, y_sev, thresholds, policy, cutoffs) -> np.ndarray:
    clean = y_sev == 0
    cutoffs = cutoffs.copy()
    for _ in range(2):
        for k in range(3):
            scores = {}
            for c in np.arange(0.1, 0.951, 0.025):
                trial = cutoffs.copy()
                trial[k] = c
                _, sev, _ = final_labels(texts, theme_p, cum, reason_p, thresholds, trial, policy)
                if k == 0 and np.mean(sev[clean] > 0) > CLEAN_FLAG_TARGET:
                    continue
                scores[round(float(c), 3)] = M.qwk(y_sev, sev)
            if scores:
                cutoffs[k] = max(scores, key=scores.get)
    return cutoffs


def tune(texts, theme_p, cum, reason_p, y_theme, y_sev) -> tuple[np.ndarray, np.ndarray, UrgentPolicy, dict]:
    """Theme thresholds, then severity cut-offs under a provisional urgent policy, then the urgent
    policy on the themes those cut-offs decide, then the cut-offs once more under the final policy."""
    thresholds = np.array([M.best_f1_threshold(y_theme[:, j], theme_p[:, j]) for j in range(len(THEMES))])
    cutoffs = _tune_cutoffs(
        texts, theme_p, cum, reason_p, y_sev, thresholds, UrgentPolicy(0.5, 0.1), np.array([0.5, 0.5, 0.5, 0.5])
    )
    policy, urgent_report = tune_urgent(texts, theme_p, cum, thresholds, cutoffs, y_sev)
    cutoffs = _tune_cutoffs(texts, theme_p, cum, reason_p, y_sev, thresholds, policy, cutoffs)
    return thresholds, cutoffs, policy, {"urgent": urgent_report}
