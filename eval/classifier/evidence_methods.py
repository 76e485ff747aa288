"""Compare the evidence methods of the shipped model against the second reader's marked rationales.

The default method was chosen this way on validation (README, Evidence): every item of a split
that has a marked rationale is classified once per method, and the final evidence (matched danger
phrases first, as `finalize` merges them) is scored by token F1, overall and per true severity,
with the seconds each run took. Decisions are the same for every method; only evidence differs.

    python -m eval.classifier.evidence_methods               # validation (where it was chosen)
    python -m eval.classifier.evidence_methods --split test  # report only: never choose on test
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from eval.classifier.evaluate import evidence_f1
from service.labels import SEVERITIES
from service.pipeline.classification import EVIDENCE_METHODS, Classifier
from service.pipeline.urgent import finalize
from service.settings import REPO_ROOT
from training.corpus import DATA, load_split, read_jsonl
from training.features import redact_all


def compare(model: Classifier, records: list[dict], rationales: dict[str, list[str]]) -> dict:
    texts = redact_all([r["text"] for r in records])
    gold = [rationales[r["id"]] for r in records]
    report = {}
    for method in EVIDENCE_METHODS:
        started = time.perf_counter()
        preds = model.predict(texts, explain=method)
        seconds = time.perf_counter() - started
        found = [finalize(t, p, model.urgent_policy).evidence for t, p in zip(texts, preds, strict=True)]
        by_severity = {}
        for level in SEVERITIES[1:]:
            rows = [i for i, r in enumerate(records) if r["severity"] == level]
            subset = [[xs[i] for i in rows] for xs in (texts, found, gold)]
            by_severity[level] = evidence_f1(*subset)["token_f1"]
        report[method] = evidence_f1(texts, found, gold) | {"seconds": round(seconds, 1), "by_severity": by_severity}
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="validation", choices=("validation", "test", "realistic"))
    parser.add_argument("--model", type=Path, default=REPO_ROOT / "models" / "upstander-clf")
    args = parser.parse_args(argv)
    rationales = {r["id"]: r["evidence"] for r in read_jsonl(DATA / "rationales.jsonl")}
    records = [r for r in load_split(args.split) if r["id"] in rationales]
    report = compare(Classifier(args.model), records, rationales)
    print(json.dumps({"split": args.split, "items": len(records), "methods": report}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
