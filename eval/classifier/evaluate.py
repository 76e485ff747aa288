"""Step 3, evaluate: both shipped models side by side on the held-out test split.

Runs the production path (redaction → classifier → urgent rules) and writes
eval/classifier/metrics.json: per-theme precision/recall/F1, macro-F1, severity QWK and confusion
matrix, urgent recall/precision, false flags on clean items, calibration (ECE), and throughput.
Works on any labelled JSONL in the corpus format via --data.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from eval import metrics as M
from service.labels import SEVERITY_RANK, THEMES
from service.pipeline.classification import Classifier
from service.pipeline.runner import finalize
from service.settings import REPO_ROOT
from training.corpus import label_arrays, load_split, read_jsonl
from training.features import redact_all

OUT = Path(__file__).resolve().parent / "metrics.json"


def evaluate_model(model: Classifier, texts: list[str], records: list[dict]) -> dict:
    y_theme, y_sev, _ = label_arrays(records)
    started = time.perf_counter()
    preds = model.predict(texts)
    seconds = time.perf_counter() - started
    crit_t = float(model.manifest.get("critical_threshold", 0.5))
    finals = [finalize(t, p, crit_t) for t, p in zip(texts, preds, strict=True)]
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
            by_source[source] = {"items": int(mask.sum()),
                                 "macro_f1": M.theme_report(y_theme[mask], theme_pred[mask])["macro_f1"],
                                 "qwk": M.qwk(y_sev[mask], sev_pred[mask]),
                                 "urgent": M.urgent_report(y_sev[mask] == 4, urgent_pred[mask])}
    missed = [r["id"] for r, u, g in zip(records, urgent_pred, y_sev == 4, strict=True) if g and not u]
    return {
        "model_version": model.version,
        "themes": M.theme_report(y_theme, theme_pred),
        "severity": M.severity_report(y_sev, sev_pred),
        "urgent": M.urgent_report(y_sev == 4, urgent_pred) | {"missed_ids": missed},
        "clean": M.clean_report(clean, theme_pred.any(1), urgent_pred | (sev_pred >= 3)),
        "calibration": {"theme_ece_mean": round(float(np.mean([M.ece(y_theme[:, j], probs[:, j])
                                                               for j in range(len(THEMES))])), 4),
                        "theme_ece_pooled": M.ece(y_theme, probs), "critical_ece": M.ece(y_sev == 4, crit)},
        "by_source": by_source,
        "items_per_second": round(len(texts) / seconds, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, help="labelled JSONL (default: the test split)")
    parser.add_argument("--models", type=Path, default=REPO_ROOT / "models")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--smoke", action="store_true", help="first 60 items only")
    args = parser.parse_args(argv)
    records = read_jsonl(args.data) if args.data else load_split("test")
    if args.smoke:
        records = records[:60]
    texts = redact_all([r["text"] for r in records])
    report = {"data": str(args.data or "training/data/test.jsonl"), "items": len(records), "models": {}}
    for name in ("upstander-baseline", "upstander-clf"):
        report["models"][name] = evaluate_model(Classifier(args.models / name), texts, records)
    # Redaction must not cost accuracy: the main model on the same items, unredacted.
    raw = evaluate_model(Classifier(args.models / "upstander-clf"), [r["text"] for r in records], records)
    main = report["models"]["upstander-clf"]
    report["redaction_effect"] = {
        "macro_f1_redacted": main["themes"]["macro_f1"], "macro_f1_unredacted": raw["themes"]["macro_f1"],
        "qwk_redacted": main["severity"]["qwk"], "qwk_unredacted": raw["severity"]["qwk"],
        "urgent_recall_redacted": main["urgent"]["recall"], "urgent_recall_unredacted": raw["urgent"]["recall"]}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print("redaction effect:", json.dumps(report["redaction_effect"]))
    for name, m in report["models"].items():
        print(f"{name}: macro-F1 {m['themes']['macro_f1']}  QWK {m['severity']['qwk']}  urgent recall "
              f"{m['urgent']['recall']} precision {m['urgent']['precision']}  clean any {m['clean']['any_mistreatment_rate']}"
              f" flag {m['clean']['false_flag_rate']}  ECE {m['calibration']['theme_ece_mean']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
