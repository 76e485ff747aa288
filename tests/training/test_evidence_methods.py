"""`python -m eval.classifier.evidence_methods`: both evidence methods scored against marked
rationales, on the real model, with the same decisions."""

from __future__ import annotations

import pytest

from eval.classifier.evidence_methods import compare
from service.pipeline.classification import EVIDENCE_METHODS

pytestmark = pytest.mark.slow

RECORDS = [
    {
        "id": "t-ev-1",
        "text": "The rota was posted late again. My shift lead screamed that I was a useless idiot in front of "
        "the whole canteen, and then he laughed about it with his mates.",
        "severity": "moderate",
    },
    {
        "id": "t-ev-2",
        "text": "Parking is a pain on Mondays. Last week a driver from goods in grabbed my wrist and pushed me "
        "against the racking when I asked him to move his van.",
        "severity": "critical",
    },
]
RATIONALES = {
    "t-ev-1": ["screamed that I was a useless idiot in front of the whole canteen"],
    "t-ev-2": ["grabbed my wrist and pushed me against the racking"],
}


def test_both_methods_find_the_marked_clause(pipeline):
    report = compare(pipeline.classifier, RECORDS, RATIONALES)
    assert set(report) == set(EVIDENCE_METHODS)
    for method in EVIDENCE_METHODS:
        assert report[method]["items"] == 2
        assert report[method]["token_f1"] > 0.3  # each finds (most of) the marked clause
        assert report[method]["by_severity"]["critical"] > 0 and report[method]["by_severity"]["low"] is None
        assert report[method]["seconds"] >= 0
