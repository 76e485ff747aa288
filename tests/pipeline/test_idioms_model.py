"""The shipped classifier reads a friendly idiom as what it means: "hit me up" or "shoot me an
email" cannot make an item urgent through the model's critical score, while a real threat that
happens to share a sentence with an idiom still reads as dangerous."""

import pytest

from service.pipeline.urgent import finalize, literal


def test_literal_says_idioms_plainly_and_leaves_other_text_alone():
    assert literal("hit me up if you need cover") == "get in touch if you need cover"
    assert literal("the rota is killing me") == "the rota is exhausting"
    assert literal("he hit me in the car park") is None


@pytest.mark.parametrize(
    "text",
    [
        "Hit me up if you want to swap shifts",
        "Shoot me an email with the rota when it's out",
        "This commute is killing me but the team is lovely",
    ],
)
def test_friendly_idioms_are_not_urgent(pipeline, text):
    classifier = pipeline.classifier
    [pred] = classifier.predict([text], explain=False)
    assert not finalize(text, pred, classifier.urgent_policy).urgent


def test_a_threat_beside_an_idiom_still_reads_as_critical(pipeline):
    classifier = pipeline.classifier
    text = "Shoot me a text when you're done, and if you report me again I will stab you in the car park."
    _, cum, _ = classifier.raw_scores([text])
    _, cum_plain, _ = classifier.raw_scores([literal(text)])
    assert cum[0, -1] == pytest.approx(min(cum[0, -1], cum_plain[0, -1]))
    [pred] = classifier.predict([text], explain=False)
    assert finalize(text, pred, classifier.urgent_policy).urgent
