"""Charts of a trends answer (matplotlib, no display): the API returns data, the CLI draws it.

Only what the answer shows is drawn: suppressed cells are gaps marked "suppressed", never a
number, so a chart can be shared wherever the answer could.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

COLOURS = (
    "#4477aa",
    "#ee6677",
    "#228833",
    "#ccbb44",
    "#66ccee",
    "#aa3377",
    "#bbbbbb",
    "#000000",
    "#ee7733",
    "#0077bb",
    "#33bbee",
    "#009988",
)


def themes_with_data(unit: dict) -> list[str]:
    """Themes with at least one visible non-zero count for this unit (others would be flat lines)."""
    names: list[str] = []
    for cell in unit["cells"]:
        for theme, value in cell["themes"].items():
            if value.get("count") and theme not in names:
                names.append(theme)
    return names


def _series(unit: dict, theme: str) -> tuple[list[float | None], list[float], list[float]]:
    rates, lows, highs = [], [], []
    for cell in unit["cells"]:
        value = cell["themes"].get(theme, {"suppressed": True})
        rate = value.get("rate")
        rates.append(rate)
        lows.append(0.0 if rate is None else rate - value["ci_low"])
        highs.append(0.0 if rate is None else value["ci_high"] - rate)
    return rates, lows, highs


def _respondents_panel(ax, unit: dict, periods: Sequence[str]) -> None:
    xs = range(len(periods))
    counts = [cell["respondents"].get("count") for cell in unit["cells"]]
    ax.bar(
        [x for x, c in zip(xs, counts, strict=True) if c is not None],
        [c for c in counts if c is not None],
        color="#bbbbbb",
    )
    hidden = [x for x, c in zip(xs, counts, strict=True) if c is None]
    if hidden:
        ax.scatter(hidden, [0] * len(hidden), marker="x", color="#cc3311", label="suppressed", zorder=3)
        ax.legend(loc="upper left", fontsize=7)
    ax.set_ylabel("respondents")
    ax.set_title(unit["unit"], fontsize=10, loc="left")


def _theme_panel(ax, unit: dict, periods: Sequence[str], theme: str, colour: str) -> None:
    rates, lows, highs = _series(unit, theme)
    xs = [i for i, r in enumerate(rates) if r is not None]
    ys = [r for r in rates if r is not None]
    ax.errorbar(
        xs,
        ys,
        yerr=[[lows[i] for i in xs], [highs[i] for i in xs]],
        color=colour,
        marker="o",
        markersize=3,
        linewidth=1.2,
        capsize=2,
        label=theme,
    )
    hidden = [i for i, r in enumerate(rates) if r is None and "suppressed" in unit["cells"][i]["themes"].get(theme, {})]
    if hidden:
        ax.scatter(hidden, [0] * len(hidden), marker="x", color="#cc3311", zorder=3)
    ax.set_ylim(bottom=0)
    ax.set_title(theme.replace("_", " "), fontsize=9, loc="left")


def unit_figure(unit: dict, periods: Sequence[str], themes: Sequence[str] | None = None) -> Figure:
    """Respondents per period, then one panel per theme: rate with its Wilson 95% interval."""
    shown = list(themes) if themes is not None else themes_with_data(unit) or list(unit["cells"][0]["themes"])[:1]
    rows = 1 + (len(shown) + 1) // 2
    fig, axes = plt.subplots(rows, 2, figsize=(10, 2.2 * rows), squeeze=False, sharex=True)
    _respondents_panel(axes[0][0], unit, periods)
    axes[0][1].axis("off")
    axes[0][1].text(0, 0.5, "x = suppressed (too few respondents)\nbars = 95% Wilson interval", fontsize=8)
    for i, theme in enumerate(shown):
        _theme_panel(axes[1 + i // 2][i % 2], unit, periods, theme, COLOURS[i % len(COLOURS)])
    if len(shown) % 2:
        axes[-1][1].axis("off")
    for ax in axes[-1]:
        ax.set_xticks(range(len(periods)))
        ax.set_xticklabels(periods, rotation=45, ha="right", fontsize=7)
    fig.tight_layout()
    return fig


def png_bytes(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def save_chart(answer: dict, path: Path, themes: Sequence[str] | None = None) -> None:
    """The first unit of a trends answer (the unit asked for, or the top of the scope) as a PNG."""
    if not answer["units"] or not answer["periods"]:
        raise ValueError("nothing to draw: the answer has no unit or no period")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png_bytes(unit_figure(answer["units"][0], answer["periods"], themes)))
