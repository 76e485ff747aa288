"""Workplace recognizers that Presidio's defaults lack, and the allow-list of non-names.

Each recognizer is a list of regexes; a regex with a group marks only that group (e.g. the number
after "staff no."), so the surrounding cue words stay readable for reviewers.
"""

from __future__ import annotations

import re
from functools import lru_cache

import tldextract
from presidio_analyzer import EntityRecognizer, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import EmailRecognizer

# Offline suffix list: never fetch the public-suffix list at run time (offline-models.md).
_OFFLINE_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's email recognizer, validating domains with the bundled suffix snapshot."""

    def validate_result(self, pattern_text: str) -> bool:
        return _OFFLINE_TLD(pattern_text).fqdn != ""


class RegexRecognizer(LocalRecognizer):
    """Regexes with optional capture group 1 as the span, and an optional validator."""

    def __init__(self, entity: str, patterns: list[tuple[str, float]], name: str, validate=None):
        self.compiled = [(re.compile(p), score) for p, score in patterns]
        self.validate = validate
        super().__init__(supported_entities=[entity], name=name, supported_language="en")

    def load(self) -> None:  # nothing to load
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None):
        results = []
        entity = self.supported_entities[0]
        for regex, score in self.compiled:
            for match in regex.finditer(text):
                group = 1 if regex.groups and match.group(1) else 0
                start, end = match.span(group)
                if self.validate and not self.validate(text[start:end]):
                    continue
                results.append(RecognizerResult(entity, start, end, score))
        return results


def _digit_count_ok(value: str) -> bool:
    return 7 <= sum(ch.isdigit() for ch in value) <= 15


_ID_CUE = r"(?i:staff|employee|emp|badge|payroll|personnel|worker|clock(?:ing)?|pay|service)"
EMPLOYEE_ID = RegexRecognizer(
    "EMPLOYEE_ID",
    [
        (r"\b(?:EMP|EMPL|STF|STAFF|BDG|BADGE|PR|PAY|PID|EID|SID|HR|E|B|S)[-_ ]?\d{4,9}\b", 0.7),
        (r"\b[A-Z]{1,4}-\d{4,9}\b(?![-/])", 0.45),
        (_ID_CUE + r"\s*(?i:no\.?|number|num\.?|#|id|ref)?\s*[:#.]?\s*([A-Z]{0,4}[- ]?\d{3,10})\b", 0.85),
    ],
    name="EmployeeIdRecognizer",
)

PHONE = RegexRecognizer(
    "PHONE_NUMBER",
    [
        # UK: 07700 900123, 0161 496 0732, +44 20 7946 0958, +44 (0)7700 900123
        (r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b", 0.75),
        # US/Canada: (415) 555-0134, 415.555.0199, +1 212 555 0147
        (r"(?<![\w+])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}\b", 0.75),
        # International with a country code: +49 30 901820, +91 98765 43210, +33 1 23 45 67 89
        (r"(?<![\w+])\+\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,6}", 0.75),
    ],
    name="WorkplacePhoneRecognizer",
    validate=_digit_count_ok,
)

CHAT_HANDLE = RegexRecognizer(
    "CHAT_HANDLE",
    [(r"(?<![\w.@])@[A-Za-z][A-Za-z0-9_.\-]{0,30}[A-Za-z0-9_]", 0.8)],
    name="ChatHandleRecognizer",
)

LICENSE_PLATE = RegexRecognizer(
    "LICENSE_PLATE",
    [
        (r"\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b", 0.7),  # UK current format
        (r"\b\d[A-Z]{3}\d{3}\b", 0.6),  # e.g. California 7XYZ123
        (
            r"(?i:reg(?:istration)?|plate|number plate|licen[cs]e plate|tag)\s*(?i:no\.?|number)?\s*[:#]?\s*"
            r"\b([A-Z0-9]{2,4}[ -]?[A-Z0-9]{2,4})\b",
            0.6,
        ),
    ],
    name="LicensePlateRecognizer",
)

_STREET = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Grove|Close|Drive|Dr|Way|Crescent|Cres|Place|Pl|Court|Ct|"
    r"Terrace|Gardens|Boulevard|Blvd|Mews|Row|Square|Sq|Hill|Park|Walk|Rise|View|Parade|Highway|Hwy)"
)
_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}"
STREET_ADDRESS = RegexRecognizer(
    "STREET_ADDRESS",
    [
        (
            r"\b\d{1,5}[A-Za-z]?,?\s+(?:[NSEW]\.?\s+)?(?:[A-Z][a-z]+\s+|\d+(?:st|nd|rd|th)\s+){1,3}" + _STREET
            + r"\b\.?(?:,?\s*(?:Apt|Flat|Unit|Suite)\.?\s*\w+)?(?:,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)?"
            + r"(?:,?\s*" + _POSTCODE + r")?(?:,?\s*[A-Z]{2}\s\d{5})?",
            0.8,
        ),
        (r"\b" + _POSTCODE + r"\b", 0.6),
        (r"(?i:\bflat|\bapartment|\bapt\.?)\s+\d+[A-Za-z]?,?\s+\d{1,5}\s+[A-Z][a-z]+\s+" + _STREET + r"\b", 0.8),
    ],
    name="StreetAddressRecognizer",
)

PERSON_TITLE = RegexRecognizer(
    "PERSON",
    [(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame)\.?\s+[A-Z][a-z'’]+(?:-[A-Z][a-z]+)?(?:\s+[A-Z][a-z'’]+)?\b", 0.9)],
    name="TitledNameRecognizer",
)

# Words that look like names or places in workplace text but are not personal data. Insults
# used as names ("Princess", "Captain Useless") are kept: they are evidence of the abuse itself
# and identify nobody.
ALLOW_LIST = {
    w.lower()
    for w in """
    manager supervisor director head chef nurse doctor team lead lead engineer admin hr legal sales
    payroll finance ops operations dispatch security reception facilities it helpdesk support
    ceo cfo cto coo vp svp intern trainee apprentice consultant partner associate analyst
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december christmas easter diwali eid ramadan hanukkah
    jira salesforce excel slack teams zoom workday kronos outlook sharepoint confluence github
    princess captain boss sir madam mate dude bro babe sweetheart darling love hun chief
    muslim christian jewish hindu sikh buddhist black white asian gay lesbian trans
    """.split()
}
PLACEHOLDER_RE = re.compile(r"<[A-Z_]+_\d+>")


class FirstNameRecognizer(EntityRecognizer):
    """Standalone first names ("Dave said…"), also lowercase ones, from Faker's name lists."""

    CUES = {
        "said", "says", "told", "tells", "asked", "asks", "keeps", "kept", "and", "with", "from",
        "to", "by", "called", "shouted", "yelled", "is", "was", "has", "had", "thinks", "ignores",
        "ignored", "like", "guy", "manager", "supervisor", "boss", "colleague", "lead", "me", "calls",
    }

    def __init__(self, names: frozenset[str], common_words: frozenset[str]):
        self.names = names
        self.common = common_words
        super().__init__(supported_entities=["PERSON"], name="FirstNameRecognizer", supported_language="en")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None):
        results: list[RecognizerResult] = []
        tokens = list(re.finditer(r"[A-Za-z][A-Za-z'’\-]+", text))
        for i, tok in enumerate(tokens):
            word = tok.group().split("'")[0].split("’")[0]
            low = word.lower()
            if low not in self.names or low in self.common or low in ALLOW_LIST:
                continue
            end = tok.start() + len(word)
            if word[0].isupper():
                results.append(RecognizerResult("PERSON", tok.start(), end, 0.6))
                continue
            prev = tokens[i - 1].group().lower() if i else ""
            nxt = tokens[i + 1].group().lower() if i + 1 < len(tokens) else ""
            if len(low) >= 3 and (prev in self.CUES or nxt in self.CUES):
                results.append(RecognizerResult("PERSON", tok.start(), end, 0.55))
        return results


_NAME_LOCALES = (
    "en_US en_GB en_IE en_IN en_NG en_PK en_KE en_NZ es_ES es_MX pl_PL it_IT fr_FR de_DE pt_BR pt_PT "
    "nl_NL vi_VN yo_NG ig_NG ha_NG tw_GH zu_ZA sw ar_AA tr_TR ro_RO el_GR ga_IE hi_IN id_ID fil_PH"
).split()


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Latin-script first names across Faker locales (lowercased)."""
    import importlib

    names: set[str] = set()
    for locale in _NAME_LOCALES:
        try:
            module = importlib.import_module(f"faker.providers.person.{locale}")
        except ModuleNotFoundError:
            continue
        provider = module.Provider
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            pool = getattr(provider, attr, None) or ()
            for name in pool:
                if name.isascii() and name.isalpha() and len(name) >= 3:
                    names.add(name.lower())
    return frozenset(names)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """English words that are also first names; they only count as names when spaCy says so."""
    from spacy.lang.en.stop_words import STOP_WORDS

    extra = """
    will grace joy bill mark rose may june april august faith hope summer autumn dawn ray rich sue
    pat art max frank bob jack sunny guy chase hunter lane drew page penny carol holly ivy iris lily
    daisy amber ruby pearl crystal candy destiny harmony melody rain sky star storm river brook
    victor major king earl duke prince baron sterling miles said don ken jan mo al ed sol van
    case lee dean hall wood norman bishop price glen glenn gene jean mercy patience honor constance
    angel baby bunny buddy champ chip chuck colt dash dusty forest gay gale ginger gray grant heath
    jay jewel kit lance mercedes nick norm rocky rusty scout shelby tanner taylor tucker wade ward
    warren wesley west will win winter york young tory reed ross rod rob robin rory roman rock
    marshall mason carter cooper parker porter baker fisher fletcher hunter potter sawyer spencer
    """.split()
    return frozenset(set(STOP_WORDS) | set(extra) | ALLOW_LIST)
