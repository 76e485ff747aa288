"""Identity-swap augmentation (Dixon et al., 2018): copies of training items with an identity term
replaced by another term of the same category, labels unchanged, so that no identity word carries
the label by itself; and clean comments with a neutral mention of the writer's identity. Applied to
the training split only; the evaluation templates are never used. Statements about a group of
colleagues (neutral, hateful, rebutted, threatening) are in `group_statements.py`.
"""

from __future__ import annotations

import random
import re

# Our own lexicon (adjective or noun forms that can stand in for each other in a sentence).
LEXICON: dict[str, list[str]] = {
    "religion": ["Muslim", "Jewish", "Christian", "Hindu", "Sikh", "Buddhist", "Catholic", "atheist"],
    "race_ethnicity": ["Black", "white", "Asian", "Latino", "Arab", "mixed-race", "South Asian", "Chinese"],
    "nationality": [
        "Polish",
        "Nigerian",
        "Indian",
        "Romanian",
        "Pakistani",
        "Irish",
        "Brazilian",
        "Filipino",
        "Ghanaian",
        "Lithuanian",
        "Portuguese",
        "Syrian",
        "Jamaican",
        "Italian",
    ],
    "sexual_orientation": ["gay", "lesbian", "bisexual", "straight", "queer"],
    "gender_identity": ["trans", "transgender", "non-binary", "cisgender"],
    "disability": ["deaf", "blind", "autistic", "dyslexic", "disabled", "wheelchair-using"],
    "age": ["older", "younger", "middle-aged", "elderly", "young"],
}
SEED = 13


def _pattern(terms: list[str]) -> re.Pattern:
    alts = sorted(terms, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(t) for t in alts) + r")(?![\w-])", re.IGNORECASE)


_PATTERNS = {cat: _pattern(terms) for cat, terms in LEXICON.items()}


def _match_case(template: str, word: str) -> str:
    return word[:1].upper() + word[1:] if template[:1].isupper() else word


def swap(text: str, rng: random.Random) -> str | None:
    """One copy with every term of one matched category replaced consistently; None if no term."""
    found = [cat for cat, pat in _PATTERNS.items() if pat.search(text)]
    if not found:
        return None
    category = rng.choice(found)
    mapping: dict[str, str] = {}

    def replace(match: re.Match) -> str:
        key = match.group(1).lower()
        if key not in mapping:
            choices = [t for t in LEXICON[category] if t.lower() != key]
            mapping[key] = rng.choice(choices)
        return _match_case(match.group(1), mapping[key])

    return _PATTERNS[category].sub(replace, text)


def augment_identity(records: list[dict], copies: int = 1, seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for record in records:
        seen = {record["text"]}
        for k in range(copies):
            text = swap(record["text"], rng)
            if text and text not in seen:
                seen.add(text)
                out.append(record | {"id": f"{record['id']}~swap{k}", "text": text})
    return out


_FRAMES = [
    "As someone who is {t}, I'd say: {x}",
    "{x} (For context, I'm {t}.)",
    "Speaking as a {t} member of staff: {x}",
    "{x} I'm {t}, if that matters for your stats.",
]


def identity_mentions(records: list[dict], n: int = 150, seed: int = SEED) -> list[dict]:
    """Clean items (severity none) with a neutral mention of the writer's identity added: the
    taxonomy says a mere mention of an identity is not discrimination, so the label stays none."""
    rng = random.Random(seed + 1)
    clean = [r for r in records if r["severity"] == "none" and r["source"] == "survey"]
    terms = [t for terms in LEXICON.values() for t in terms]
    out = []
    for i, record in enumerate(rng.sample(clean, min(n, len(clean)))):
        frame, term = rng.choice(_FRAMES), rng.choice(terms)
        text = record["text"].strip()
        if frame.startswith("As") or frame.startswith("Speaking"):
            text = text[:1].lower() + text[1:]
        out.append(record | {"id": f"{record['id']}~mention{i}", "text": frame.format(t=term, x=text)})
    return out
