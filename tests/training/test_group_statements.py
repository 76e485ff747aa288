"""The statements about a group written for training (training/group_statements.py): their labels,
their groups, their seeds, and their distance from the wording of the checks that measure them."""

import json
import re
from pathlib import Path


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
    from training.group_frames import HATE_FRAMES, MENTION_FRAMES
    from training.group_statements import group_hate, group_mentions, group_phrases

    made = group_hate(n=50)
    assert len({r["id"] for r in made}) == 50
    assert all(r["severity"] == "high" and r["themes"] == ["discrimination"] for r in made)
    assert not {r["id"] for r in made} & {r["id"] for r in group_mentions(n=50)}
    phrases = group_phrases()
    assert all(any(p.lower() in r["text"].lower() for p in phrases) for r in made)
    assert group_hate(n=50) == made  # seeded
    assert not set(HATE_FRAMES) & set(MENTION_FRAMES)


def test_group_counter_is_clean_in_the_hate_statements_groups_and_seeded():
    from training.group_frames import COUNTER_FRAMES, HATE_FRAMES
    from training.group_statements import group_counter, group_hate, group_phrases

    made = group_counter(n=50)
    assert len({r["id"] for r in made}) == 50
    assert all(r["severity"] == "none" and r["themes"] == [] and r["urgent_reasons"] == [] for r in made)
    assert not {r["id"] for r in made} & {r["id"] for r in group_hate(n=50)}
    phrases = group_phrases()
    assert all(any(p.lower() in r["text"].lower() for p in phrases) for r in made)
    assert group_counter(n=50) == made  # seeded
    assert group_counter() == []  # off unless asked for
    assert not set(COUNTER_FRAMES) & set(HATE_FRAMES)


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


# The threat frames' words of violence, weapons and harm: statements meant to be high must have none.
_DANGER = re.compile(
    r"\b(?:kill|stab|shot|shoot|bullet|knife|machete|hammer|crowbar|brick|bats?|noose|burn|torch|gass|bleed"
    r"|strangle|hospital|hurt|beat|smash|kick|drag|run over|freezer|die|dead)\w*",
    re.IGNORECASE,
)


def _five_grams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z']+", text.lower().replace("{group}", " ").replace("{g}", " "))
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def test_no_training_frame_shares_five_words_with_the_fairness_suite_or_the_validation_checks():
    """The suite and the validation checks measure what the augmentation teaches: a frame that borrowed
    their wording would make them easier, not the model better."""
    from training import group_frames, invariance

    suite = Path(__file__).resolve().parents[2] / "eval" / "fairness" / "data" / "hate_functional.jsonl"
    held = [json.loads(line)["template"] for line in suite.read_text().splitlines() if line]
    held += invariance.CHECK_FRAMES + invariance.CHECK_HATE_FRAMES + invariance.CHECK_COUNTER_FRAMES
    held += invariance.CHECK_THREAT_FRAMES
    held_grams = set().union(*(_five_grams(t) for t in held))
    # Every frame list of the module, so that a list added later is checked without being named here.
    lists = [v for name, v in vars(group_frames).items() if name.endswith("_FRAMES")]
    assert len(lists) >= 7  # mentions, hate, counter, threats, contrasts, hate twins, job threats
    frames = [frame for frame_list in lists for frame in frame_list]
    shared = {frame: _five_grams(frame) & held_grams for frame in frames}
    assert {f: g for f, g in shared.items() if g} == {}
    assert _five_grams("{g} will get hurt on the night shift") & _five_grams("{group} will get hurt on the night shift")


def test_threat_contrast_is_clean_in_the_threats_settings_and_seeded():
    from training.group_frames import THREAT_CONTRAST_FRAMES, THREAT_FRAMES
    from training.group_statements import group_threat_contrast

    made = group_threat_contrast(n=50)
    assert len({r["id"] for r in made}) == 50
    assert all(r["severity"] == "none" and r["themes"] == [] and r["urgent_reasons"] == [] for r in made)
    assert group_threat_contrast(n=50) == made and group_threat_contrast() == []
    assert len(THREAT_CONTRAST_FRAMES) == len(THREAT_FRAMES)
    assert not set(THREAT_CONTRAST_FRAMES) & set(THREAT_FRAMES)


def test_threat_hate_twins_are_high_discrimination_without_the_threats_danger_words():
    """Each threat frame has a hate twin in its setting; the twin must not keep the violence, or it
    would teach that a threat of harm is merely high."""
    from training.group_frames import THREAT_FRAMES, THREAT_HATE_FRAMES
    from training.group_statements import group_threat_hate

    made = group_threat_hate(n=50)
    assert len({r["id"] for r in made}) == 50
    assert all(
        r["severity"] == "high" and r["themes"] == ["discrimination"] and r["urgent_reasons"] == [] for r in made
    )
    assert group_threat_hate(n=50) == made and group_threat_hate() == []
    assert len(THREAT_HATE_FRAMES) == len(THREAT_FRAMES)
    assert [f for f in THREAT_HATE_FRAMES if _DANGER.search(f)] == []
    assert all(_DANGER.search(f) for f in THREAT_FRAMES[:3])  # the pattern can fail


def test_job_threats_are_high_intimidation_without_violence_and_seeded():
    """A threat to a group's jobs is intimidation, high; a frame that kept a word of violence would
    teach the opposite of what it is for."""
    from training.group_frames import JOB_THREAT_FRAMES
    from training.group_statements import group_job_threats, group_threats

    made = group_job_threats(n=50)
    assert len({r["id"] for r in made}) == 50
    assert all(r["severity"] == "high" and r["urgent_reasons"] == [] for r in made)
    assert all(r["themes"] == ["discrimination", "intimidation"] for r in made)
    assert not {r["id"] for r in made} & {r["id"] for r in group_threats(n=50)}
    assert group_job_threats(n=50) == made and group_job_threats() == []
    assert len(set(JOB_THREAT_FRAMES)) == len(JOB_THREAT_FRAMES) >= 20
    assert [f for f in JOB_THREAT_FRAMES if _DANGER.search(f)] == []
