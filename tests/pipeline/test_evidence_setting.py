"""The evidence modes (UPSTANDER_EVIDENCE, `--evidence`): every decision must stay exactly what the
default (gradient) run decides. `phrases` leaves the matched danger phrases only; `occlusion` finds
the clauses by taking each out, and its leading clause must be among the gradient run's evidence."""

from __future__ import annotations

import pytest

from service.pipeline.rows import InputRow
from service.pipeline.runner import Pipeline
from service.pipeline.urgent import danger_signals

TEXTS = [
    "The canteen has run out of vegetarian options three days running, please sort the order.",
    "My supervisor screams at me in front of the whole line every morning, calls me thick and slow.",
    "He said if I report him again he'll be waiting by my car after the late shift, and he had a knife.",
    "Since March the team lead has left me off every meeting invite and the rota chat, and now I dread coming in.",
    "Honestly, shoot me an email when the new rota is out.",
]

# What every evidence mode must leave exactly as the default run decides it.
DECISION = ("redacted_text", "themes", "scores", "severity", "urgent", "urgent_reasons", "model_version")

pytestmark = pytest.mark.slow


def _rows() -> list[InputRow]:
    return [InputRow(line=i + 2, id=f"e{i}", text=t, consent=True) for i, t in enumerate(TEXTS)]


def test_phrases_only_keeps_every_decision_and_drops_occlusion(pipeline):
    fast = Pipeline(pipeline.redactor, pipeline.classifier, explain=False)
    full = [o.record for o in pipeline.process(_rows())]
    quick = [o.record for o in fast.process(_rows())]
    assert [{k: r[k] for k in DECISION} for r in quick] == [{k: r[k] for k in DECISION} for r in full]
    assert any(r["themes"] for r in full) and any(r["urgent"] for r in full)
    for record in quick:
        phrases = [p for found in danger_signals(record["redacted_text"]).values() for p in found]
        assert all(e in phrases for e in record["evidence"])
    flagged = [(f, q) for f, q in zip(full, quick, strict=True) if f["themes"] and not f["urgent"]]
    assert flagged and all(f["evidence"] and not q["evidence"] for f, q in flagged)


def test_gradient_evidence_keeps_every_decision_and_finds_what_occlusion_finds(pipeline):
    assert pipeline.explain == "gradient"
    slow = Pipeline(pipeline.redactor, pipeline.classifier, explain="occlusion")
    gradient = [o.record for o in pipeline.process(_rows())]
    occlusion = [o.record for o in slow.process(_rows())]
    assert [{k: r[k] for k in DECISION} for r in gradient] == [{k: r[k] for k in DECISION} for r in occlusion]
    flagged = [(g, o) for g, o in zip(gradient, occlusion, strict=True) if g["themes"]]
    assert len(flagged) >= 3
    for g, o in flagged:
        assert g["evidence"] and all(e in g["redacted_text"] for e in g["evidence"])
        assert o["evidence"][0] in g["evidence"]


def test_the_setting_reaches_the_pipeline(monkeypatch):
    from service.components import get_pipeline
    from service.settings import Settings

    monkeypatch.setenv("UPSTANDER_EVIDENCE", "phrases")
    assert get_pipeline(Settings(environment="test")).explain is False
    assert get_pipeline(Settings(environment="test", evidence="occlusion")).explain == "occlusion"
    monkeypatch.delenv("UPSTANDER_EVIDENCE")
    assert get_pipeline(Settings(environment="test")).explain == "gradient"


def test_an_unknown_evidence_method_is_refused(pipeline):
    with pytest.raises(ValueError, match="unknown evidence method"):
        pipeline.classifier.predict([TEXTS[1]], explain="everything")


@pytest.mark.parametrize("method", ["gradient", "occlusion"])
def test_a_chunk_with_nothing_flagged_is_analysed_not_sent_to_review(pipeline, method):
    """A chunk of clean items only (a single calm item through the API) has nothing to explain."""
    quiet = Pipeline(pipeline.redactor, pipeline.classifier, explain=method)
    rows = [
        InputRow(line=2, id="c0", text=TEXTS[0], consent=True),
        InputRow(line=3, id="c1", text=TEXTS[4], consent=True),
    ]
    outcomes = quiet.process(rows)
    assert [o.status for o in outcomes] == ["done", "done"]
    assert all(not o.record["themes"] and not o.record["evidence"] for o in outcomes)
