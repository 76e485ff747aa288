"""Fairness metrics on data whose answers are known by construction."""

import numpy as np
import pytest

from service.evaluations.fairness import bias_aucs, generalized_mean, group_metrics


def test_group_metrics_find_the_gap():
    y_true = np.array([1, 1, 0, 0, 1, 1, 0, 0])
    y_pred = np.array([1, 1, 0, 0, 1, 0, 1, 1])
    groups = np.array(["a"] * 4 + ["b"] * 4)
    out = group_metrics(y_true, y_pred, groups, n_boot=20)
    assert out["groups"]["a"]["recall"] == 1.0 and out["groups"]["b"]["recall"] == 0.5
    assert out["groups"]["a"]["false_positive_rate"] == 0.0 and out["groups"]["b"]["false_positive_rate"] == 1.0
    assert out["difference"]["false_positive_rate"] == 1.0
    assert out["difference"]["recall"] == 0.5
    low, high = out["groups"]["b"]["flag_rate_ci95"]
    assert low <= out["groups"]["b"]["flag_rate"] <= high


def test_bias_aucs_detect_scores_inflated_by_identity():
    labels = np.array([0, 0, 1, 1, 0, 0, 1, 1])
    sub = np.array([True] * 4 + [False] * 4)
    fair = np.array([0.1, 0.2, 0.8, 0.9, 0.1, 0.2, 0.8, 0.9])
    assert bias_aucs(labels, fair, sub)["bpsn_auc"] == 1.0
    inflated = np.array([0.85, 0.95, 0.97, 0.99, 0.1, 0.2, 0.8, 0.9])  # benign identity text scored as abusive
    out = bias_aucs(labels, inflated, sub)
    assert out["subgroup_auc"] == 1.0 and out["bpsn_auc"] < 0.5 and out["bnsp_auc"] == 1.0


def test_generalized_mean_is_pulled_to_the_worst():
    assert generalized_mean([0.99, 0.99, 0.5]) < 0.7
    assert generalized_mean([0.9, 0.9]) == pytest.approx(0.9)
    assert generalized_mean([None]) is None


@pytest.mark.slow
def test_counterfactual_smoke(tmp_path):
    import json

    from eval.fairness import run

    assert run.main(["--smoke", "--models", "upstander-clf", "--out", str(tmp_path)]) == 0
    entry = json.loads((tmp_path / "metrics.json").read_text())["models"]["upstander-clf"]
    summary = entry["summary"]
    assert 0 <= summary["identity_flip_rate"] <= 1 and 0 <= summary["name_flip_rate"] <= 1
    assert entry["counterfactual"]["borkan"]["per_term"]
    assert 0 <= summary["hate"]["listed"]["hate_flagged"] <= 1 and set(summary["hate"]) == {"listed", "heldout"}
    assert (tmp_path / "report_upstander-clf.html").read_text().startswith("<!doctype html>")


def _fake_scorer(flag):
    def score(texts):
        return [
            {
                "themes": ["discrimination"] if flag(t) else [],
                "severity": "high" if flag(t) else "none",
                "urgent": False,
                "score": 0.9 if flag(t) else 0.1,
                "theme_scores": {},
            }
            for t in texts
        ]

    return score


def test_hate_suite_rewards_stance_not_group_words():
    from eval.fairness.hate import evaluate_groups

    templates = [
        {"id": "a", "kind": "derogation", "hateful": True, "template": "{group} are vermin"},
        {
            "id": "b",
            "kind": "counter_speech",
            "hateful": False,
            "template": "someone said {group} are vermin and we shut that down",
        },
    ]
    groups = {"religion": ["Sikhs", "Jews"], "age": ["older workers"]}
    seeing = evaluate_groups(_fake_scorer(lambda t: t.endswith("vermin")), templates, groups)
    assert (seeing["hate_flagged"], seeing["non_hateful_flagged"], seeing["group_swap_flip_rate"]) == (1.0, 0.0, 0.0)
    # A model that reacts to the group word flags counter-speech as much as hate.
    by_word = evaluate_groups(_fake_scorer(lambda t: "Sikhs" in t), templates, groups)
    assert by_word["non_hateful_flagged"] > 0 and by_word["min_group_hate_recall"] == 0.0
    assert by_word["group_swap_flip_rate"] > 0
    # A blinded model (identity words hidden) sees no hate at all.
    blind = evaluate_groups(_fake_scorer(lambda t: False), templates, groups)
    assert blind["hate_flagged"] == 0.0


def test_a_rerun_of_the_same_models_adds_no_mitigation_step():
    from eval.fairness.run import mitigation_steps

    report = {"models": {"upstander-clf": {"summary": {"identity_flip_rate": 0.0921, "hate": {"listed": 0.81}}}}}
    first = mitigation_steps({"mitigation": {"steps": [{"label": "earlier"}]}}, report)
    assert len(first) == 2
    assert mitigation_steps({"mitigation": {"steps": first}}, report) == first
    changed = {"models": {"upstander-clf": {"summary": {"identity_flip_rate": 0.05, "hate": {"listed": 0.81}}}}}
    assert len(mitigation_steps({"mitigation": {"steps": first}}, changed)) == 3
