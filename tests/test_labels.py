"""The label contract's consistency rules (`service.labels.label_problems`), table-driven."""

from __future__ import annotations

import pytest

from service.labels import label_problems


@pytest.mark.parametrize(
    ("themes", "severity", "reasons", "ok"),
    [
        ([], "none", [], True),
        (["exclusion"], "none", [], False),
        ([], "low", [], True),  # a mild incivility no theme clearly fits
        ([], "moderate", [], False),
        ([], "high", [], False),
        ([], "critical", ["self_harm"], True),  # urgent with no mistreatment to name
        ([], "critical", [], False),
        (["distress"], "critical", ["self_harm"], True),
        (["intimidation"], "high", ["violence"], False),  # reasons exactly at critical
        (["discrimination"], "moderate", [], False),  # below the theme's floor
        (["physical_violence"], "high", [], False),
    ],
)
def test_label_problems(themes, severity, reasons, ok):
    assert (label_problems(themes, severity, reasons) == []) is ok
