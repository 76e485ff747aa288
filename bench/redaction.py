"""Throughput of the redaction stage against a naive Presidio loop, on the same texts, same run.

naive:     AnalyzerEngine.analyze + AnonymizerEngine.anonymize per text, default recognizers
upstander: our Redactor (batched nlp.pipe, parser disabled, workplace recognizers), one process
upstander xN: the same, split over N worker processes (each loads the pipeline once)
Target (issue 3): >= 3x the naive loop on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.texts import survey_texts  # noqa: E402
from eval.pii.evaluate import default_analyzer, load_workplace  # noqa: E402

_REDACTOR = None


def _init() -> None:
    global _REDACTOR
    from service.pipeline.redaction import Redactor

    _REDACTOR = Redactor("bench")


def _redact(texts: list[str]) -> int:
    return sum(len(r.text) for r in _REDACTOR.redact_many(texts))


def naive(texts: list[str]) -> float:
    from presidio_anonymizer import AnonymizerEngine

    analyzer = default_analyzer()
    anonymizer = AnonymizerEngine()
    analyzer.analyze(texts[0], language="en")
    started = time.perf_counter()
    for text in texts:
        anonymizer.anonymize(text=text, analyzer_results=analyzer.analyze(text, language="en"))
    return time.perf_counter() - started


def ours(texts: list[str], processes: int) -> float:
    if processes == 1:
        _init()
        _redact(texts[:32])
        started = time.perf_counter()
        _redact(texts)
        return time.perf_counter() - started
    chunks = [texts[i : i + 256] for i in range(0, len(texts), 256)]
    with ProcessPoolExecutor(processes, initializer=_init) as pool:
        list(pool.map(_redact, [texts[:8]] * processes))  # load the pipeline in every worker
        started = time.perf_counter()
        list(pool.map(_redact, chunks))
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=1500)
    args = parser.parse_args()
    workplace = [t for t, _ in load_workplace()]
    texts = (workplace + survey_texts(args.n))[: args.n]
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} texts ({words / len(texts):.1f} words each), {os.cpu_count()} cores")
    rows = [("naive per-text loop", naive(texts)), ("upstander x1", ours(texts, 1))]
    rows.append((f"upstander x{os.cpu_count()}", ours(texts, os.cpu_count() or 1)))
    base = rows[0][1]
    for name, seconds in rows:
        print(f"{name:22} {len(texts) / seconds:8.1f} texts/s {words / seconds:9.1f} words/s  x{base / seconds:.2f}")


if __name__ == "__main__":
    main()
