"""First names and nicknames that spaCy's small model misses, and the name lists they come from
(Faker's name lists for ~50 locales, rare capitalised words by `wordfreq` frequency)."""

from __future__ import annotations

import importlib
import re
from functools import lru_cache

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from service.pipeline.recognizers.words import (
    ALLOW_LIST,
    EXTRA_FIRST_NAMES,
    NAME_LOCALES,
    NAME_WORDS,
    PERSON_CUES,
    fold,
)


class FirstNameRecognizer(EntityRecognizer):
    """Names spaCy's small model misses: standalone first names ("Dave said…"), lowercase names in
    informal comments, and rare capitalised words used as names ("Seun", "Eilidh"), extended over
    a following capitalised surname. Common English words only count as names when spaCy says so.
    """

    CUES = PERSON_CUES
    RARE_ZIPF = 2.6  # rarer than this in English, a capitalised word is probably a name
    LOWER_RARE_ZIPF = 2.0

    def __init__(self, names: frozenset[str], common_words: frozenset[str]):
        self.names = names
        self.common = common_words
        super().__init__(supported_entities=["PERSON"], name="FirstNameRecognizer", supported_language="en")

    def load(self) -> None:
        pass

    @staticmethod
    def _zipf(word: str) -> float:
        from wordfreq import zipf_frequency

        return zipf_frequency(word, "en")

    def _is_name(self, word: str, low: str, capitalised: bool, cued: bool = False) -> bool:
        """Known English-speaking first names, other known names unless they are also common English
        words ("Line", "Floor"), and (capitalised only) words too rare to be ordinary English."""
        if low in ALLOW_LIST or low in self.common or len(low) < 2 or word.isupper():
            return False
        folded = fold(word)
        if folded in _english_names() or ("-" in folded and folded.split("-")[0] in self.names):
            return True
        zipf = self._zipf(low)
        if capitalised and cued and zipf < 3.5:  # "Takumi said…", "Santiago is covering…"
            return True
        if folded in self.names and zipf < (3.5 if capitalised else 3.0):
            return True
        return len(low) >= 3 and zipf < (self.RARE_ZIPF if capitalised else self.LOWER_RARE_ZIPF)

    def _known_name(self, word: str) -> bool:
        folded = fold(re.split(r"['’]", word)[0])
        return word[:1].isupper() and (folded in _english_names(include_common=True) or folded in self.names)

    def _listed(self, text: str, tokens: list, i: int) -> bool:
        """A name among names ("Managers: Will, Grace, Bill and Frank"): a neighbour across a comma,
        slash, "&" or "and" is also a capitalised first name, so a word like "Will" is one too."""
        for step in (-1, 1):
            j = i + step
            if 0 <= j < len(tokens) and tokens[j].group().lower() in ("and", "or"):
                j += step
            if not 0 <= j < len(tokens):
                continue
            a, b = sorted((i, j))
            gap = text[tokens[a].end() : tokens[b].start()]
            if LIST_GAP.fullmatch(gap) and gap.strip() and self._known_name(tokens[j].group()):
                return True
        return False

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None):
        results: list[RecognizerResult] = []
        tokens = list(WORD.finditer(text))
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            word = re.split(r"['’]", tok.group())[0]
            low = word.lower()
            prev = tokens[i - 1].group().lower() if i else ""
            nxt = tokens[i + 1].group().lower() if i + 1 < len(tokens) else ""
            sentence_start = i == 0 or re.search(r"[.!?:\n]\s*$", text[: tok.start()]) is not None
            ambiguous = (
                word[:1].isupper()
                and low in self.common
                and low in _english_names(include_common=True)
                and ((not sentence_start and (prev in self.CUES or nxt in self.CUES)) or self._listed(text, tokens, i))
            )
            if word[:1].isupper() and (ambiguous or self._is_name(word, low, True, nxt in self.CUES)):
                start, end = tok.start(), tok.start() + len(word)
                if prev == "big" or prev == "little":  # "Big Dave" is a nickname, all of it
                    start = tokens[i - 1].start()
                j = i + 1
                known = fold(word) in _english_names(include_common=True) or fold(word) in self.names
                while (
                    j < len(tokens) and text[end : tokens[j].start()].strip() == "" and tokens[j].group()[:1].isupper()
                ):
                    nxt_word = re.split(r"['’]", tokens[j].group())[0]
                    nlow = nxt_word.lower()
                    # a surname after a known first name may be an ordinary word ("Natalie Cross")
                    if nlow in ALLOW_LIST or nlow in _stop_words() or (not known and self._zipf(nlow) >= 4.0):
                        break
                    end = tokens[j].start() + len(nxt_word)
                    j += 1
                results.append(RecognizerResult("PERSON", start, end, 0.6))
                i = j
                continue
            if (
                word.islower()
                and (prev in self.CUES or nxt in self.CUES)
                and len(low) >= 3
                and self._is_name(word, low, False)
            ):
                results.append(RecognizerResult("PERSON", tok.start(), tok.start() + len(word), 0.55))
            i += 1
        return results


LIST_GAP = re.compile(r"\s*(?:,|/|&|\+|;)?\s*(?:(?:and|or)\s+)?", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_][^\W\d_'’\-]*(?:['’\-][^\W\d_]+)*")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Latin-script first names across Faker locales (lowercased)."""
    attrs = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
    names = {n for n in _faker_first_names(NAME_LOCALES, attrs) if n.isascii() and n.isalpha() and len(n) >= 3}
    return frozenset(names | set(EXTRA_FIRST_NAMES))


def _faker_first_names(locales, attrs=("first_names", "first_names_male", "first_names_female")) -> set[str]:
    """Folded first names from Faker's person providers (locales Faker lacks are skipped)."""
    names: set[str] = set()
    for locale in locales:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ModuleNotFoundError:
            continue
        for attr in attrs:
            pool = getattr(provider, attr, None)
            if isinstance(pool, list | tuple | dict | set | frozenset):  # some are computed properties
                names.update(fold(n) for n in pool)
    return names


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@lru_cache(maxsize=2)
def _english_names(include_common: bool = False) -> frozenset[str]:
    """First names of English-speaking locales plus the extra list: trusted even in lowercase.
    With include_common, also names that are ordinary words ("Grace", "June")."""
    out = set(EXTRA_FIRST_NAMES) | _faker_first_names(("en_US", "en_GB", "en_IE", "en_NZ"))
    return frozenset(out | NAME_WORDS) if include_common else frozenset(out - common_words())


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """English words that are also first names; they only count as names when spaCy says so."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(set(STOP_WORDS) | NAME_WORDS | ALLOW_LIST)
