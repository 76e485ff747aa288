"""Step 3, evaluate: both shipped models on the balanced test split and the realistic-mix split.

Runs the production path (redaction → classifier → urgent rules) and writes
eval/classifier/metrics.json: per split and model, per-theme precision/recall/F1, macro-F1,
severity QWK with its confusion matrix, urgent recall/precision, false urgent per 1,000 clean
comments, clean items flagged, calibration (ECE), evidence against the second reader's marked
rationales (token-level F1), and throughput. Any labelled JSONL in the corpus format works via --data.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

import numpy as np

from service.labels import SEVERITY_RANK, THEMES
from service.pipeline.classification import Classifier
from service.pipeline.urgent import finalize
from service.settings import REPO_ROOT
from training import metrics as M
from training.corpus import DATA, label_arrays, load_split, read_jsonl
from training.features import redact_all

OUT = Path(__file__).resolve().parent / "metrics.json"
_TOKEN = re.compile(r"<[A-Z_]+_\d+>|\w+")


def _token_spans(text: str, phrases: list[str]) -> set[int]:
    """Token positions of `text` covered by any of the phrases (case-insensitive exact matches)."""
    covered: set[int] = set()
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    for phrase in phrases:
        start = text.lower().find(phrase.lower().strip())
        if start < 0 or not phrase.strip():
            continue
        end = start + len(phrase.strip())
        covered |= {k for k, (a, b) in enumerate(tokens) if a >= start and b <= end}
    return covered


def evidence_f1(texts: list[str], predicted: list[list[str]], rationales: list[list[str] | None]) -> dict:
    """Mean token-level F1 between predicted evidence and the marked rationale, per item that has one."""
    scores = []
    for text, pred, gold in zip(texts, predicted, rationales, strict=True):
        if not gold:
            continue
        g, p = _token_spans(text, gold), _token_spans(text, pred)
        if not g:
            continue
        tp = len(g & p)
        scores.append(0.0 if tp == 0 else 2 * tp / (len(g) + len(p)))
    return {"items": len(scores), "token_f1": round(float(np.mean(scores)), 4) if scores else None}


def evaluate_model(model: Classifier, texts: list[str], records: list[dict], rationales=None) -> dict:
    y_theme, y_sev, _ = label_arrays(records)
    started = time.perf_counter()
    preds = model.predict(texts)
    seconds = time.perf_counter() - started
    finals = [finalize(t, p, model.urgent_policy) for t, p in zip(texts, preds, strict=True)]
    theme_pred = np.array([[t in f.themes for t in THEMES] for f in finals], dtype=int)
    sev_pred = np.array([SEVERITY_RANK[f.severity] for f in finals])
    urgent_pred = np.array([f.urgent for f in finals])
    probs = np.array([[p.scores[t] for t in THEMES] for p in preds])
    crit = np.array([p.critical_score for p in preds])
    clean = y_sev == 0
    by_source = {}
    for source in ("survey", "report"):
        mask = np.array([r["source"] == source for r in records])
        if mask.any():
            by_source[source] = {
                "items": int(mask.sum()),
                "macro_f1": M.theme_report(y_theme[mask], theme_pred[mask])["macro_f1"],
                "qwk": M.qwk(y_sev[mask], sev_pred[mask]),
                "urgent": M.urgent_report(y_sev[mask] == 4, urgent_pred[mask]),
            }
    missed = [r["id"] for r, u, g in zip(records, urgent_pred, y_sev == 4, strict=True) if g and not u]
    report = {
        "model_version": model.version,
        "themes": M.theme_report(y_theme, theme_pred),
        "severity": M.severity_report(y_sev, sev_pred),
        "urgent": M.urgent_report(y_sev == 4, urgent_pred)
        | {
            "missed_ids": missed,
            "false_urgent_per_1000_clean": round(1000 * float(urgent_pred[clean].mean()), 2) if clean.any() else None,
        },
        "clean": M.clean_report(clean, theme_pred.any(1), urgent_pred | (sev_pred >= 3))
        | {"clean_items_flagged": round(float((sev_pred[clean] > 0).mean()), 4) if clean.any() else None},
        "mistreatment_found": round(float((sev_pred[~clean] > 0).mean()), 4) if (~clean).any() else None,
        "calibration": {
            "theme_ece_mean": round(float(np.mean([M.ece(y_theme[:, j], probs[:, j]) for j in range(len(THEMES))])), 4),
            "theme_ece_pooled": M.ece(y_theme, probs),
            "critical_ece": M.ece(y_sev == 4, crit),
        },
        "by_source": by_source,
        "items_per_second": round(len(texts) / seconds, 1),
    }
    if rationales is not None:
        report["evidence"] = evidence_f1(texts, [f.evidence for f in finals], rationales)
    return report


def evaluate_split(name: str, records: list[dict], models: Path, rationales: dict[str, list[str]]) -> dict:
    texts = redact_all([r["text"] for r in records])
    gold = [rationales.get(r["id"]) for r in records]
    # Rationales were marked on the text before redaction; keep those that survive it verbatim.
    out = {"items": len(records), "models": {}}
    for model_name in ("upstander-baseline", "upstander-clf"):
        out["models"][model_name] = evaluate_model(Classifier(models / model_name), texts, records, gold)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, help="labelled JSONL (default: the test and realistic splits)")
    parser.add_argument("--models", type=Path, default=REPO_ROOT / "models")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--smoke", action="store_true", help="first 60 items of each split only")
    args = parser.parse_args(argv)
    splits = (
        {"custom": read_jsonl(args.data)}
        if args.data
        else {"test": load_split("test"), "realistic": load_split("realistic")}
    )
    rationale_file = DATA / "rationales.jsonl"
    rationales = {r["id"]: r["evidence"] for r in read_jsonl(rationale_file)} if rationale_file.exists() else {}
    report: dict = {"splits": {}}
    for name, records in splits.items():
        records = records[:60] if args.smoke else records
        report["splits"][name] = evaluate_split(name, records, args.models, rationales)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    for split, entry in report["splits"].items():
        for name, m in entry["models"].items():
            print(
                f"{split:9} {name:19} macro-F1 {m['themes']['macro_f1']}  QWK {m['severity']['qwk']}  urgent R "
                f"{m['urgent']['recall']} P {m['urgent']['precision']}  false urgent/1000 clean "
                f"{m['urgent']['false_urgent_per_1000_clean']}  clean flagged {m['clean']['clean_items_flagged']}"
                f"  evidence F1 {m.get('evidence', {}).get('token_f1')}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
