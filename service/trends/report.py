"""Self-contained HTML trends report: a chart per unit with a panel per theme, inlined as PNG.

Built from a trends answer (and optionally an alerts answer), so it holds exactly the visible
cells: suppressed cells read "suppressed" and carry no number. No item text exists here.
"""

from __future__ import annotations

import base64
import html

from service.trends.charts import png_bytes, themes_with_data, unit_figure

MAX_UNITS = 60
STYLE = (
    "body{font-family:sans-serif;max-width:1100px;margin:auto;color:#222}table{border-collapse:collapse;"
    "font-size:12px;margin:6px 0 18px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
    "th:first-child,td:first-child{text-align:left}.sup{color:#999}.note{font-size:12px;color:#555}"
)


def _esc(value: object) -> str:
    return html.escape(str(value))


def _table(unit: dict, periods: list[str], themes: list[str]) -> str:
    head = "".join(f"<th>{_esc(p)}</th>" for p in periods)
    rows = [
        "<tr><td>respondents</td>"
        + "".join(
            f"<td>{c['respondents']['count']}</td>"
            if "count" in c["respondents"]
            else "<td class='sup'>suppressed</td>"
            for c in unit["cells"]
        )
        + "</tr>"
    ]
    for theme in themes:
        cells = []
        for c in unit["cells"]:
            value = c["themes"].get(theme, {"suppressed": True})
            if "count" not in value:
                cells.append("<td class='sup'>suppressed</td>")
            elif value["rate"] is None:
                cells.append("<td>0</td>")
            else:
                cells.append(f"<td>{value['count']} ({value['rate']:.0%})</td>")
        rows.append(f"<tr><td>{_esc(theme)}</td>{''.join(cells)}</tr>")
    return f"<table><tr><th>{_esc(unit['unit'])}</th>{head}</tr>{''.join(rows)}</table>"


def _alerts(alerts: dict) -> str:
    parts = [
        f"<h2>Early warning ({_esc(alerts['period'])})</h2>",
        f"<p class='note'>{_esc(alerts['method'])}. {_esc(alerts['false_alarm_rate'])}. {alerts['tests']} tests.</p>",
    ]
    if alerts["alerts"]:
        rows = "".join(
            f"<tr><td>{_esc(a['unit'])}</td><td>{_esc(a['theme'])}</td><td>{a['count']}/{a['respondents']}"
            f"</td><td>{a['rate']:.0%}</td><td>{a['baseline_rate']:.0%}</td><td>{a['q_value']:.3g}</td></tr>"
            for a in alerts["alerts"]
        )
        parts.append(
            "<table><tr><th>unit</th><th>theme</th><th>count</th><th>rate</th><th>baseline</th>"
            f"<th>q</th></tr>{rows}</table>"
        )
    else:
        parts.append("<p>No unit's theme rate rose beyond its own history.</p>")
    spots = alerts.get("hotspots", {}).get("units", [])
    if spots:
        rows = "".join(f"<tr><td>{_esc(h['unit'])}</td><td>{h['items']}</td></tr>" for h in spots)
        parts.append(
            "<h3>Hotspots</h3><p class='note'>Units where one person (never identified) is named in at "
            f"least {alerts['hotspots']['min_items']} items.</p><table><tr><th>unit</th>"
            f"<th>items naming the same person</th></tr>{rows}</table>"
        )
    return "".join(parts)


def render(answer: dict, alerts: dict | None = None, title: str = "Upstander theme trends") -> str:
    periods = answer["periods"]
    body = [
        f"<h1>{_esc(title)}</h1>",
        f"<p class='note'>Granularity: {_esc(answer['granularity'])}. Thresholds: "
        f"{answer['thresholds']['min_group_size']} respondents for counts, "
        f"{answer['thresholds']['min_comment_group_size']} for themes and severity.</p>",
    ]
    body += [f"<p class='note'>{_esc(note)}</p>" for note in answer.get("notes", [])]
    if alerts is not None:
        body.append(_alerts(alerts))
    units = answer["units"][:MAX_UNITS]
    if len(answer["units"]) > MAX_UNITS:
        body.append(
            f"<p class='note'>Showing the first {MAX_UNITS} of {len(answer['units'])} units; "
            "narrow with --unit or --depth.</p>"
        )
    for unit in units:
        themes = themes_with_data(unit)
        image = base64.b64encode(png_bytes(unit_figure(unit, periods, themes or None))).decode()
        body.append(
            f"<h2>{_esc(unit['unit'])}</h2><img alt='trends of {_esc(unit['unit'])}' "
            f"src='data:image/png;base64,{image}'>"
        )
        body.append(_table(unit, periods, themes))
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{_esc(title)}</title><style>{STYLE}</style>"
        f"</head><body>{''.join(body)}</body></html>"
    )
