"""The label contract of ../shared/spec/taxonomy.md, as constants every stage imports."""

from __future__ import annotations

THEMES: tuple[str, ...] = (
    "verbal_abuse",
    "humiliation",
    "exclusion",
    "work_obstruction",
    "unfair_criticism",
    "gossip_rumours",
    "intimidation",
    "physical_violence",
    "sexual_harassment",
    "discrimination",
    "retaliation",
    "distress",
)
SEVERITIES: tuple[str, ...] = ("none", "low", "moderate", "high", "critical")
URGENT_REASONS: tuple[str, ...] = ("violence", "sexual_assault", "self_harm", "stalking")
SOURCES: tuple[str, ...] = ("survey", "report")

SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}

# Themes whose presence sets a floor on severity (training/ANNOTATION.md, rule 2).
SEVERITY_FLOOR = {
    "sexual_harassment": "high",
    "discrimination": "high",
    "retaliation": "high",
    "intimidation": "high",
    "distress": "high",
    "physical_violence": "critical",
}


def label_problems(themes: list[str], severity: str, urgent_reasons: list[str]) -> list[str]:
    """Every way a set of labels breaks the taxonomy's consistency rules (empty when they obey it).

    No themes at severity none; moderate and high need a theme (low may stand alone: a mild
    incivility no theme clearly fits; so may critical, whose urgent reasons say what it is: a colleague
    with suicidal thoughts after a bereavement is urgent with no mistreatment to name); urgent reasons
    exactly at critical; each theme's floor.
    """
    out = []
    if themes and severity == "none":
        out.append("severity none goes with no themes")
    if not themes and severity in ("moderate", "high"):
        out.append("moderate and high need a theme")
    if bool(urgent_reasons) != (severity == "critical"):
        out.append("urgent reasons are required exactly when severity is critical")
    for theme in themes:
        floor = SEVERITY_FLOOR.get(theme)
        if floor and SEVERITY_RANK[severity] < SEVERITY_RANK[floor]:
            out.append(f"{theme} needs severity {floor} or above")
    return out


def max_severity(*levels: str) -> str:
    return max(levels, key=SEVERITY_RANK.__getitem__)


def theme_mask(themes: list[str] | tuple[str, ...]) -> int:
    """Themes as a bit set (bit i for THEMES[i]) so SQL can count them with `mask & bit`."""
    return sum(1 << THEMES.index(theme) for theme in set(themes) if theme in THEMES)
