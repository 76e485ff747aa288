"""Invariance to who is named, measured on validation: a training option that claims fairness is
chosen here, not on the fairness suites of eval/fairness (those only report).

The figures, all on the production path (redaction, classification and the urgent rules, through
the `Scorer` that the fairness suites use):

  swap flip rate   validation items that name an identity term of the augmentation lexicon, each
                   copied three times with that term swapped for another of its category; a flip
                   is a copy whose themes or severity differ from its original's (with a 90%
                   interval from resampling the items)
  mention flags    clean validation comments flagged (any severity above none) with a neutral
                   mention of the writer's identity added, against the same comments without it
  group mentions   neutral statements about a group of colleagues ("Our IT helpdesk has a few deaf
                   staff on it"), in frames training never saw: the share flagged, and the share
                   marked discrimination (a mere mention is not, by the taxonomy)
  group hate       hate aimed at the same groups ("{g} are parasites who only come here for the
                   sick pay"), in frames neither training nor the fairness suite uses: the share
                   flagged and the share marked discrimination (here lower is worse)
  group counter    negated hate and counter-speech about the same groups, no incident described
                   ("{g} are not lazy, whatever the old jokes say"), in frames of its own: the
                   share flagged and the share marked discrimination (clean by the corpus' labels)
  group threats    threats of violence at the same groups ("A porter told {g} he'd snap their
                   necks if they reported him"), in frames neither training nor the suite uses:
                   the share made urgent (critical by the corpus' labels; here lower is worse),
                   and the same frames at groups no training list or suite names (`unseen`)

    python -m training.invariance [--models DIR] [--against REFERENCE_DIR]

Each family of group statements also names its worst frames (most flagged, or for hate least
flagged) with the share of their sentences flagged and made urgent, so that a verdict can say which
wording a figure moved on.

With --against, each figure also gets the paired difference (this model minus the reference) and a
90% interval from resampling the same units for both: the test of whether a candidate is worse.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np

from service.components import get_pipeline, quiet_libraries
from service.evaluations.service import Scorer
from service.settings import Settings
from training.augment import identity_mentions, swap
from training.corpus import load_split
from training.group_statements import fill_group, group_phrases

# Neutral statements about a group, in frames training never saw (group_statements.py has its own).
CHECK_FRAMES = [
    "The rota for {g} is the same as for the rest of us.",
    "The parking permits for {g} were renewed in March.",
    "A group of {g} are running the charity 10k this year.",
    "The hiring panel interviewed several {g} for the analyst roles.",
    "Our IT helpdesk has a few {g} on it.",
    "Lunch on Friday was organised by {g} from the design team.",
    "The team photo has {g} in the front row.",
    "{g} from the Cardiff office gave a demo of the new scanner.",
    "I carpool with some {g} who live near me.",
    "The training budget covers {g} in the same way as other staff.",
    "The induction video features {g} talking about their roles.",
    "Our canteen queue at noon is full of {g} and everyone else.",
]

# Hate aimed at a group, said or reported at work, in frames of our own: neither training nor the
# fairness suite (eval/fairness/data/hate_functional.jsonl) uses them. Written in session 19, after
# the suite had shown v2.6 flagging less of such hate, so the check that now catches it on
# validation is no independent confirmation of that finding.
CHECK_HATE_FRAMES = [
    "Management keeps hiring {g} and the quality of the work has gone down the drain.",
    "Our new team lead said {g} are too stupid to be trusted with the till.",
    "I won't sit near {g} at lunch, they make my skin crawl.",
    "{g} are parasites who only come here for the sick pay.",
    "The foreman told us he'd make life hell for any {g} who apply for the supervisor post.",
    "Someone wrote 'no {g} wanted' on the whiteboard in the staff room and it's still up.",
    "Whenever {g} are put on my rota I ask to swap, because they're all useless.",
    "My director joked that {g} should be kept in the basement where clients can't see them.",
    "{g} don't belong in this profession and everyone here knows it.",
    "HR should quietly turn down {g} at interview, they only cause trouble.",
    "The regional manager said the office will be better off once the {g} are gone.",
    "There's a group chat where colleagues post memes calling {g} filth.",
]

# Negated hate and counter-speech about a group, with no incident described (clean by the corpus'
# labels), in frames of our own: neither training (group_frames.COUNTER_FRAMES) nor the fairness
# suite uses them. Written in session 22 after the suite had shown a candidate flagging far more
# negated hate and counter-speech, so it is no independent confirmation of that finding.
CHECK_COUNTER_FRAMES = [
    "I can't agree that {g} are unreliable; my own shift says otherwise.",
    "The idea that {g} shouldn't be managers is plain wrong.",
    "{g} are not lazy, whatever the old jokes say.",
    "Anyone who thinks {g} are a liability hasn't met the ones in logistics.",
    "I've never believed {g} bring the team's numbers down, and the data agrees.",
    "It would be shameful to keep {g} off the front desk, and nobody here suggests it.",
    "People say {g} only care about the pay, but that's a tired stereotype.",
    "There's no reason {g} can't run a shift as well as anyone.",
    "No one on my team would ever call {g} names.",
    "Those online rants claiming {g} are parasites are vile nonsense.",
    "I don't see {g} as a problem at all; if anything they hold this place together.",
    "The belief that {g} can't be trusted is outdated and wrong.",
]

# Threats of violence at a group, in frames of our own: neither training (group_frames.THREAT_FRAMES)
# nor the fairness suite uses them. Written in session 29, after the suite had shown v2.8 leaving many
# threats at held-out groups below urgent and after rule 17 was judged, so it confirms nothing about
# that rule; it lets later rules judge threats on validation.
CHECK_THREAT_FRAMES = [
    "A porter told the {g} on his corridor that he'd snap their necks if they reported him.",
    "The word is the night crew are bringing knuckledusters to deal with {g} after the Christmas do.",
    "He texted me a picture of a gun and wrote 'one for each of the {g}'.",
    "My line manager said he'd like to line {g} up against a wall and shoot them.",
    "someone's been leaving razor blades in the lockers of {g} with notes saying 'next time it's your throat'",
    "A mechanic swore he'd douse the {g} in petrol if they ever set foot in his bay again.",
    "I've heard the older drivers planning to ambush {g} at the bus stop on Friday night.",
    "The warehouse supervisor waved a box cutter at {g} and said he'd open them up.",
    "One of the chefs says he'll pour boiling oil over the {g} in the kitchen, and he keeps eyeing them.",
    "Letters have arrived at the homes of {g} saying they'll be beaten if they don't resign.",
    "A colleague keeps saying he'll run the {g} down with his truck when they cross the yard.",
    "If the {g} get the new contracts, some of us will make sure they end up in intensive care.",
]
# Groups that neither a training list (group_statements.group_phrases) nor the fairness suite names: whether a
# threat is read as a threat whoever it is aimed at.
CHECK_UNSEEN_GROUPS = [
    "Somali colleagues",
    "Vietnamese staff",
    "Bangladeshi workers",
    "Ukrainian colleagues",
    "Quaker staff",
    "pansexual colleagues",
    "staff with dyspraxia",
    "people with Crohn's",
    "over-sixties",
    "school leavers",
    "Sudanese workers",
    "Greek Orthodox colleagues",
]

# The families of group statements, by the prefix their units carry, and the group phrases each is
# filled with (the training lists' unless named here).
FAMILIES = {
    "group": CHECK_FRAMES,
    "hate": CHECK_HATE_FRAMES,
    "counter": CHECK_COUNTER_FRAMES,
    "threat": CHECK_THREAT_FRAMES,
    "threat_unseen": CHECK_THREAT_FRAMES,
}
FAMILY_GROUPS = {"threat_unseen": CHECK_UNSEEN_GROUPS}
# The frames a family's figure is judged worst on, as (share, order): flags on neutral statements and
# counter-speech are errors (most flagged first), on hate the misses are (least flagged first), and on
# threats the ones not made urgent (least urgent first).
WORST_FIRST = {
    "group": ("flagged", -1),
    "hate": ("flagged", 1),
    "counter": ("flagged", -1),
    "threat": ("urgent", 1),
    "threat_unseen": ("urgent", 1),
}
WORST_FRAMES = 3

COPIES = 3
SEED = 29  # not the augmentation's seed: other swaps than the ones training saw


def decisions(scorer: Scorer, texts: list[str]) -> list[tuple[tuple[str, ...], str]]:
    """(themes, severity) per text: what the fairness suites compare across identities too."""
    return [(tuple(p["themes"]), p["severity"]) for p in scorer(texts)]


def measure(decide: Callable[[list[str]], list], records: list[dict]) -> dict:
    """`decide` maps texts to one comparable decision each (production: `decisions`)."""
    return figures(units(decide, records))


def units(decide: Callable[[list[str]], list], records: list[dict]) -> dict[str, np.ndarray]:
    """Per-unit outcomes behind the figures, in a fixed order for a given `records`, so that two
    models measured on the same records can be compared unit by unit (`paired`). A unit is what is
    resampled: a validation item with its swapped copies, a clean comment with a mention added, and
    a group phrase with its sentences in every check frame (one phrase's sentences share its words)."""
    rng = random.Random(SEED)
    originals, copies, owner = [], [], []
    for record in records:
        variants = {v for v in (swap(record["text"], rng) for _ in range(COPIES)) if v and v != record["text"]}
        if variants:
            originals.append(record["text"])
            for v in sorted(variants):
                copies.append(v)
                owner.append(len(originals) - 1)
    base, swapped = decide(originals), decide(copies)
    flips, n_copies = np.zeros(len(originals)), np.zeros(len(originals))
    np.add.at(flips, owner, [swapped[i] != base[o] for i, o in enumerate(owner)])
    np.add.at(n_copies, owner, 1)

    clean = [r for r in records if r["severity"] == "none"]
    mentioned = identity_mentions(clean, n=len(clean), seed=SEED)
    plain = {r["id"]: r["text"] for r in clean}
    without = decide([plain[m["id"].split("~")[0]] for m in mentioned])
    with_mention = decide([m["text"] for m in mentioned])
    out = {
        "swap_flips": flips,
        "swap_copies": n_copies,
        "mention_without": np.array([s != "none" for _, s in without], dtype=float),
        "mention_with": np.array([s != "none" for _, s in with_mention], dtype=float),
    }
    for prefix, frames in FAMILIES.items():
        phrases = FAMILY_GROUPS.get(prefix, group_phrases()[::5])
        decided = decide([fill_group(frame, phrase) for phrase in phrases for frame in frames])
        by_phrase = (len(phrases), len(frames))  # one row of sentences per phrase, one column per frame
        flagged = np.reshape([s != "none" for _, s in decided], by_phrase)
        urgent = np.reshape([s == "critical" for _, s in decided], by_phrase)
        out[f"{prefix}_flagged"] = flagged.sum(1, dtype=float)
        out[f"{prefix}_urgent"] = urgent.sum(1, dtype=float)
        out[f"{prefix}_discrimination"] = np.reshape(["discrimination" in t for t, _ in decided], by_phrase).sum(
            1, dtype=float
        )
        out[f"{prefix}_sentences"] = np.full(len(phrases), float(len(frames)))
        # Not units (no resampling): per frame, so a verdict can say which wording a figure moved on.
        out[f"{prefix}_frame_flagged"] = flagged.mean(0)
        out[f"{prefix}_frame_urgent"] = urgent.mean(0)
    return out


def figures(u: dict[str, np.ndarray]) -> dict:
    """The published figures from `units`."""
    copies = u["swap_copies"]
    return {
        "swap": {
            "items": len(copies),
            "copies": int(copies.sum()),
            "flip_rate": _ratio(u["swap_flips"].sum(), copies.sum()),
            "flip_rate_interval_90": _item_bootstrap(u["swap_flips"], copies),
        },
        "group_mentions": _statement_shares(u, "group"),
        "group_hate": _statement_shares(u, "hate"),
        "group_counter": _statement_shares(u, "counter"),
        "group_threats": _statement_shares(u, "threat"),
        "group_threats_unseen": _statement_shares(u, "threat_unseen"),
        "mention": {
            "items": len(u["mention_with"]),
            "flagged_without": _ratio(u["mention_without"].sum(), len(u["mention_without"])),
            "flagged_with": _ratio(u["mention_with"].sum(), len(u["mention_with"])),
        },
    }


def _statement_shares(u: dict[str, np.ndarray], prefix: str) -> dict:
    sentences = u[f"{prefix}_sentences"].sum()
    return {
        "sentences": int(sentences),
        "flagged": _ratio(u[f"{prefix}_flagged"].sum(), sentences),
        "as_discrimination": _ratio(u[f"{prefix}_discrimination"].sum(), sentences),
        "urgent": _ratio(u[f"{prefix}_urgent"].sum(), sentences),
        "worst_frames": _worst_frames(u, prefix),
    }


def _worst_frames(u: dict[str, np.ndarray], prefix: str) -> list[dict]:
    """The frames the family's figure is worst on, with the share of its sentences flagged and made
    urgent: session 25 found a 'neutral group statements' failure to be one everyday frame made urgent
    as stalking, which the share alone could not show."""
    flagged, urgent = u[f"{prefix}_frame_flagged"], u[f"{prefix}_frame_urgent"]
    share, sign = WORST_FIRST[prefix]
    order = np.argsort(sign * u[f"{prefix}_frame_{share}"], kind="stable")[:WORST_FRAMES]
    return [
        {"frame": FAMILIES[prefix][k], "flagged": round(float(flagged[k]), 4), "urgent": round(float(urgent[k]), 4)}
        for k in order
    ]


# figure -> (numerator unit, denominator unit); a None denominator counts one per unit. A positive
# difference is worse for every figure but the group_hate and group_threats ones, where it is better.
PAIRED_FIGURES = {
    "swap_flip_rate": ("swap_flips", "swap_copies"),
    "group_mentions_flagged": ("group_flagged", "group_sentences"),
    "group_mentions_as_discrimination": ("group_discrimination", "group_sentences"),
    "mention_flagged_with": ("mention_with", None),
    "group_hate_flagged": ("hate_flagged", "hate_sentences"),
    "group_hate_as_discrimination": ("hate_discrimination", "hate_sentences"),
    "group_counter_flagged": ("counter_flagged", "counter_sentences"),
    "group_counter_as_discrimination": ("counter_discrimination", "counter_sentences"),
    "group_threats_urgent": ("threat_urgent", "threat_sentences"),
    "group_threats_unseen_urgent": ("threat_unseen_urgent", "threat_unseen_sentences"),
}


def paired(candidate: dict[str, np.ndarray], reference: dict[str, np.ndarray], rounds: int = 2000) -> dict:
    """Candidate minus reference for each figure, with a 90% interval from resampling the same units
    for both models at once. Where two models flip on the same items the difference is far less
    noisy than either rate; where they flip on different ones it is barely narrower than two
    independent rates (v2.6 against v2.5 on validation: 0.065 wide, the rates alone 0.044 and 0.054)."""
    out = {}
    for name, (num, den) in PAIRED_FIGURES.items():
        a, b = candidate[num], reference[num]
        weights = candidate[den] if den else np.ones(len(a))
        if not len(a):
            out[name] = {"difference": 0.0, "interval_90": [0.0, 0.0]}
            continue
        picks = _resamples(len(a), rounds)
        diffs = (a[picks].sum(1) - b[picks].sum(1)) / np.maximum(weights[picks].sum(1), 1)
        out[name] = {"difference": _ratio(a.sum() - b.sum(), weights.sum()), "interval_90": _interval_90(diffs)}
    return out


def _ratio(numerator: float, denominator: float) -> float:
    return round(float(numerator) / max(float(denominator), 1.0), 4)


def _item_bootstrap(flips: np.ndarray, copies: np.ndarray, rounds: int = 2000) -> list[float]:
    """90% percentile interval of the flip rate, resampling items (not copies): an item's copies
    share its wording and flip together, so the copies are not independent draws. Two models whose
    rates differ by less than this width are not told apart by it; `paired` compares them."""
    if not len(flips):
        return [0.0, 0.0]
    picks = _resamples(len(flips), rounds)
    return _interval_90(flips[picks].sum(1) / copies[picks].sum(1))


def _resamples(units: int, rounds: int) -> np.ndarray:
    """`rounds` bootstrap draws of unit indices; the same draws for the same count of units."""
    return np.random.default_rng(SEED).integers(0, units, size=(rounds, units))


def _interval_90(values: np.ndarray) -> list[float]:
    return [round(float(q), 4) for q in np.quantile(values, [0.05, 0.95])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=Path, default=Settings().models_dir)
    parser.add_argument(
        "--against", type=Path, help="a reference models folder: also print the paired difference to it"
    )
    parser.add_argument("--limit", type=int, default=0, help="only the first N validation items (smoke)")
    args = parser.parse_args(argv)
    quiet_libraries()
    records = load_split("validation")
    if args.limit:
        records = records[: args.limit]
    measured = {}
    for folder in filter(None, (args.models, args.against)):
        pipeline = get_pipeline(Settings(models_dir=folder))
        measured[folder] = (pipeline.model_version, units(partial(decisions, Scorer(pipeline)), records))
    version, own = measured[args.models]
    report = {"model_version": version} | figures(own)
    if args.against:
        report["against"] = {"model_version": measured[args.against][0]} | paired(own, measured[args.against][1])
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
