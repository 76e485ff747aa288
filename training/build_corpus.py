"""Step 1, build: merge the written shards, validate them, and make the fixed stratified split.

Inputs: training/data/shards/*.jsonl. Outputs: training/data/{train,validation,test}.jsonl and
training/data/stats.json. Deterministic (seed 13): the same shards always give the same split.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter

from sklearn.model_selection import train_test_split

from training.corpus import DATA, problems, read_jsonl, write_jsonl

SEED = 13


def normalise(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def stats(records: list[dict]) -> dict:
    return {
        "items": len(records),
        "source": dict(Counter(r["source"] for r in records)),
        "severity": dict(Counter(r["severity"] for r in records)),
        "themes": dict(Counter(t for r in records for t in r["themes"])),
        "urgent_reasons": dict(Counter(x for r in records for x in r["urgent_reasons"])),
        "clean_share": round(sum(not r["themes"] for r in records) / max(len(records), 1), 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="validate only, write nothing")
    args = parser.parse_args(argv)
    records, seen, bad = [], set(), 0
    for shard in sorted((DATA / "shards").glob("*.jsonl")):
        for r in read_jsonl(shard):
            issues = problems(r)
            key = normalise(r.get("text", ""))
            if issues:
                bad += 1
                print(f"{shard.name} {r.get('id')}: {'; '.join(issues)}", file=sys.stderr)
            elif key in seen:
                bad += 1
                print(f"{shard.name} {r['id']}: duplicate text", file=sys.stderr)
            else:
                seen.add(key)
                r["themes"] = sorted(r["themes"])
                records.append(r)
    ids = Counter(r["id"] for r in records)
    assert all(c == 1 for c in ids.values()), "duplicate ids across shards"
    print(f"{len(records)} valid records, {bad} rejected", file=sys.stderr)
    if args.check:
        return 1 if bad else 0
    records.sort(key=lambda r: r["id"])
    strata = [f"{r['severity']}|{r['source']}" for r in records]
    train, rest = train_test_split(records, test_size=0.3, random_state=SEED, stratify=strata)
    rest_strata = [f"{r['severity']}|{r['source']}" for r in rest]
    validation, test = train_test_split(rest, test_size=0.5, random_state=SEED, stratify=rest_strata)
    for name, split in (("train", train), ("validation", validation), ("test", test)):
        write_jsonl(DATA / f"{name}.jsonl", sorted(split, key=lambda r: r["id"]))
    summary = {"all": stats(records), "train": stats(train), "validation": stats(validation), "test": stats(test)}
    (DATA / "stats.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary["all"], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
