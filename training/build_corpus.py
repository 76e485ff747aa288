"""Step 1, build: merge the written parts with their blind second reading and adjudication, check
them, drop near-duplicates, and make the fixed splits and the corpus statistics.

Inputs: training/data/v2/written/*.tsv (writers' labels), v2/second/*.tsv (blind second reader),
v2/adjudicated/*.tsv (decisions on disagreements). Outputs: training/data/{train,validation,test,
realistic}.jsonl, training/data/stats.json and training/data/adjudication_log.jsonl.
Deterministic (seed 13): the same inputs always give the same corpus and split.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter

from sklearn.model_selection import train_test_split

from service.labels import SEVERITY_RANK
from training import corpus_stats
from training.corpus import DATA, problems, write_jsonl
from training.readings import agreement, final_records

SEED = 13
# Shards written after the splits were fixed, one wave per top-up (`v2/shards.md` says which session wrote
# each). Each wave is de-duplicated against everything before it and split on its own, so adding it moves
# no earlier item between train, validation, test and the realistic mix, and earlier figures stay comparable.
LATER_WAVES: tuple[frozenset[str], ...] = (
    frozenset({"gp", "gq", "nx", "rw"}),
    frozenset({"ev", "tw", "hv", "sv", "lq", "sx"}),
    frozenset({"qt", "cs", "pr", "hw"}),
    frozenset({"ax", "hy", "sn", "dk", "cq", "rx", "gx", "lx"}),
    frozenset({"bd", "pv", "lr", "rs"}),
    frozenset({"oh", "ed"}),
    frozenset({"nb"}),
    frozenset({"fm", "rm", "kr", "jt"}),
    frozenset({"gz"}),
    frozenset({"vb", "hk", "zt"}),
    frozenset({"rq", "tk", "wn"}),
)
# Shards written as twin pairs on consecutive lines (lines 1-2, 3-4, ...): a pair shares its setting
# and words, so both twins go to the same split, or a test twin would be half-seen in training.
PAIRED = frozenset({"tw", "qt", "ax", "hy", "bd", "pv", "oh", "jt", "gz", "hk", "tk"})
# The realistic-mix split: survey-like proportions (about 80% clean, about 1% urgent).
REALISTIC = {"clean": 1280, "urgent": 16, "other": 304}


def stratum(record: dict) -> str:
    primary = record["themes"][0] if record["themes"] else "-"
    return f"{record['severity']}|{record['source']}|{primary}"


def _safe_split(records: list[dict], size: float, seed: int) -> tuple[list[dict], list[dict]]:
    """Stratified by severity|source|main theme; a stratum too small to split falls back to a coarser one."""
    strata = [stratum(r) for r in records]
    for depth in (2, 1, 0):
        counts = Counter(strata)
        strata = [s if counts[s] >= 4 else "|".join(s.split("|")[:depth]) or "rare" for s in strata]
    counts = Counter(strata)
    commonest = counts.most_common(1)[0][0]
    strata = [s if counts[s] >= 2 else commonest for s in strata]  # a lone leftover joins the largest stratum
    return train_test_split(records, test_size=size, random_state=seed, stratify=strata)


def realistic_split(records: list[dict], rng: random.Random) -> tuple[list[dict], list[dict]]:
    """Hold out a survey-like mix (surveys only), leaving the rest for the balanced splits."""
    surveys = [r for r in records if r["source"] == "survey"]
    clean = [r for r in surveys if r["severity"] == "none"]
    urgent = [r for r in surveys if r["severity"] == "critical"]
    # Ordinary mistreatment in a real survey is mostly mild: draw low/moderate twice as often as high.
    other = [r for r in surveys if r["severity"] in ("low", "moderate")] * 2 + [
        r for r in surveys if r["severity"] == "high"
    ]
    chosen: dict[str, dict] = {}
    for pool, n in ((clean, REALISTIC["clean"]), (urgent, REALISTIC["urgent"])):
        for r in rng.sample(pool, min(n, len(pool))):
            chosen[r["id"]] = r
    rng.shuffle(other)
    for r in other:
        if sum(1 for c in chosen.values() if c["severity"] not in ("none", "critical")) >= REALISTIC["other"]:
            break
        chosen.setdefault(r["id"], r)
    held = sorted(chosen.values(), key=lambda r: r["id"])
    rest = [r for r in records if r["id"] not in chosen]
    return held, rest


def wave_of(record: dict) -> int:
    """0 for the shards the splits were first made from, k for the k-th later wave."""
    shard = record["part"].split("_")[0]
    return next((k for k, wave in enumerate(LATER_WAVES, start=1) if shard in wave), 0)


def unit_of(record: dict) -> str:
    """What is split as one: a twin pair of a paired shard, otherwise the item itself."""
    if record["part"].split("_")[0] in PAIRED:
        return f"{record['part']}:{(record['line'] - 1) // 2}"
    return record["id"]


def _split_units(records: list[dict], size: float, seed: int) -> tuple[list[dict], list[dict]]:
    """`_safe_split` over units (a lone item is its own unit), each stratified by its most severe item."""
    units: dict[str, list[dict]] = {}
    for r in records:
        units.setdefault(unit_of(r), []).append(r)
    heads = [max(members, key=lambda r: SEVERITY_RANK[r["severity"]]) for members in units.values()]
    first, second = _safe_split(heads, size, seed)
    return [m for h in first for m in units[unit_of(h)]], [m for h in second for m in units[unit_of(h)]]


def without_near_duplicates(records: list[dict]) -> tuple[list[dict], dict]:
    """Drop near-duplicates wave by wave: a later item goes when it repeats anything before it, an
    earlier item never goes because of a later one."""
    kept, near_dups = corpus_stats.drop_near_duplicates([r for r in records if wave_of(r) == 0])
    for k in range(1, len(LATER_WAVES) + 1):
        wave = [r for r in records if wave_of(r) == k]
        survivors, _ = corpus_stats.drop_near_duplicates(kept + wave)
        new_ids = {r["id"] for r in survivors} - {r["id"] for r in kept}
        near_dups["dropped"] += len(wave) - len(new_ids)
        kept += [r for r in wave if r["id"] in new_ids]
    return kept, near_dups


def make_splits(records: list[dict]) -> dict[str, list[dict]]:
    """The fixed splits: the first wave as ever, each later wave split 70/15/15 on its own (never
    into the realistic mix, whose proportions are fixed)."""
    first = [r for r in records if wave_of(r) == 0]
    realistic, rest = realistic_split(first, random.Random(SEED))
    train, hold = _safe_split(rest, 0.3, SEED)
    validation, test = _safe_split(hold, 0.5, SEED)
    for k in range(1, len(LATER_WAVES) + 1):
        wave = [r for r in records if wave_of(r) == k]
        if len(wave) < 20:
            continue  # too few to split three ways; the wave waits for its readings
        wave_train, wave_hold = _split_units(wave, 0.3, SEED)
        wave_validation, wave_test = _split_units(wave_hold, 0.5, SEED)
        train, validation, test = train + wave_train, validation + wave_validation, test + wave_test
    return {"train": train, "validation": validation, "test": test, "realistic": realistic}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="validate only, write nothing")
    args = parser.parse_args(argv)
    records, log, dropped = final_records()
    bad = [
        (r["id"], problems({k: r[k] for k in ("id", "source", "text", "themes", "severity", "urgent_reasons")}))
        for r in records
    ]
    bad = [(i, p) for i, p in bad if p]
    for item_id, issues in bad:
        print(f"{item_id}: {'; '.join(issues)}", file=sys.stderr)
    print(f"{len(records)} records, {len(bad)} invalid, dropped {dict(dropped)}", file=sys.stderr)
    if args.check:
        return 1 if bad or not records else 0
    records, near_dups = without_near_duplicates(records)
    splits = make_splits(records)
    public = ("id", "source", "text", "themes", "severity", "urgent_reasons")
    for name, split in splits.items():
        write_jsonl(DATA / f"{name}.jsonl", ({k: r[k] for k in public} for r in sorted(split, key=lambda r: r["id"])))
    write_jsonl(
        DATA / "rationales.jsonl",
        (
            {"id": r["id"], "evidence": r["reader_evidence"]}
            for r in sorted(splits["validation"] + splits["test"] + splits["realistic"], key=lambda r: r["id"])
            if r["themes"] and r.get("reader_evidence")
        ),
    )
    write_jsonl(DATA / "adjudication_log.jsonl", log)
    summary = corpus_stats.summary(records, splits, near_dups=near_dups, dropped=dict(dropped)) | {
        "agreement": agreement(),
        "adjudicated": len(log),
    }
    (DATA / "stats.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps({k: summary[k] for k in ("items", "agreement")}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
