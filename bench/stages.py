"""CPU cost of each stage per text, on one thread, and the throughput ceiling it implies.

The pipeline bench (bench/pipeline.py) times whole runs; this one says where a run's CPU goes, so
the issue's bars can be checked against what two cores can do at all:

  naive       Presidio's default AnalyzerEngine + AnonymizerEngine, one text at a time
  redaction   our Redactor (batched nlp.pipe, workplace recognizers)
  classify    the shipped model without evidence (encoder + heads + TF-IDF + decisions)
  evidence    what `--evidence gradient` (the default) adds, per flagged item

Everything runs in this process on one torch thread (process CPU time, not wall time), on the
same texts as bench/pipeline.py. The ceiling assumes perfect use of every core and no start-up.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from bench.pipeline import bench_texts  # noqa: E402
from service.components import quiet_libraries  # noqa: E402
from service.settings import REPO_ROOT  # noqa: E402


def cpu_ms_per_text(fn, texts: list[str]) -> float:
    fn(texts[:16])  # warm-up: lazy loads and first-call allocations
    started = time.process_time()
    fn(texts)
    return (time.process_time() - started) * 1000 / len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=400)
    parser.add_argument("--mix", choices=("balanced", "realistic"), default="balanced")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1, help="cores for the ceiling")
    args = parser.parse_args()
    quiet_libraries()
    torch.set_num_threads(1)
    from presidio_anonymizer import AnonymizerEngine

    from eval.pii.evaluate import default_analyzer
    from service.pipeline.classification import Classifier
    from service.pipeline.redaction import Redactor

    texts = bench_texts(args.n, args.mix)
    analyzer, anonymizer = default_analyzer(), AnonymizerEngine()
    redactor = Redactor("bench")
    model = Classifier(REPO_ROOT / "models" / "upstander-clf")

    def naive(batch):
        for t in batch:
            anonymizer.anonymize(text=t, analyzer_results=analyzer.analyze(t, language="en"))

    redacted = [r.text for r in redactor.redact_many(texts)]
    flagged = sum(bool(p.themes) or p.severity != "none" for p in model.predict(redacted, explain=False))
    costs = {
        "naive": cpu_ms_per_text(naive, texts),
        "redaction": cpu_ms_per_text(lambda b: list(redactor.redact_many(b)), texts),
        "classify": cpu_ms_per_text(lambda b: model.predict(b, explain=False), redacted),
    }
    costs["evidence"] = cpu_ms_per_text(lambda b: model.predict(b, explain="gradient"), redacted) - costs["classify"]
    evidence_per_flagged = costs["evidence"] * len(texts) / max(flagged, 1)

    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"{len(texts)} texts ({args.mix}), {words:.1f} words on average, {flagged} flagged; one thread")
    for stage, ms in costs.items():
        print(f"{stage:10} {ms:6.1f} ms CPU per text  ({1000 / ms:6.1f} texts/s on one core)")
    print(f"evidence   {evidence_per_flagged:6.1f} ms CPU per flagged item")
    naive_rate = 1000 / costs["naive"]
    for label, ms in (
        ("analyze, no evidence", costs["redaction"] + costs["classify"]),
        ("analyze, gradient evidence", costs["redaction"] + costs["classify"] + costs["evidence"]),
    ):
        ceiling = args.cores * 1000 / ms
        print(f"ceiling on {args.cores} cores, {label}: {ceiling:6.1f} texts/s = x{ceiling / naive_rate:.2f} naive")


if __name__ == "__main__":
    main()
