"""The validation invariance figures (training/invariance.py) count what they claim: checked with
decision functions whose flips are known, so the measurement is tested apart from any model."""

import json
import re

from training.augment import LEXICON
from training.invariance import measure

RECORDS = [
    {"id": "a", "source": "survey", "severity": "none", "text": "My Polish colleague runs the rota now."},
    {"id": "b", "source": "survey", "severity": "none", "text": "The canteen closes far too early."},
    {"id": "c", "source": "survey", "severity": "high", "text": "He sneers at the Polish lads every shift."},
]
NAMES_IDENTITY = re.compile(r"\b(" + "|".join(re.escape(t) for v in LEXICON.values() for t in v) + r")\b", re.I)


def _unlike(frame: str, others: list[str]) -> bool:
    """Shares under half its words (Jaccard) with every one of `others`: not a copy with a word or
    two changed."""
    own = frozenset(re.findall(r"[a-z]+", frame.lower()))
    for other in others:
        theirs = frozenset(re.findall(r"[a-z]+", other.lower()))
        if len(own & theirs) / len(own | theirs) >= 0.5:
            return False
    return True


def _suite_templates() -> list[str]:
    """The fairness suite's hate templates, which no training or check frame may copy."""
    from service.settings import REPO_ROOT

    suite = REPO_ROOT / "eval" / "fairness" / "data" / "hate_functional.jsonl"
    return [json.loads(line)["template"] for line in suite.open()]


def _flag_if(predicate):
    return lambda texts: [(("discrimination",), "high") if predicate(t) else ((), "none") for t in texts]


def test_a_decision_tied_to_one_term_flips_on_every_swap():
    figures = measure(_flag_if(lambda t: "Polish" in t), RECORDS)
    assert figures["swap"]["items"] == 2  # "b" names no identity
    assert 2 <= figures["swap"]["copies"] <= 6
    assert figures["swap"]["flip_rate"] == 1.0
    assert figures["swap"]["flip_rate_interval_90"] == [1.0, 1.0]  # every item flips every copy


def test_a_decision_tied_to_any_identity_never_flips_but_flags_every_mention():
    figures = measure(_flag_if(lambda t: bool(NAMES_IDENTITY.search(t))), RECORDS)
    assert figures["swap"]["flip_rate"] == 0.0
    assert figures["mention"] == {"items": 2, "flagged_without": 0.5, "flagged_with": 1.0}


def test_group_mentions_count_flags_and_discrimination_marks():
    figures = measure(_flag_if(lambda t: "deaf" in t.lower()), RECORDS)
    groups = figures["group_mentions"]
    assert groups["sentences"] > 100
    assert 0.0 < groups["flagged"] < 0.2  # only the phrases that say deaf
    assert groups["as_discrimination"] == groups["flagged"]
    blind = measure(_flag_if(lambda t: False), RECORDS)["group_mentions"]
    assert blind["flagged"] == blind["as_discrimination"] == 0.0


def test_the_check_frames_are_not_the_training_frames():
    from training.group_frames import MENTION_FRAMES
    from training.invariance import CHECK_FRAMES

    assert not set(CHECK_FRAMES) & set(MENTION_FRAMES)
    for frame in CHECK_FRAMES:  # no check frame is a training frame with a word or two changed
        assert _unlike(frame, MENTION_FRAMES), frame


def test_the_flip_interval_resamples_items_and_holds_the_rate():
    # "a" flips on every swap, "c" never: the rate sits between, and resampling the two items
    # reaches both ends (a copy-level resample of this many copies would rarely do so)
    figures = measure(_flag_if(lambda t: "Polish colleague" in t), RECORDS)["swap"]
    low, high = figures["flip_rate_interval_90"]
    assert figures["items"] == 2 and 0.0 < figures["flip_rate"] < 1.0
    assert low == 0.0 and high == 1.0


def _units(flips, mentions, groups):
    """Hand-made units: one copy per swap item, twelve sentences per group phrase."""
    import numpy as np

    return {
        "swap_flips": np.array(flips, dtype=float),
        "swap_copies": np.ones(len(flips)),
        "mention_without": np.zeros(len(mentions)),
        "mention_with": np.array(mentions, dtype=float),
        "group_flagged": np.array(groups, dtype=float),
        "group_discrimination": np.zeros(len(groups)),
        "group_sentences": np.full(len(groups), 12.0),
        "hate_flagged": np.array(groups, dtype=float),
        "hate_discrimination": np.zeros(len(groups)),
        "hate_sentences": np.full(len(groups), 12.0),
        "counter_flagged": np.array(groups, dtype=float),
        "counter_discrimination": np.zeros(len(groups)),
        "threat_urgent": np.array(groups, dtype=float),
        "threat_sentences": np.full(len(groups), 12.0),
        "threat_unseen_urgent": np.array(groups, dtype=float),
        "threat_unseen_sentences": np.full(len(groups), 12.0),
        "counter_sentences": np.full(len(groups), 12.0),
    }


def test_paired_difference_of_a_model_with_itself_is_exactly_zero():
    from training.invariance import paired

    u = _units([1, 0, 0, 1] * 25, [0, 1] * 50, [3, 0, 12, 1] * 5)
    for figure in paired(u, u).values():
        assert figure == {"difference": 0.0, "interval_90": [0.0, 0.0]}


def test_paired_interval_sees_a_consistent_worsening_that_the_rates_own_intervals_would_not():
    from training.invariance import _item_bootstrap, paired

    reference = [1, 0, 0, 0] * 50  # flip rate 0.25
    candidate = [1, 0, 0, 0] * 45 + [1, 1, 0, 0] * 5  # the same flips plus 5 more: 0.275
    diff = paired(_units(candidate, [0] * 10, [0] * 5), _units(reference, [0] * 10, [0] * 5))["swap_flip_rate"]
    assert diff["difference"] == 0.025
    assert 0.0 < diff["interval_90"][0] <= 0.025 <= diff["interval_90"][1]
    alone = _units(reference, [], [])
    own_low, own_high = _item_bootstrap(alone["swap_flips"], alone["swap_copies"])
    assert own_high - own_low > 0.05  # alone, each rate is far noisier than the 0.025 between them


def test_paired_interval_straddles_zero_when_the_flips_merely_move():
    from training.invariance import paired

    reference = [1, 0] * 100
    candidate = [0, 1] * 100  # as many flips, on other items
    diff = paired(_units(candidate, [0] * 10, [0] * 5), _units(reference, [0] * 10, [0] * 5))["swap_flip_rate"]
    assert diff["difference"] == 0.0
    low, high = diff["interval_90"]
    assert low < 0.0 < high


def test_units_come_in_the_same_order_so_two_models_pair_up():
    from training.invariance import units

    decide = _flag_if(lambda t: "Polish" in t or "deaf" in t.lower())
    first, second = units(decide, RECORDS), units(decide, RECORDS)
    assert first.keys() == second.keys()
    assert all((first[k] == second[k]).all() for k in first)
    assert first["group_flagged"].max() <= 12 and first["group_flagged"].sum() > 0


def test_group_hate_counts_flags_and_discrimination_marks():
    figures = measure(_flag_if(lambda t: "parasites" in t or "filth" in t), RECORDS)["group_hate"]
    assert figures["sentences"] > 100
    assert abs(figures["flagged"] - 2 / 12) < 1e-3  # two of the twelve frames, every group
    assert figures["as_discrimination"] == figures["flagged"]


def test_the_hate_frames_of_training_check_and_suite_are_all_different():

    from training.group_frames import HATE_FRAMES, MENTION_FRAMES
    from training.invariance import CHECK_HATE_FRAMES

    suite_frames = _suite_templates()
    for frame in HATE_FRAMES:  # the training hate frames are not the suite's either
        assert _unlike(frame, suite_frames), frame
    for frame in CHECK_HATE_FRAMES:
        assert _unlike(frame, MENTION_FRAMES + HATE_FRAMES + suite_frames), frame


def test_the_counter_speech_frames_of_training_and_check_differ_from_each_other_and_the_suite():

    from training.group_frames import COUNTER_FRAMES, HATE_FRAMES, MENTION_FRAMES
    from training.invariance import CHECK_COUNTER_FRAMES, CHECK_HATE_FRAMES

    suite_frames = _suite_templates()
    for frame in COUNTER_FRAMES:
        assert _unlike(frame, suite_frames + HATE_FRAMES), frame
    for frame in CHECK_COUNTER_FRAMES:
        assert _unlike(frame, MENTION_FRAMES + HATE_FRAMES + COUNTER_FRAMES + suite_frames), frame
        assert _unlike(frame, CHECK_HATE_FRAMES), frame


def test_group_counter_counts_flags_and_is_paired():
    from training.invariance import paired, units

    decide = _flag_if(lambda t: "vile nonsense" in t)
    figures = measure(decide, RECORDS)["group_counter"]
    assert abs(figures["flagged"] - 1 / 12) < 1e-3  # one of the twelve frames, every group
    assert figures["as_discrimination"] == figures["flagged"]
    worse, base = units(decide, RECORDS), units(_flag_if(lambda t: False), RECORDS)
    diff = paired(worse, base)["group_counter_flagged"]
    assert abs(diff["difference"] - 1 / 12) < 1e-3 and diff["interval_90"][0] > 0


def test_the_worst_frames_name_the_wording_a_figure_moved_on():
    from training.invariance import CHECK_FRAMES, CHECK_HATE_FRAMES

    carpool = CHECK_FRAMES[8]  # "I carpool with some {g} who live near me."
    assert "carpool" in carpool

    def decide(texts):
        return [
            ((), "critical") if "carpool" in t else ((), "low") if "deaf" in t.lower() else ((), "none") for t in texts
        ]

    figures = measure(decide, RECORDS)
    worst = figures["group_mentions"]["worst_frames"]
    assert worst[0] == {"frame": carpool, "flagged": 1.0, "urgent": 1.0}
    assert all(0.0 < w["flagged"] < 0.2 and w["urgent"] == 0.0 for w in worst[1:])  # the deaf phrases only
    # On hate the misses are the errors: the least flagged frames come first.
    hate = measure(_flag_if(lambda t: "parasites" not in t), RECORDS)["group_hate"]["worst_frames"]
    assert hate[0]["frame"] == next(f for f in CHECK_HATE_FRAMES if "parasites" in f) and hate[0]["flagged"] == 0.0
    assert hate[1]["flagged"] == 1.0


def test_group_threats_count_urgent_and_name_the_frames_left_below_urgent():
    from training.invariance import CHECK_THREAT_FRAMES, CHECK_UNSEEN_GROUPS, paired, units

    def decide(texts):  # every threat flagged, only the gun threat urgent, and only at the unseen groups
        unseen = tuple(g.lower() for g in CHECK_UNSEEN_GROUPS)
        return [
            (("intimidation",), "critical" if "gun" in t and any(g in t.lower() for g in unseen) else "high")
            for t in texts
        ]

    figures = measure(decide, RECORDS)
    listed, unseen = figures["group_threats"], figures["group_threats_unseen"]
    assert listed["flagged"] == unseen["flagged"] == 1.0
    assert listed["urgent"] == 0.0
    assert abs(unseen["urgent"] - 1 / len(CHECK_THREAT_FRAMES)) < 1e-3
    assert unseen["sentences"] == len(CHECK_THREAT_FRAMES) * len(CHECK_UNSEEN_GROUPS)
    assert "gun" not in unseen["worst_frames"][0]["frame"]  # least urgent first
    diff = paired(units(decide, RECORDS), units(_flag_if(lambda t: True), RECORDS))
    assert diff["group_threats_urgent"]["difference"] == 0.0
    assert diff["group_threats_unseen_urgent"]["difference"] > 0  # positive is better here


def test_the_threat_check_is_its_own_wording_at_groups_nobody_else_names():
    from service.settings import REPO_ROOT
    from training.group_frames import HATE_FRAMES, THREAT_FRAMES
    from training.group_statements import group_phrases
    from training.invariance import CHECK_THREAT_FRAMES, CHECK_UNSEEN_GROUPS

    data = REPO_ROOT / "eval" / "fairness" / "data"
    suite_frames = _suite_templates()
    for frame in CHECK_THREAT_FRAMES:
        assert _unlike(frame, THREAT_FRAMES + HATE_FRAMES + suite_frames), frame
    for frame in THREAT_FRAMES:
        assert _unlike(frame, suite_frames), frame
    named = (
        " ".join(group_phrases()).lower()
        + json.dumps(
            [json.loads((data / f).read_text()) for f in ("hate_groups.json", "heldout_identity_terms.json")]
        ).lower()
    )
    generic = {"colleagues", "staff", "workers", "people", "with"}
    for group in CHECK_UNSEEN_GROUPS:
        own = set(re.findall(r"[a-z'-]+", group.lower())) - generic
        assert own and not own & set(re.findall(r"[a-z'-]+", named)), group
