"""Build the README tour's sample export, `service/samples/tour_export.csv`, from held-out items.

The tour needs something to see: several months, a unit tree, cells big enough to pass the
anonymity thresholds, a theme that rises in one unit (so an alert fires) and a few urgent items
(so the queue has flags). The comments are corpus items written for the project, drawn only from
the test and realistic-mix splits (never training data), by their gold labels, with a fixed seed;
each row gets a unit, a submission date and a consent answer.

    python -m training.tour_sample
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from service.settings import REPO_ROOT
from training.corpus import load_split

OUT = REPO_ROOT / "service" / "samples" / "tour_export.csv"
SEED = 7
UNITS = ["acme/warehouse/north", "acme/warehouse/south", "acme/office/sales", "acme/office/finance"]
# Mid-month dates: months are built from whole ISO weeks, so the 15th is safely inside its month.
MONTHS = ["2026-07-15", "2026-08-14", "2026-09-15", "2026-10-15"]
PER_CELL = 32  # consenting respondents per unit and month
MISTREATMENT_PER_CELL = 3
RISING = ("acme/warehouse/north", "verbal_abuse", 13)  # unit, theme, items in the last month
URGENT_CELLS = {("acme/warehouse/south", 3), ("acme/office/sales", 2), ("acme/warehouse/north", 3)}
NO_CONSENT_PER_CELL = 2


def _pools(rng: random.Random) -> dict[str, list[dict]]:
    held_out = [r for r in load_split("realistic") + load_split("test") if r["source"] == "survey"]
    rng.shuffle(held_out)
    short = [r for r in held_out if len(r["text"].split()) <= 120]
    return {
        "clean": [r for r in short if r["severity"] == "none"],
        "rising": [r for r in short if RISING[1] in r["themes"] and r["severity"] in ("moderate", "high")],
        "other": [r for r in short if r["severity"] in ("low", "moderate", "high") and RISING[1] not in r["themes"]],
        "urgent": [r for r in short if r["severity"] == "critical"],
    }


def rows(rng: random.Random) -> list[dict]:
    pools = _pools(rng)
    out: list[dict] = []

    def take(kind: str) -> str:
        return pools[kind].pop()["text"]

    for m, date in enumerate(MONTHS):
        for unit in UNITS:
            texts = []
            rising = RISING[2] if (unit, m) == (RISING[0], len(MONTHS) - 1) else 1 if unit == RISING[0] else 0
            texts += [take("rising") for _ in range(rising)]
            texts += [take("other") for _ in range(MISTREATMENT_PER_CELL)]
            texts += [take("urgent") for _ in range(int((unit, m) in URGENT_CELLS))]
            texts += [take("clean") for _ in range(PER_CELL - len(texts))]
            cell = [{"text": t, "consent": "yes"} for t in texts]
            cell += [{"text": take("clean"), "consent": "no"} for _ in range(NO_CONSENT_PER_CELL)]
            rng.shuffle(cell)
            out += [r | {"unit": unit, "submitted_at": date, "source": "survey"} for r in cell]
    for i, r in enumerate(out, start=1):
        r["id"] = f"t{i:04d}"
    return out


def main() -> int:
    records = rows(random.Random(SEED))
    with OUT.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["id", "text", "consent", "unit", "submitted_at", "source"])
        writer.writeheader()
        writer.writerows(records)
    print(f"{len(records)} rows -> {Path(OUT).relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
