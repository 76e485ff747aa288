"""The fine-tuning pieces that pair counterfactual copies and twins, and weight the critical boundary."""

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
