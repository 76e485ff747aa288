"""The validation invariance figures (training/invariance.py) count what they claim: checked with
decision functions whose flips are known, so the measurement is tested apart from any model."""

import re

from training.augment import LEXICON
from training.invariance import measure

RECORDS = [
    {"id": "a", "source": "survey", "severity": "none", "text": "My Polish colleague runs the rota now."},
    {"id": "b", "source": "survey", "severity": "none", "text": "The canteen closes far too early."},
    {"id": "c", "source": "survey", "severity": "high", "text": "He sneers at the Polish lads every shift."},
]
NAMES_IDENTITY = re.compile(r"\b(" + "|".join(re.escape(t) for v in LEXICON.values() for t in v) + r")\b", re.I)


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
    from training.augment import _GROUP_FRAMES
    from training.invariance import CHECK_FRAMES

    assert not set(CHECK_FRAMES) & set(_GROUP_FRAMES)
    words = {frozenset(re.findall(r"[a-z]+", f.lower())) for f in _GROUP_FRAMES}
    for frame in CHECK_FRAMES:  # no check frame is a training frame with a word or two changed
        own = frozenset(re.findall(r"[a-z]+", frame.lower()))
        assert all(len(own & w) / len(own | w) < 0.5 for w in words), frame


def test_the_flip_interval_resamples_items_and_holds_the_rate():
    # "a" flips on every swap, "c" never: the rate sits between, and resampling the two items
    # reaches both ends (a copy-level resample of this many copies would rarely do so)
    figures = measure(_flag_if(lambda t: "Polish colleague" in t), RECORDS)["swap"]
    low, high = figures["flip_rate_interval_90"]
    assert figures["items"] == 2 and 0.0 < figures["flip_rate"] < 1.0
    assert low == 0.0 and high == 1.0
