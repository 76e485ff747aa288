"""decide(): the any-mistreatment gate and the floors; occlusion evidence on a known scorer."""

import numpy as np
import pytest

from service.labels import THEMES
from service.pipeline.classification import decide
from service.pipeline.evidence import attributed_evidence, occlusion_evidence, spans, without_each

THRESHOLDS = np.full(len(THEMES), 0.5)
CUTOFFS = np.array([0.5, 0.5, 0.5, 0.5])


def _theme_p(**scores):
    p = np.full(len(THEMES), 0.05)
    for theme, value in scores.items():
        p[THEMES.index(theme)] = value
    return p


@pytest.mark.parametrize(
    ("theme_p", "cum", "expected"),
    [
        (_theme_p(verbal_abuse=0.9), [0.3, 0.2, 0.1, 0.0], ([], "none")),  # the gate: a high theme alone is not enough
        (_theme_p(verbal_abuse=0.9), [0.9, 0.7, 0.2, 0.0], (["verbal_abuse"], "moderate")),
        (_theme_p(), [0.9, 0.2, 0.1, 0.0], ([], "low")),  # mild, no theme fits
        (_theme_p(exclusion=0.3), [0.9, 0.8, 0.1, 0.0], (["exclusion"], "moderate")),  # moderate needs a theme
        (_theme_p(retaliation=0.8), [0.9, 0.3, 0.1, 0.0], (["retaliation"], "high")),  # the floor
    ],
)
def test_decide(theme_p, cum, expected):
    assert decide(theme_p, np.array(cum), THRESHOLDS, CUTOFFS) == expected


def test_occlusion_finds_the_clause_that_carries_the_score():
    text = "The canteen is fine, he called me a useless idiot in front of everyone, and parking is a mess."

    def score(owners, variants):  # a stand-in model: the score is whether the insult is present
        return np.array([1.0 if "idiot" in " ".join(v) else 0.0 for v in variants])

    (evidence,) = occlusion_evidence([text], score)
    assert evidence == ["he called me a useless idiot in front of everyone"]


def test_occlusion_is_per_item_whatever_the_batch():
    texts = ["he shouted at me, then he left", "lovely team, nothing to add", "one clause only"]

    def score(owners, variants):
        return np.array([len(" ".join(v)) / 100 + ("shouted" in " ".join(v)) for v in variants])

    together = occlusion_evidence(texts, score)
    alone = [occlusion_evidence([t], score)[0] for t in texts]
    assert together == alone and together[2] == ["one clause only"]


def test_a_clause_is_taken_out_of_its_own_window_only():
    report = ("It was a normal Monday.", "Then he pushed me into the racking, and laughed.", "The audit went fine.")
    seen = []

    def score(owners, variants):
        seen.extend(variants)
        return np.array([1.0 if "pushed me" in " ".join(v) else 0.0 for v in variants])

    (evidence,) = occlusion_evidence([report], score, full=[1.0])
    assert evidence == ["Then he pushed me into the racking"]
    # every variant changes one window (or drops a window that was one clause); the rest are as they were
    for variant in seen:
        if len(variant) == 3:
            assert sum(a != b for a, b in zip(variant, report, strict=True)) == 1
        else:
            assert variant in [report[:w] + report[w + 1 :] for w in range(3)]
    assert ("It was a normal Monday.", "Then he pushed me into the racking, and laughed.") in seen


def test_spans():
    text = "first part, second part\nthird"
    assert [text[a:b] for a, b in spans(text)] == ["first part", "second part", "third"]


def _tokens(text: str, weights: dict[str, float]) -> list[tuple[int, int, float]]:
    """(start, end, value) per word, valued by `weights` (0 for other words): a stand-in attribution."""
    import re

    return [(m.start(), m.end(), weights.get(m.group(0), 0.0)) for m in re.finditer(r"\w+", text)]


def test_attribution_picks_the_clause_whose_words_drove_the_decision():
    text = "The canteen is fine, he called me a useless idiot in front of everyone, and parking is a mess."
    tokens = _tokens(text, {"idiot": 0.6, "useless": 0.2, "canteen": 0.05, "everyone": -0.3})
    evidence = attributed_evidence((text,), [tokens])
    # the clause with the insult first; a word pulling against the decision does not cancel it
    assert evidence[0] == "he called me a useless idiot in front of everyone"
    assert evidence[1:] == ["The canteen is fine"]


def test_measured_drops_add_to_the_attribution():
    text = "The canteen is fine, he called me a useless idiot, and parking is a mess."
    tokens = _tokens(text, {"idiot": 0.3})
    # drops in the order of without_each: a TF-IDF part that finds the parking clause far worse
    assert without_each((text,))[2] == ("The canteen is fine, he called me a useless idiot,",)
    assert attributed_evidence((text,), [tokens], [0.0, 0.0, 0.5])[0] == "and parking is a mess."
    assert attributed_evidence(("one clause only",), [[(0, 3, 1.0)]]) == ["one clause only"]
