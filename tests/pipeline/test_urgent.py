"""The urgent safety net: explicit danger signals fire, everyday idioms do not."""

import pytest

from service.pipeline.urgent import danger_signals, decide_urgent


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("honestly I don't see the point of carrying on anymore", "self_harm"),
        ("they'd all be better off without me", "self_harm"),
        ("I've started hurting myself again since he arrived", "self_harm"),
        ("<PERSON_1> shoved me against the lockers", "violence"),
        ("he threw a stapler at me across the office", "violence"),
        ("he said he knows where I park and accidents happen", "violence"),
        ("she pulled a box cutter and waved it at him", "violence"),
        ("he groped me in the lift", "sexual_assault"),
        ("put his hand on my thigh under the table", "sexual_assault"),
        ("he followed me home after my shift twice", "stalking"),
        ("he keeps waiting outside my house in his car", "stalking"),
    ],
)
def test_danger_signals_fire(text, reason):
    assert reason in danger_signals(text)


@pytest.mark.parametrize(
    "text",
    [
        "this deadline is killing me lol",
        "I could murder a coffee right now",
        "I want to die of embarrassment, I sent it to the wrong list",
        "my manager pushed me to apply for the promotion",
        "we smashed our targets this quarter",
        "the chef's knife skills course was brilliant",
        "kill me now, another all-hands",
    ],
)
def test_idioms_do_not_fire(text):
    assert danger_signals(text) == {}


def test_model_score_alone_can_make_an_item_urgent():
    scores = {"violence": 0.1, "sexual_assault": 0.1, "self_harm": 0.7, "stalking": 0.1}
    decision = decide_urgent("a quiet comment", critical_score=0.6, reason_scores=scores, themes=[],
                             critical_threshold=0.3)
    assert decision.urgent and decision.reasons == ["self_harm"]


def test_nothing_urgent_below_threshold_without_signals():
    scores = dict.fromkeys(["violence", "sexual_assault", "self_harm", "stalking"], 0.9)
    assert not decide_urgent("a quiet comment", critical_score=0.1, reason_scores=scores, themes=["exclusion"],
                             critical_threshold=0.3).urgent
