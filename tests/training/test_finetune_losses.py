"""The fine-tuning pieces that pair counterfactual copies and twins, and weight the critical boundary."""

import json
import re
from pathlib import Path

import numpy as np
import torch

from service.pipeline.finetuned import N_SEV, N_THEMES
from training.corpus import load_split
from training.finetune import column_weights, consistency, length_batches, twin_rank, units
from training.train import counterfactual_pairs, twin_pairs

CRITICAL = N_THEMES + N_SEV - 1


def test_pairs_link_each_copy_to_its_original():
    records = [{"id": "a"}, {"id": "b"}, {"id": "a~swap0"}, {"id": "b~mention4"}, {"id": "a~mention9"}]
    assert counterfactual_pairs(records) == [(0, 2), (1, 3)]  # a's second copy trains unpaired


def test_a_pair_always_lands_in_one_batch_and_every_item_once():
    pairs = [(0, 5), (2, 7)]
    windows = [["x" * (i + 1)] for i in range(9)]
    batches = length_batches(windows, units(9, pairs), 2, np.random.default_rng(0))
    seen = [int(i) for b in batches for i in b]
    assert sorted(seen) == list(range(9))
    for a, b in pairs:
        assert any(a in batch and b in batch for batch in batches)


def test_consistency_is_zero_for_equal_outputs_and_grows_with_the_gap():
    idx = np.array([4, 9, 1])
    partner = {4: 9}
    same = torch.zeros(3, 20)
    assert float(consistency(same, idx, partner)) == 0.0
    apart = same.clone()
    apart[1, 0] = 4.0  # the copy's first output moves from p=0.5 to p~0.98
    small = apart.clone()
    small[1, 0] = 1.0
    assert float(consistency(apart, idx, partner)) > float(consistency(small, idx, partner)) > 0.0
    # a batch without both halves of a pair adds nothing
    assert float(consistency(apart, np.array([4, 1, 3]), partner)) == 0.0


def test_the_critical_column_weighs_more_only_on_high_and_critical_items():
    w = column_weights(np.array([0, 2, 3, 4]), 3.0).numpy()
    assert list(w[:, CRITICAL]) == [1.0, 1.0, 3.0, 3.0]
    w[:, CRITICAL] = 1.0
    assert (w == 1.0).all()


def test_twin_rank_falls_as_the_urgent_twin_rises_above_its_near_miss():
    idx = np.array([3, 8, 5])
    nearer = {3: 8}  # item 3 is urgent, item 8 its near-miss twin
    logits = torch.zeros(3, 20)
    level = float(twin_rank(logits, idx, nearer))
    assert abs(level - np.log(2)) < 1e-6
    logits[0, CRITICAL] = 3.0
    assert float(twin_rank(logits, idx, nearer)) < level
    logits[0, CRITICAL], logits[1, CRITICAL] = 0.0, 3.0  # the near-miss above the urgent twin
    reversed_pair = float(twin_rank(logits, idx, nearer))
    assert reversed_pair > level
    logits[1, 0] = logits[0, 5] = 9.0  # other columns do not count
    assert float(twin_rank(logits, idx, nearer)) == reversed_pair
    assert float(twin_rank(logits, np.array([3, 5]), nearer)) == 0.0  # half a pair adds nothing


def test_an_item_already_paired_is_not_paired_again():
    assert units(5, [(0, 1), (1, 2), (3, 4)]) == [(0, 1), (3, 4), (2,)]


def test_twin_pairs_put_the_urgent_twin_first_and_come_from_one_part():
    from training.written_parts import complete_parts, parse_part

    train = load_split("train")
    pairs = twin_pairs(train)
    assert len(pairs) >= 100  # the paired shards' pairs across the urgent boundary
    where = {item["id"]: (part.name, item["line"]) for part in complete_parts() for item in parse_part(part)}
    for urgent, near in pairs:
        assert train[urgent]["severity"] == "critical" != train[near]["severity"]
        (part_u, line_u), (part_n, line_n) = where[train[urgent]["id"]], where[train[near]["id"]]
        assert part_u == part_n and (min(line_u, line_n) % 2, abs(line_u - line_n)) == (1, 1)


def test_group_mentions_are_clean_survey_comments_naming_a_group():
    from training.group_statements import group_mentions, group_phrases

    made = group_mentions(n=50)
    assert len({r["id"] for r in made}) == 50
    assert all(r["severity"] == "none" and r["themes"] == [] and r["source"] == "survey" for r in made)
    phrases = group_phrases()
    assert all(any(p.lower() in r["text"].lower() for p in phrases) for r in made)
    assert all(r["text"][0].isupper() for r in made)
    assert group_mentions(n=50) == made  # seeded


def test_group_hate_is_labelled_discrimination_and_shares_its_groups_not_its_frames():
    from training.group_statements import _GROUP_FRAMES, _GROUP_HATE_FRAMES, group_hate, group_mentions, group_phrases

    made = group_hate(n=50)
    assert len({r["id"] for r in made}) == 50
    assert all(r["severity"] == "high" and r["themes"] == ["discrimination"] for r in made)
    assert not {r["id"] for r in made} & {r["id"] for r in group_mentions(n=50)}
    phrases = group_phrases()
    assert all(any(p.lower() in r["text"].lower() for p in phrases) for r in made)
    assert group_hate(n=50) == made  # seeded
    assert not set(_GROUP_HATE_FRAMES) & set(_GROUP_FRAMES)


def test_group_counter_is_clean_in_the_hate_statements_groups_and_seeded():
    from training.group_statements import (
        _GROUP_COUNTER_FRAMES,
        _GROUP_HATE_FRAMES,
        group_counter,
        group_hate,
        group_phrases,
    )

    made = group_counter(n=50)
    assert len({r["id"] for r in made}) == 50
    assert all(r["severity"] == "none" and r["themes"] == [] and r["urgent_reasons"] == [] for r in made)
    assert not {r["id"] for r in made} & {r["id"] for r in group_hate(n=50)}
    phrases = group_phrases()
    assert all(any(p.lower() in r["text"].lower() for p in phrases) for r in made)
    assert group_counter(n=50) == made  # seeded
    assert group_counter() == []  # off unless asked for
    assert not set(_GROUP_COUNTER_FRAMES) & set(_GROUP_HATE_FRAMES)


def test_more_swap_copies_are_distinct_and_keep_the_labels():
    from training.augment import augment_identity

    record = {
        "id": "g1",
        "text": "He said gay staff should keep quiet.",
        "themes": ["discrimination"],
        "severity": "high",
    }
    plain = {"id": "p1", "text": "The canteen closes at two.", "themes": [], "severity": "none"}
    one, three = augment_identity([record, plain], copies=1), augment_identity([record, plain], copies=3)
    assert [r["id"] for r in one] == ["g1~swap0"]
    assert one[0]["text"] == three[0]["text"]  # a first copy is the same whatever the count
    texts = [r["text"] for r in three]
    assert len(texts) == len(set(texts)) and record["text"] not in texts and 2 <= len(texts) <= 3
    assert all(r["themes"] == ["discrimination"] and r["severity"] == "high" for r in three)


def test_group_threats_are_critical_violence_in_the_hate_statements_groups_and_seeded():
    from training.group_statements import group_hate, group_phrases, group_threats

    made = group_threats(n=50)
    assert len({r["id"] for r in made}) == 50
    assert all(r["severity"] == "critical" and r["urgent_reasons"] == ["violence"] for r in made)
    assert all(r["themes"] == ["discrimination", "intimidation"] for r in made)
    assert not {r["id"] for r in made} & {r["id"] for r in group_hate(n=50)}
    phrases = group_phrases()
    assert all(any(p.lower() in r["text"].lower() for p in phrases) for r in made)
    assert group_threats(n=50) == made  # seeded
    assert group_threats() == []  # off unless asked for


def _five_grams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z']+", text.lower().replace("{group}", " ").replace("{g}", " "))
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def test_no_training_frame_shares_five_words_with_the_fairness_suite_or_the_validation_checks():
    """The suite and the validation checks measure what the augmentation teaches: a frame that borrowed
    their wording would make them easier, not the model better."""
    from training import group_statements, invariance

    suite = Path(__file__).resolve().parents[2] / "eval" / "fairness" / "data" / "hate_functional.jsonl"
    held = [json.loads(line)["template"] for line in suite.read_text().splitlines() if line]
    held += invariance.CHECK_FRAMES + invariance.CHECK_HATE_FRAMES + invariance.CHECK_COUNTER_FRAMES
    held += invariance.CHECK_THREAT_FRAMES
    held_grams = set().union(*(_five_grams(t) for t in held))
    frames = (
        group_statements._GROUP_FRAMES
        + group_statements._GROUP_HATE_FRAMES
        + group_statements._GROUP_COUNTER_FRAMES
        + group_statements._GROUP_THREAT_FRAMES
        + group_statements._GROUP_THREAT_CONTRAST_FRAMES
    )
    shared = {frame: _five_grams(frame) & held_grams for frame in frames}
    assert {f: g for f, g in shared.items() if g} == {}
    assert _five_grams("{g} will get hurt on the night shift") & _five_grams("{group} will get hurt on the night shift")


def test_threat_contrast_is_clean_in_the_threats_settings_and_seeded():
    from training.group_statements import _GROUP_THREAT_CONTRAST_FRAMES, _GROUP_THREAT_FRAMES, group_threat_contrast

    made = group_threat_contrast(n=50)
    assert len({r["id"] for r in made}) == 50
    assert all(r["severity"] == "none" and r["themes"] == [] and r["urgent_reasons"] == [] for r in made)
    assert group_threat_contrast(n=50) == made and group_threat_contrast() == []
    assert len(_GROUP_THREAT_CONTRAST_FRAMES) == len(_GROUP_THREAT_FRAMES)
    assert not set(_GROUP_THREAT_CONTRAST_FRAMES) & set(_GROUP_THREAT_FRAMES)
