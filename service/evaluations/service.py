"""Reading researchers' labelled data (the item contract plus `themes`, `severity` and group
columns) and running the fairness evaluation on it."""

from __future__ import annotations

import csv
import io
import json

import numpy as np

from service.errors import InputError
from service.evaluations.fairness import group_metrics
from service.labels import SEVERITIES, SEVERITY_RANK, THEMES
from service.pipeline.consent import ConsentValueError, parse_consent
from service.pipeline.urgent import finalize


def _themes(value) -> list[str]:
    if isinstance(value, list):
        return value
    text = str(value or "").strip()
    if text.startswith("["):
        return json.loads(text)
    return [t.strip() for t in text.replace(";", ",").split(",") if t.strip()]


def validate_labelled(rows: list[dict], group_cols: list[str], max_chars: int) -> list[dict]:
    """Keep consented, well-formed rows; raise InputError naming the first bad line otherwise."""
    if not rows:
        raise InputError("no labelled rows", code="empty_file")
    missing = [c for c in group_cols if not any(c in r for r in rows)]
    if missing:
        raise InputError(f"group column(s) not in the data: {', '.join(missing)}", code="missing_columns")
    out = []
    for line, row in enumerate(rows, start=1):
        try:
            if "consent" in row and not parse_consent(row["consent"]):
                continue
            themes = sorted(set(_themes(row.get("themes"))))
        except (ConsentValueError, json.JSONDecodeError) as exc:
            raise InputError(f"row {line}: {exc}", code="invalid_row") from None
        text, severity = row.get("text"), row.get("severity")
        if not isinstance(text, str) or not text.strip() or len(text) > max_chars:
            raise InputError(f"row {line}: text missing or longer than {max_chars}", code="invalid_row")
        if severity not in SEVERITIES or any(t not in THEMES for t in themes):
            raise InputError(f"row {line}: severity or themes not in the label contract", code="invalid_labels")
        out.append({"text": text, "themes": themes, "severity": severity} | {c: row.get(c) for c in group_cols})
    return out


def read_labelled(data: bytes, name: str) -> list[dict]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("file is not UTF-8", code="invalid_encoding") from None
    if name.lower().endswith(".csv"):
        return list(csv.DictReader(io.StringIO(text)))
    try:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON line: {exc.msg}", code="malformed_json") from None


def evaluate(rows: list[dict], group_cols: list[str], pipeline, n_boot: int = 200) -> dict:
    report = labelled(rows, group_cols, Scorer(pipeline), n_boot=n_boot)
    return {"model_version": pipeline.model_version, "labelled": report}


class Scorer:
    """Redact then classify, returning final labels and the any-mistreatment score."""

    def __init__(self, pipeline):
        self.redactor = pipeline.redactor
        self.model = pipeline.classifier

    def __call__(self, texts: list[str], batch: int = 256) -> list[dict]:
        out = []
        for i in range(0, len(texts), batch):
            chunk = [r.text for r in self.redactor.redact_many(texts[i : i + batch])]
            for text, pred in zip(chunk, self.model.predict(chunk, explain=False), strict=True):
                final = finalize(text, pred, self.model.urgent_policy)
                out.append(
                    {
                        "themes": final.themes,
                        "severity": final.severity,
                        "urgent": final.urgent,
                        "score": pred.mistreatment_score,
                        "theme_scores": pred.scores,
                    }
                )
        return out


def labelled(records: list[dict], group_cols: list[str], scorer: Scorer, n_boot: int = 200) -> dict:
    """Per-group metrics for "any mistreatment" and each theme, for each group column."""
    preds = scorer([r["text"] for r in records])
    y_any = np.array([SEVERITY_RANK[r["severity"]] > 0 for r in records], dtype=int)
    p_any = np.array([p["severity"] != "none" for p in preds], dtype=int)
    report: dict = {"items": len(records), "group_columns": {}}
    for col in group_cols:
        groups = np.array([str(r.get(col) if r.get(col) not in (None, "") else "(missing)") for r in records])
        entry = {"any_mistreatment": group_metrics(y_any, p_any, groups, n_boot)}
        for theme in THEMES:
            y = np.array([theme in r["themes"] for r in records], dtype=int)
            if y.sum() >= 5:
                p = np.array([theme in q["themes"] for q in preds], dtype=int)
                entry[theme] = group_metrics(y, p, groups, n_boot=0)
        report["group_columns"][col] = entry
    return report
