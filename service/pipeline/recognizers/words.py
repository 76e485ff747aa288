"""The recognizers' word lists, read once from the text files in words/ (data, not code), and
`fold`, the one way words are compared with them."""

from __future__ import annotations

import unicodedata
from importlib.resources import files


def read_words(name: str) -> frozenset[str]:
    """The words of words/<name>.txt: whitespace-separated, `#` starts a comment line."""
    text = files(__package__).joinpath("words", f"{name}.txt").read_text(encoding="utf-8")
    return frozenset(word for line in text.splitlines() if not line.startswith("#") for word in line.split())


def fold(word: str) -> str:
    """Lowercase without diacritics, so "Siobhán" matches "siobhan"."""
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


ALLOW_LIST = frozenset(w.lower() for w in read_words("allow_list"))
NAME_WORDS = read_words("name_words")
EXTRA_FIRST_NAMES = read_words("extra_first_names")
NAME_LOCALES = tuple(sorted(read_words("name_locales")))
PERSON_CUES = read_words("person_cues")
PLACE_CUES = read_words("place_cues")
# Redaction's test for "a place, not a person" on NER's one-word LOCATIONs reads two more words
# than the place recognizer's cues; both as measured (eval/pii/metrics.json).
PLACE_PREPOSITIONS = PLACE_CUES | {"into", "across"}
# Titles before a name. Only the English ones are stripped from a person's key in redaction, so
# "Herr Weber" and "Weber" keep separate placeholders, as they always have.
ENGLISH_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Sir", "Dame")
OTHER_TITLES = ("Herr", "Frau", "Pani", "Pan")
