"""Identity-term neutralisation: the classifier reads one fixed neutral word (`PLACEHOLDER`) where
the text names a protected characteristic ("my Muslim colleague" → "my local colleague").

Why: under the taxonomy, themes and severity never depend on *which* group is named, only on
whether someone is mistreated (and, for `discrimination`, whether it is because of who they
are). A model that sees the word itself learns accidental associations (one group's word
co-occurring with abuse in its training data), and swapping one group's word for another's
then changes predictions. Blinding the model to the term removes that route by construction
for every listed term. Stored and displayed text is unchanged: only the model input is
neutralised, and only at inference: the model is trained on text with the words in it (and
identity-swap augmentation), then blinded. Training on neutralised text was tried and failed:
the placeholder itself became a learned cue for `discrimination` (benign identity sentences
flagged 43% vs 12% without). A model's manifest says whether it expects neutralisation.

Terms not listed here still reach the model as words; eval/fairness measures flip rates on a
held-out list of such terms to show the residual risk. Slurs are not neutralised: they are
abuse, and the classifier must see them.
"""

from __future__ import annotations

import re

# A plain, neutral word rather than a token like `<IDENTITY>`: angle-bracket tokens look like the
# PII placeholders that, in training, come mostly from long, severe incident reports, and the
# first version raised benign identity sentences towards critical (FPR gap 0.0225 vs -0.004).
PLACEHOLDER = "local"
# The TF-IDF baseline's vocabulary has "local" in mistreatment contexts but treats the token
# "identity" neutrally, so it keeps the first form (each model's manifest names its own).
BASELINE_PLACEHOLDER = "<IDENTITY>"

# Adjective and noun forms, singular and plural where they differ. Written for this project.
TERMS: dict[str, tuple[str, ...]] = {
    "race_ethnicity": (
        "Black", "white", "Asian", "South Asian", "East Asian", "Southeast Asian", "Latino", "Latina", "Latinx",
        "Latinos", "Latinas", "Hispanic", "Hispanics", "Arab", "Arabs", "mixed-race", "mixed race", "biracial",
        "Indigenous", "Aboriginal", "Native American", "First Nations", "Caucasian", "brown", "person of colour",
        "people of colour", "person of color", "people of color", "BAME", "Chinese", "Korean", "Japanese",
        "Vietnamese", "Somali", "Caribbean", "African", "Africans", "African-American", "African American",
    ),
    "nationality": (
        "Polish", "Nigerian", "Nigerians", "Indian", "Indians", "Pakistani", "Pakistanis", "Bangladeshi",
        "Romanian", "Romanians", "Bulgarian", "Lithuanian", "Latvian", "Ukrainian", "Russian", "Irish", "Scottish",
        "Welsh", "English", "British", "American", "Americans", "Canadian", "Australian", "Brazilian",
        "Mexican", "Mexicans", "Colombian", "Venezuelan", "Filipino", "Filipina", "Filipinos", "Ghanaian",
        "Kenyan", "Ethiopian", "Eritrean", "Sudanese", "Zimbabwean", "South African", "Egyptian", "Moroccan",
        "Turkish", "Syrian", "Iraqi", "Iranian", "Afghan", "Portuguese", "Spanish", "Italian", "Italians",
        "French", "German", "Germans", "Dutch", "Greek", "Albanian", "Jamaican", "Jamaicans", "Sri Lankan",
        "Nepali", "Thai", "immigrant", "immigrants", "migrant", "migrants", "foreigner", "foreigners",
        "foreign", "refugee", "refugees", "Eastern European", "Eastern Europeans",
    ),
    "religion": (
        "Muslim", "Muslims", "Islamic", "Jewish", "Jews", "Christian", "Christians", "Catholic", "Catholics",
        "Protestant", "Hindu", "Hindus", "Sikh", "Sikhs", "Buddhist", "Buddhists", "atheist", "atheists",
        "Mormon", "evangelical", "Orthodox", "religious", "agnostic",
    ),
    "sexual_orientation": (
        "gay", "gays", "lesbian", "lesbians", "bisexual", "bi", "straight", "queer", "heterosexual",
        "homosexual", "pansexual", "LGBT", "LGBTQ", "LGBTQ+", "LGBTQIA+",
    ),
    "gender_identity": (
        "trans", "transgender", "transgendered", "trans woman", "trans man", "non-binary", "nonbinary",
        "cisgender", "cis", "genderfluid", "genderqueer",
    ),
    "gender": ("female", "male", "pregnant", "breastfeeding", "expectant"),
    "disability": (
        "deaf", "blind", "autistic", "disabled", "dyslexic", "dyspraxic", "wheelchair-using", "wheelchair user",
        "wheelchair users", "visually impaired", "partially sighted", "hearing-impaired", "neurodivergent",
        "neurodiverse", "ADHD", "epileptic", "diabetic", "chronically ill", "mentally ill", "disabilities",
    ),
    "age": (
        "older", "younger", "young", "middle-aged", "elderly", "teenage",
        "millennial", "millennials", "boomer", "boomers", "Gen Z", "over-50", "over-60", "50-year-old",
        "60-year-old", "sixty-year-old", "twenty-something",
    ),
}

# Words that also have everyday senses ("straight away", "white board", "blind spot", "disabled
# account", "fell on deaf ears") count only where they describe a person: before a person noun
# ("older colleague"), between a determiner and a noun that is not a known object ("the only deaf
# technician"), or after a copula ("because she is deaf").
AMBIGUOUS = frozenset({"Black", "white", "brown", "straight", "bi", "cis", "older", "younger", "young",
                       "blind", "deaf", "disabled", "English", "French", "foreign", "religious",
                       "Orthodox", "Thai", "Dutch", "African", "Caribbean", "Spanish", "Turkish", "German", "Irish",
                       "Scottish", "Welsh", "British", "American", "Indian", "Chinese", "Japanese", "Korean"})
PERSON_NOUNS = ("colleague", "colleagues", "coworker", "coworkers", "co-worker", "co-workers", "woman", "women",
                "man", "men", "person", "people", "staff", "employee", "employees", "worker", "workers", "manager",
                "managers", "guy", "guys", "girl", "girls", "lad", "lads", "lady", "ladies", "member", "members",
                "folk", "folks", "candidate", "candidates", "applicant", "applicants", "hire", "hires", "starter",
                "starters", "teammate", "teammates", "boss", "supervisor", "intern", "interns", "trainee",
                "trainees", "apprentice", "apprentices", "driver", "drivers", "nurse", "nurses", "engineer",
                "engineers", "cleaner", "cleaners", "mum", "mums", "mother", "mothers", "dad", "dads", "father",
                "lead", "agent", "agents", "analyst", "analysts", "developer", "developers", "one", "ones")
DETERMINERS = r"(?:my|our|your|his|her|their|the|a|an|only|other|another|all|those|these|some|many|most|every|" \
              r"two|three|several|fellow|any|no|one|more|few)"
NOT_PEOPLE = ("away", "answer", "answers", "version", "versions", "days", "spot", "spots", "copy", "board", "boards",
              "paper", "van", "vans", "mark", "marks", "list", "food", "language", "languages", "restaurant",
              "takeaway", "system", "systems", "account", "accounts", "feature", "features", "process", "forward",
              "face", "line", "lines", "eye", "ears", "box", "hole", "coffee", "tea", "wine", "light", "lights",
              "noise", "space", "spaces", "parking", "toilet", "toilets", "entrance", "access", "ramp", "site",
              "sites", "office", "offices", "market", "markets", "holiday", "holidays", "bank", "currency",
              "policy", "law", "laws", "contract", "contracts", "version", "model", "models", "files", "data")
COPULAS = r"(?:am|is|are|was|were|be|being|been|i'm|im|she's|he's|they're|we're|you're|not|as an?|as)"


def _alternation(terms) -> str:
    return "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))


_PLAIN = [t for terms in TERMS.values() for t in terms if t not in AMBIGUOUS]
_PATTERN_PLAIN = re.compile(r"(?<![\w-])(" + _alternation(_PLAIN) + r")(?![\w-])", re.IGNORECASE)
_AMB = _alternation(AMBIGUOUS)
_PATTERN_BEFORE_NOUN = re.compile(
    r"(?<![\w-])(" + _AMB + r")(?=(?:[ -](?:and|or|[\w-]+))?[ -](?:" + _alternation(PERSON_NOUNS) + r")\b)",
    re.IGNORECASE)
_PATTERN_AFTER_DETERMINER = re.compile(
    r"\b(" + DETERMINERS + r" )(" + _AMB + r")(?=[ ](?!(?:" + _alternation(NOT_PEOPLE) + r")\b)[a-z])",
    re.IGNORECASE)
_PATTERN_AFTER_COPULA = re.compile(
    r"\b(" + COPULAS + r" (?:(?:so|too|very|really|quite|openly) )?)(" + _AMB + r")(?![\w-])", re.IGNORECASE)


def neutralise(text: str, placeholder: str = PLACEHOLDER) -> str:
    """The text with every listed identity term replaced by the placeholder."""
    text = _PATTERN_PLAIN.sub(placeholder, text)
    text = _PATTERN_BEFORE_NOUN.sub(placeholder, text)
    text = _PATTERN_AFTER_DETERMINER.sub(lambda m: m.group(1) + placeholder, text)
    return _PATTERN_AFTER_COPULA.sub(lambda m: m.group(1) + placeholder, text)


def neutralise_all(texts, placeholder: str = PLACEHOLDER) -> list[str]:
    return [neutralise(t, placeholder) for t in texts]
