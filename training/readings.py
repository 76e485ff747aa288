"""The two readings of every corpus v2 item, their agreement, and the adjudicated final labels.

Reading A is the writer's (who knew what they meant to describe); reading B is the blind second
reader's (who saw only taxonomy.md and the text). Where they disagree:
- on the decisions that matter most (urgent or not, any mistreatment or none), a third reader
  adjudicates against the taxonomy (v2/adjudicated/), seeing both readings unattributed;
- on the rest (which themes, one step of severity), the blind reading wins: it is the reading of
  the taxonomy alone, and the taxonomy is the label contract.
Every decision that changed a label is logged. An item without a second reading, or with a major
disagreement nobody adjudicated, is left out of the corpus (and counted).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.metrics import cohen_kappa_score, f1_score

from service.labels import SEVERITIES, SEVERITY_FLOOR, SEVERITY_RANK, THEMES, URGENT_REASONS
from training.written_parts import V2, blind_name, complete_parts, parse_part, split_codes

ADJUDICATED = V2 / "adjudicated"
SECOND = V2 / "second"
# Second readings found not genuine are listed here; their items count as not second-read and stay
# out of the corpus until a reader labels them again. (Session 3's six fake readings, all `none`
# from a scratch script, were deleted in session 4 and the files read again by a new reader.)
NOT_GENUINE: set[str] = set()


def _labels(severity: str, themes: list[str], reasons: list[str]) -> dict:
    return {"severity": severity, "themes": themes, "urgent_reasons": reasons}


def read_tsv_labels(path: Path, evidence_field: bool) -> dict[str, dict]:
    out = {}
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) < 4 or not fields[0].strip():
            continue
        item_id, severity, themes, reasons = (f.strip() for f in fields[:4])
        rec = _labels(severity, split_codes(themes), split_codes(reasons))
        if evidence_field:
            extra = fields[4].strip() if len(fields) > 4 else "-"
            rec["evidence"] = [] if extra in ("", "-") else [e.strip() for e in extra.split("||") if e.strip()]
        else:
            rec["why"] = fields[4].strip() if len(fields) > 4 else ""
        out[item_id] = rec
    return out


def repair(labels: dict) -> dict | None:
    """The nearest labels that obey the contract, or None when there is no honest repair."""
    severity = labels["severity"] if labels["severity"] in SEVERITIES else None
    if severity is None:
        return None
    themes = sorted({t for t in labels["themes"] if t in THEMES})
    reasons = sorted({r for r in labels["urgent_reasons"] if r in URGENT_REASONS}, key=URGENT_REASONS.index)
    if severity == "none":
        return _labels("none", [], []) if not themes and not reasons else None
    if reasons:
        severity = "critical"
    for t in themes:
        floor = SEVERITY_FLOOR.get(t, "low")
        if SEVERITY_RANK[severity] < SEVERITY_RANK[floor]:
            severity = floor
    if severity == "critical" and not reasons:
        return None
    return _labels(severity, themes, reasons)


def is_major(a: dict, b: dict) -> bool:
    return (a["severity"] == "critical") != (b["severity"] == "critical") or (a["severity"] == "none") != (
        b["severity"] == "none"
    )


def load_readings() -> list[dict]:
    """Every written item with reading A, and reading B / adjudication where they exist."""
    items = []
    for part in complete_parts():
        name = blind_name(part)
        second = {} if name in NOT_GENUINE else read_tsv_labels(SECOND / f"{name}.tsv", evidence_field=True)
        adjudicated = read_tsv_labels(ADJUDICATED / f"{name}.tsv", evidence_field=False)
        for item in parse_part(part):
            item["blind_file"] = name
            item["reading_b"] = second.get(item["id"])
            item["adjudication"] = adjudicated.get(item["id"])
            items.append(item)
    return items


def final_records() -> tuple[list[dict], list[dict], Counter]:
    """(records with final labels, adjudication log, counts of items left out by cause)."""
    records, log, dropped = [], [], Counter()
    for item in load_readings():
        if "error" in item or item.get("source") not in ("survey", "report") or not item.get("text", "").strip():
            dropped["malformed"] += 1
            continue
        a = repair(_labels(item["severity"], item["themes"], item["urgent_reasons"]))
        b = item["reading_b"] and repair(item["reading_b"])
        if item["reading_b"] is None:
            dropped["not_second_read"] += 1
            continue
        if a is None and not b:
            dropped["no_valid_reading"] += 1
            continue
        if a is not None and b and a == b:
            final, how = a, None
        elif a is not None and b and not is_major(a, b):
            final, how = b, "minor: blind reading (taxonomy only) kept"
        elif item["adjudication"] is not None and (adj := repair(item["adjudication"])):
            final, how = adj, "adjudicated: " + item["adjudication"].get("why", "")[:300]
        else:
            dropped["unadjudicated_disagreement"] += 1
            continue
        if how:
            log.append({"id": item["id"], "writer": a, "blind_reader": b, "final": final, "decision": how})
        records.append(
            {
                "id": item["id"],
                "source": item["source"],
                "text": item["text"],
                **final,
                "voice": item.get("voice"),
                "part": item["part"],
                "line": item["line"],
                "reader_evidence": item["reading_b"].get("evidence", []),
            }
        )
    return records, log, dropped


def agreement() -> dict:
    """Agreement between the writer and the blind reader on items both labelled (before adjudication)."""
    pairs = [
        (repair(_labels(i["severity"], i["themes"], i["urgent_reasons"])), repair(i["reading_b"]))
        for i in load_readings()
        if "error" not in i and i["reading_b"]
    ]
    pairs = [(a, b) for a, b in pairs if a and b]
    if not pairs:
        return {"items": 0}
    ya = np.array([[t in a["themes"] for t in THEMES] for a, _ in pairs], dtype=int)
    yb = np.array([[t in b["themes"] for t in THEMES] for _, b in pairs], dtype=int)
    per_theme = {t: round(float(f1_score(ya[:, j], yb[:, j], zero_division=0)), 3) for j, t in enumerate(THEMES)}
    sa = [SEVERITY_RANK[a["severity"]] for a, _ in pairs]
    sb = [SEVERITY_RANK[b["severity"]] for _, b in pairs]
    ua = np.array([a["severity"] == "critical" for a, _ in pairs])
    ub = np.array([b["severity"] == "critical" for _, b in pairs])
    return {
        "items": len(pairs),
        "theme_f1_between_readers": per_theme,
        "theme_macro_f1_between_readers": round(float(np.mean(list(per_theme.values()))), 3),
        "severity_qwk": round(float(cohen_kappa_score(sa, sb, weights="quadratic")), 3),
        "severity_exact": round(float(np.mean(np.array(sa) == np.array(sb))), 3),
        "urgent": {
            "both": int((ua & ub).sum()),
            "writer_only": int((ua & ~ub).sum()),
            "reader_only": int((~ua & ub).sum()),
            "kappa": round(float(cohen_kappa_score(ua, ub)), 3),
        },
        "clean_vs_mistreatment_kappa": round(float(cohen_kappa_score(np.array(sa) == 0, np.array(sb) == 0)), 3),
        "major_disagreements": int(sum(is_major(a, b) for a, b in pairs)),
    }
