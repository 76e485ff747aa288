"""`repair`: the nearest labels that obey the label contract, table-driven."""

from __future__ import annotations

import pytest

from training.readings import repair


def labels(severity: str, themes: list[str], reasons: list[str]) -> dict:
    return {"severity": severity, "themes": themes, "urgent_reasons": reasons}


@pytest.mark.parametrize(
    ("reading", "expected"),
    [
        # A critical reading with no theme stays so (suicidal thoughts after a bereavement: urgent, no
        # mistreatment to name); no theme is guessed from the reason.
        (labels("critical", [], ["self_harm"]), labels("critical", [], ["self_harm"])),
        # A theme already given is kept as it is.
        (labels("critical", ["verbal_abuse"], ["self_harm"]), labels("critical", ["verbal_abuse"], ["self_harm"])),
        # Floors: discrimination is at least high; a reason makes the item critical.
        (labels("low", ["discrimination"], []), labels("high", ["discrimination"], [])),
        (labels("high", ["intimidation"], ["violence"]), labels("critical", ["intimidation"], ["violence"])),
        # No honest repair: themes on a clean item, critical without a reason, an unknown severity.
        (labels("none", ["exclusion"], []), None),
        (labels("critical", ["intimidation"], []), None),
        (labels("severe", [], []), None),
    ],
)
def test_repair(reading, expected):
    assert repair(reading) == expected
