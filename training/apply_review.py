"""Apply a reviewed label-correction file (id → corrected labels) to the corpus shards, in place.

Used for the second reader's audit (training/data/review/second_reader.jsonl); every correction
must itself satisfy the contract, and every applied change is printed.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from training.corpus import DATA, problems, read_jsonl, write_jsonl


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("review", type=Path, nargs="?", default=DATA / "review" / "second_reader.jsonl")
    args = parser.parse_args(argv)
    fixes = {r["id"]: r for r in read_jsonl(args.review)}
    applied = 0
    for shard in sorted((DATA / "shards").glob("*.jsonl")):
        records = read_jsonl(shard)
        for r in records:
            fix = fixes.get(r["id"])
            if not fix:
                continue
            new = r | {k: fix[k] for k in ("themes", "severity", "urgent_reasons")}
            assert not problems(new), (r["id"], problems(new))
            if new != r:
                print(f"{r['id']}: {r['themes']} {r['severity']} -> {new['themes']} {new['severity']}  ({fix['why']})")
                r.update(new)
                applied += 1
        write_jsonl(shard, records)
    print(json.dumps({"corrections": len(fixes), "applied": applied}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
