"""A later wave of shards must not move any earlier item between splits, nor knock one out as a
near-duplicate: the published figures of earlier models stay comparable after a top-up."""

from __future__ import annotations

import random

from training import build_corpus

SEVERITIES = ("none", "none", "none", "moderate", "high", "critical")
WORDS = "rota pay canteen shift manager ladder forklift printer badge locker parking overtime".split()


def _records(shard: str, n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for k in range(n):
        severity = SEVERITIES[k % len(SEVERITIES)]
        text = " ".join(rng.choice(WORDS) for _ in range(12)) + f" {shard} item {k} {rng.random():.6f}"
        out.append(
            {
                "id": f"{shard}-{k:04d}",
                "part": f"{shard}_p01.tsv",
                "source": "survey",
                "text": text,
                "themes": [] if severity == "none" else ["intimidation"],
                "severity": severity,
                "urgent_reasons": ["violence"] if severity == "critical" else [],
            }
        )
    return out


def test_a_later_wave_leaves_every_earlier_split_unchanged():
    first = _records("oc", 600, seed=1)
    wave = _records("gp", 90, seed=2)
    before = build_corpus.make_splits(first)
    after = build_corpus.make_splits(first + wave)
    for name in ("train", "validation", "test", "realistic"):
        assert {r["id"] for r in after[name] if r["id"].startswith("oc")} == {r["id"] for r in before[name]}
    wave_ids = {name: {r["id"] for r in after[name] if r["id"].startswith("gp")} for name in after}
    assert not wave_ids["realistic"]
    assert len(wave_ids["train"]) == 63 and len(wave_ids["validation"]) + len(wave_ids["test"]) == 27


def test_a_later_item_repeating_an_earlier_one_is_the_one_dropped():
    first = _records("oc", 40, seed=3)
    copy = dict(first[5], id="gp-copy", part="gp_p01.tsv")
    kept, near_dups = build_corpus.without_near_duplicates([copy, *first])
    ids = {r["id"] for r in kept}
    assert first[5]["id"] in ids and "gp-copy" not in ids
    assert near_dups["dropped"] == 1


def test_twin_pairs_of_a_paired_shard_never_straddle_splits():
    first = _records("oc", 600, seed=4)
    twins = _records("tw", 120, seed=5)
    for k, r in enumerate(twins):
        r["line"] = k + 1  # lines 1-2 are a pair, 3-4 the next, ...
        r["severity"], r["urgent_reasons"] = ("critical", ["violence"]) if k % 2 else ("high", [])
    splits = build_corpus.make_splits(first + twins)
    where = {r["id"]: name for name, split in splits.items() for r in split}
    pairs = [(twins[k]["id"], twins[k + 1]["id"]) for k in range(0, len(twins), 2)]
    assert all(where[a] == where[b] for a, b in pairs)
    assert {where[a] for a, _ in pairs} == {"train", "validation", "test"}
    assert sum(where[a] == "train" for a, _ in pairs) == 42  # 70% of the 60 pairs
