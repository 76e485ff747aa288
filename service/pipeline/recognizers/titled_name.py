"""Names after a title ("Mr Okafor", "Dr. van der Berg", "Frau Weber")."""

from __future__ import annotations

from service.pipeline.recognizers.regex import RegexRecognizer
from service.pipeline.recognizers.words import ENGLISH_TITLES, OTHER_TITLES

PERSON_TITLE = RegexRecognizer(
    "PERSON",
    [
        (
            r"\b(?:" + "|".join(ENGLISH_TITLES + OTHER_TITLES) + r")\.?\s+"
            r"(?:[A-Z]\.\s*)?(?:(?:van|von|der|den|de|da|di|du|la|le|al|el|bin|ibn|ter)\s+)*"
            r"[A-Z][\w'’]*(?:-[A-Za-z]\w*)*(?![\w-])"
            r"(?:\s+(?:(?:van|von|der|den|de|da|di|du|la|le|al|el|bin|ibn|ter)\s+)*[A-Z][\w'’]*(?:-[A-Za-z]\w*)*(?![\w-]))?",
            0.9,
        )
    ],
    name="TitledNameRecognizer",
)
