"""Self-contained HTML fairness report (plots inlined as PNG) from a fairness JSON report."""

from __future__ import annotations

import base64
import html
import io
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return "<img src='data:image/png;base64," + base64.b64encode(buf.getvalue()).decode() + "'>"


def _bar(title: str, values: dict[str, float | None], ref: float | None = None, xlabel: str = "") -> str:
    items = [(k, v) for k, v in values.items() if v is not None]
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(items) + 1.2))
    ax.barh([k for k, _ in items], [v for _, v in items], color="#4477aa")
    if ref is not None:
        ax.axvline(ref, color="#cc3311", linestyle="--", linewidth=1)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.invert_yaxis()
    return _png(fig)


def _group_section(name: str, entry: dict) -> str:
    groups = entry["any_mistreatment"]["groups"]
    parts = [f"<h3>{html.escape(name)}</h3>"]
    for metric in ("recall", "false_positive_rate", "precision", "flag_rate"):
        parts.append(_bar(f"{metric} by {name} (any mistreatment)", {g: v[metric] for g, v in groups.items()}))
    parts.append("<pre>" + html.escape(json.dumps(entry["any_mistreatment"], indent=1)) + "</pre>")
    return "".join(parts)


def render(report: dict, title: str = "Upstander fairness report") -> str:
    body = [f"<h1>{html.escape(title)}</h1>", f"<p>Model: {html.escape(str(report.get('model_version')))}</p>"]
    if "labelled" in report:
        body.append("<h2>Per-group metrics on labelled data</h2>")
        for col, entry in report["labelled"]["group_columns"].items():
            body.append(_group_section(col, entry))
    cf = report.get("counterfactual")
    if cf:
        fpr = cf["any_mistreatment_fpr"]
        body += [
            "<h2>Counterfactual identity set</h2>",
            _bar(
                "Any-mistreatment rate on benign sentences",
                fpr["by_category"],
                fpr["without_identity"],
                "dashed: sentences without identity terms",
            ),
            _bar("Identity-swap flip rate", cf["identity_swap_flip_rate"]["by_category"]),
            _bar("BPSN AUC per identity term", {k: v["bpsn_auc"] for k, v in cf["borkan"]["per_term"].items()}, 0.9),
            _bar("Name-swap flip rate", cf["names"]["flip_rate_by_group"]),
        ]
    for name, ext in (report.get("external") or {}).items():
        body += [
            f"<h2>{html.escape(name)}</h2>",
            _bar("BPSN AUC per group", {k: v["bpsn_auc"] for k, v in ext["per_group"].items()}, 0.9),
            _bar("BNSP AUC per group", {k: v["bnsp_auc"] for k, v in ext["per_group"].items()}, 0.9),
        ]
    body.append("<h2>Figures</h2><pre>" + html.escape(json.dumps(report, indent=1)[:200000]) + "</pre>")
    style = "body{font-family:sans-serif;max-width:1000px;margin:auto}pre{background:#f4f4f4;padding:8px;overflow:auto}"
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{style}</style></head><body>{''.join(body)}</body></html>"
    )
