"""Throughput of the classification stage (classifier + urgent rules) on survey-length text.

Prints items/s for the shipped main model and the baseline, at the thread count of this machine.
Target (issue 4): >= 150 items/s on 2 cores for the main model.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.texts import survey_texts  # noqa: E402
from service.components import quiet_libraries  # noqa: E402
from service.pipeline.classification import Classifier  # noqa: E402
from service.pipeline.urgent import finalize  # noqa: E402
from service.settings import REPO_ROOT  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=256)
    args = parser.parse_args()
    quiet_libraries()
    texts = survey_texts(args.n)
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} survey texts, {words / len(texts):.1f} words each, {os.cpu_count()} cores")
    for name in ("upstander-clf", "upstander-baseline"):
        model = Classifier(REPO_ROOT / "models" / name)
        model.predict(texts[:64])  # warm-up
        started = time.perf_counter()
        for i in range(0, len(texts), args.batch):
            chunk = texts[i : i + args.batch]
            for text, pred in zip(chunk, model.predict(chunk), strict=True):
                finalize(text, pred, model.urgent_policy)
        seconds = time.perf_counter() - started
        print(f"{name:20} {len(texts) / seconds:8.1f} items/s  {words / seconds:9.1f} words/s")


if __name__ == "__main__":
    main()
