"""P(critical) pooled in logit space (rule 15's option): the formula, its fit on validation, a pooled model."""

import numpy as np
import pytest

from service.pipeline.classification import Classifier, logit, pool_critical
from service.settings import REPO_ROOT
from training.tune import fit_critical_pooling

EVEN = {"encoder": 0.75, "tfidf": 0.25, "bias": 0.0}


def test_a_confident_low_from_the_encoder_is_not_outvoted_by_a_middling_tfidf():
    encoder, tfidf = np.array([0.01]), np.array([0.2])
    averaged = 0.75 * encoder + 0.25 * tfidf  # the plain blend: 0.0575, over a bar of 0.045
    pooled = pool_critical(tfidf, encoder, EVEN)
    assert averaged[0] > 0.045 > pooled[0]


def test_pooling_rises_with_either_part_and_agrees_when_the_parts_agree():
    grid = np.linspace(0.01, 0.99, 25)
    assert np.all(np.diff(pool_critical(np.full(25, 0.3), grid, EVEN)) > 0)
    assert np.all(np.diff(pool_critical(grid, np.full(25, 0.3), EVEN)) > 0)
    np.testing.assert_allclose(pool_critical(grid, grid, EVEN), grid)  # weights summing to 1, no bias
    assert np.isfinite(pool_critical(np.array([0.0, 1.0]), np.array([1.0, 0.0]), EVEN)).all()  # clipped


def test_the_fit_trusts_the_part_that_separates_critical_items():
    rng = np.random.default_rng(0)
    y_sev = rng.choice([0, 3, 4], size=2000, p=[0.5, 0.3, 0.2])
    critical = y_sev == 4
    informative = 1 / (1 + np.exp(-(3.0 * critical - 1.5 + rng.normal(0, 1, 2000))))
    noise = rng.uniform(0.01, 0.99, 2000)
    weights = fit_critical_pooling(noise, informative, y_sev)
    assert weights["encoder"] > 1.0 > abs(weights["tfidf"]) * 5
    pooled = pool_critical(noise, informative, weights)
    assert abs(pooled.mean() - critical.mean()) < 0.02  # still a probability, calibrated on the fit's items


@pytest.mark.slow
def test_a_pooled_model_caps_its_critical_score_at_its_high_score():
    model = Classifier(REPO_ROOT / "models" / "upstander-clf")
    texts = [
        "He grabbed me by the throat in the stockroom and said next time I won't walk out.",
        "My manager shouts at me every single day and says I'll be gone by Christmas.",
        "The rota is posted late every week, which makes childcare hard.",
    ]
    model.critical_pooling = None  # the plain blend first: the shipped v2.9 pools with its own fit
    _, plain, _ = model.raw_scores(texts)
    model.critical_pooling = {"encoder": 0.82, "tfidf": 0.34, "bias": 0.49}  # rule 15's fit, rounded
    theme, cum, reason = model.raw_scores(texts)
    tfidf, encoder = model.critical_parts(texts)
    expected = np.minimum(pool_critical(tfidf, encoder, model.critical_pooling), cum[:, -2])
    np.testing.assert_allclose(cum[:, -1], expected, rtol=1e-6)
    np.testing.assert_allclose(cum[:, :-1], plain[:, :-1])  # only P(critical) is pooled
    assert np.all(cum[:, -1] <= cum[:, -2])
    assert cum[0, -1] > cum[1, -1] > cum[2, -1]
    w = model.weight
    np.testing.assert_allclose((1 - w) * tfidf + w * encoder, plain[:, -1], rtol=1e-5)  # the plain blend


def test_logit_inverts_the_sigmoid():
    p = np.array([0.02, 0.5, 0.9])
    np.testing.assert_allclose(1 / (1 + np.exp(-logit(p))), p)
