"""Smoke runs of the declared steps: build (check), train (--smoke), evaluate (--smoke)."""

import json

import pytest

from service.pipeline.classification import Classifier
from training import build_corpus, train
from training.corpus import problems

pytestmark = pytest.mark.slow


def test_corpus_is_valid():
    assert build_corpus.main(["--check"]) == 0


def test_contract_checker_catches_inconsistent_labels():
    ok = {
        "id": "x",
        "source": "survey",
        "text": "t",
        "themes": ["intimidation"],
        "severity": "high",
        "urgent_reasons": [],
    }
    assert problems(ok) == []
    assert problems(ok | {"severity": "moderate"})  # intimidation needs high
    assert problems(ok | {"themes": []})  # moderate and high need a theme
    assert problems(ok | {"severity": "none"})  # none has no themes
    assert problems(ok | {"themes": [], "severity": "low"}) == []  # mild incivility no theme fits
    assert problems(ok | {"severity": "critical"})  # critical needs reasons
    assert problems(ok | {"urgent_reasons": ["violence"]})  # reasons only at critical
    assert problems(ok | {"themes": ["physical_violence"]})  # physical violence is critical
    # critical may stand without a theme: its reasons say what it is (suicidal thoughts after a bereavement)
    assert problems(ok | {"themes": [], "severity": "critical", "urgent_reasons": ["self_harm"]}) == []


def test_train_and_evaluate_smoke(tmp_path):
    assert train.main(["--smoke", "--out", str(tmp_path)]) == 0
    for name in ("upstander-baseline", "upstander-clf"):
        model = Classifier(tmp_path / name)
        (pred,) = model.predict(["<PERSON_1> screamed at me in front of everyone"])
        assert set(pred.scores) and 0 <= pred.critical_score <= 1
    from eval.classifier import evaluate

    out = tmp_path / "metrics.json"
    assert evaluate.main(["--smoke", "--models", str(tmp_path), "--out", str(out)]) == 0
    report = json.loads(out.read_text())
    assert set(report["splits"]) == {"test", "realistic"}
    for split in report["splits"].values():
        assert set(split["models"]) == {"upstander-baseline", "upstander-clf"}
        assert 0 <= split["models"]["upstander-clf"]["themes"]["macro_f1"] <= 1
