"""Corpus statistics that show (or expose) its variety, and the near-duplicate filter.

Measures are deliberately simple and stated. A misspelling is a lowercase-led alphabetic word of 3+
letters that wordfreq has never seen in English, or a rare one (Zipf < 3) with a common word
(Zipf >= 3.5, at least 1.5 higher) one edit away ("managment", "recieve": the web has seen common
typos, so "never seen" alone misses most real ones; reported separately as `share_unknown_word`).
"Names its theme" means the text contains one of the
theme's obvious keywords below; near-duplicates are pairs with word 1-3-gram TF-IDF cosine >= 0.9.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

NEAR_DUPLICATE_COSINE = 0.9
THEME_KEYWORDS = {
    "verbal_abuse": r"insult|abus|swore|swear|shout|yell|scream|name[- ]call",
    "humiliation": r"humiliat|mock|ridicul|belittl|embarrass|laughing at",
    "exclusion": r"exclu|ignor|left out|leave me out|silent treatment|isolat",
    "work_obstruction": r"sabotag|withh[oe]ld|micromanag|obstruct|impossible deadline",
    "unfair_criticism": r"critici|blame|unfair|took credit|takes credit",
    "gossip_rumours": r"rumou?r|gossip",
    "intimidation": r"intimidat|threat|menac",
    "physical_violence": r"assault|violen|punch|hit me|shov|push",
    "sexual_harassment": r"sexual|harass|inappropriate",
    "discrimination": r"discriminat|racis|sexis|homophob|transphob|ageis|islamophob|antisemit|bigot|prejudic",
    "retaliation": r"retaliat|punish|reveng|whistleblow",
    "distress": r"anxiety|anxious|depress|stress|panic|breakdown|mental health",
}
_KEYWORDS = {t: re.compile(rf"\b(?:{p})", re.IGNORECASE) for t, p in THEME_KEYWORDS.items()}
_WORD = re.compile(r"(?<![<\w])[A-Za-z]{3,}(?![\w>])")


def drop_near_duplicates(records: list[dict]) -> tuple[list[dict], dict]:
    """Keep the first of every group of near-identical texts (input order is deterministic)."""
    if len(records) < 2:
        return records, {"pairs_checked": 0, "dropped": 0, "rate": 0.0}
    vectors = TfidfVectorizer(ngram_range=(1, 3), sublinear_tf=True, min_df=1).fit_transform(
        [r["text"] for r in records]
    )
    dropped: set[int] = set()
    for start in range(0, len(records), 1000):
        block = (vectors[start : start + 1000] @ vectors.T).tocoo()
        for i, j, v in zip(block.row + start, block.col, block.data, strict=True):
            if j < i and v >= NEAR_DUPLICATE_COSINE and j not in dropped:
                dropped.add(int(i))
    kept = [r for k, r in enumerate(records) if k not in dropped]
    return kept, {
        "dropped": len(dropped),
        "rate_before_filter": round(len(dropped) / len(records), 4),
        "threshold_cosine": NEAR_DUPLICATE_COSINE,
    }


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return _ZIPF.setdefault(word, zipf_frequency(word, "en"))


_ZIPF: dict[str, float] = {}


def _edits(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away (Norvig's edits1)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return deletes | transposes | replaces | inserts


def _typo(word: str) -> bool:
    if not word[0].islower():  # capitalised: a name as often as not
        return False
    z = _zipf(word)
    if z == 0:
        return True
    if z >= 3.0:
        return False
    best = max((_zipf(c) for c in _edits(word) if c != word), default=0.0)
    return best >= 3.5 and best >= z + 1.5


_TYPO: dict[str, bool] = {}


def _misspelt(text: str) -> bool:
    return any(_TYPO.setdefault(w, _typo(w)) for w in _WORD.findall(text))


def _unknown_word(text: str) -> bool:
    return any(_zipf(w.lower()) == 0 for w in _WORD.findall(text))


def _quantiles(values: list[int]) -> dict:
    if not values:
        return {}
    q = np.percentile(values, [0, 10, 50, 90, 99, 100])
    return dict(zip(("min", "p10", "median", "p90", "p99", "max"), (int(round(x)) for x in q), strict=True))


def _counts(records: list[dict]) -> dict:
    return {
        "items": len(records),
        "source": dict(Counter(r["source"] for r in records)),
        "severity": dict(Counter(r["severity"] for r in records)),
        "themes": dict(Counter(t for r in records for t in r["themes"])),
        "urgent_reasons": dict(Counter(x for r in records for x in r["urgent_reasons"])),
        "clean_share": round(sum(r["severity"] == "none" for r in records) / max(len(records), 1), 3),
        "urgent_share": round(sum(r["severity"] == "critical" for r in records) / max(len(records), 1), 4),
    }


def summary(records: list[dict], splits: dict[str, list[dict]], *, near_dups: dict, dropped: dict) -> dict:
    words = {src: [len(r["text"].split()) for r in records if r["source"] == src] for src in ("survey", "report")}
    themed = [r for r in records if r["themes"]]
    names_theme = [any(_KEYWORDS[t].search(r["text"]) for t in r["themes"]) for r in themed]
    per_theme_named = {
        t: round(float(np.mean([bool(_KEYWORDS[t].search(r["text"])) for r in themed if t in r["themes"]] or [0])), 3)
        for t in THEME_KEYWORDS
    }
    return {
        **_counts(records),
        "length_words": {src: _quantiles(v) for src, v in words.items()},
        "share_misspelled": round(float(np.mean([_misspelt(r["text"]) for r in records])), 3),
        "share_unknown_word": round(float(np.mean([_unknown_word(r["text"]) for r in records])), 3),
        "share_lowercase_only": round(float(np.mean([r["text"] == r["text"].lower() for r in records])), 3),
        "share_non_native": round(float(np.mean([r.get("voice") == "nonnative" for r in records])), 3),
        "voices": dict(Counter(r.get("voice") for r in records)),
        "share_themed_naming_a_theme_keyword": round(float(np.mean(names_theme or [0])), 3),
        "share_naming_keyword_by_theme": per_theme_named,
        "share_with_placeholders": round(
            float(np.mean([bool(re.search(r"<[A-Z]+_\d+>", r["text"])) for r in records])), 3
        ),
        "near_duplicates": near_dups,
        "left_out": dropped,
        "splits": {name: _counts(split) for name, split in splits.items()},
    }
