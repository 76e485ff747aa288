"""Export the major disagreements (urgent or not, mistreatment or none) for a third reader.

`python -m training.adjudication_export` writes `training/data/v2/adjudicate/<blind>.jsonl` for every
blind file whose second reading is done: the text and the two readings as "reading 1" and "reading 2"
in a seeded random order, so the adjudicator cannot tell which one the writer made. It then lists
files with no decisions yet (v2/adjudicated/<blind>.tsv).
"""

from __future__ import annotations

import json
import random

from training.readings import ADJUDICATED, _labels, is_major, load_readings, repair
from training.written_parts import V2

TODO = V2 / "adjudicate"


def main() -> int:
    TODO.mkdir(parents=True, exist_ok=True)
    ADJUDICATED.mkdir(parents=True, exist_ok=True)
    by_file: dict[str, list[dict]] = {}
    for item in load_readings():
        if "error" in item or item["reading_b"] is None:
            continue
        a = repair(_labels(item["severity"], item["themes"], item["urgent_reasons"]))
        b = repair(item["reading_b"])
        if a is None or b is None or is_major(a, b):
            pair = [a, b]
            random.Random(item["id"]).shuffle(pair)
            by_file.setdefault(item["blind_file"], []).append(
                {
                    "id": item["id"],
                    "source": item["source"],
                    "text": item["text"],
                    "reading_1": pair[0],
                    "reading_2": pair[1],
                }
            )
        else:
            by_file.setdefault(item["blind_file"], [])
    pending = []
    for name, rows in sorted(by_file.items()):
        target = TODO / f"{name}.jsonl"
        content = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        if not (ADJUDICATED / f"{name}.tsv").exists():  # a decided file stays as it was decided
            target.write_text(content, encoding="utf-8")
        if rows and not (ADJUDICATED / f"{name}.tsv").exists() and not (ADJUDICATED / f"{name}.lock").exists():
            pending.append(f"{name}({len(rows)})")
    print("to adjudicate:", " ".join(pending) if pending else "(none)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
