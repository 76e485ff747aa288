"""Featurisation shared by training and evaluation: redaction first, then TF-IDF.

Training runs on redacted text exactly as production does. Redactions are cached under
training/cache/ (git-ignored), keyed by redactor version and a hash of the text.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

CACHE = Path(__file__).resolve().parent / "cache"


def _key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def redact_all(texts: list[str], secret: str = "training-pseudonyms") -> list[str]:
    """Redact with the production redactor (cached per text)."""
    from service.pipeline.redaction import REDACTOR_VERSION, Redactor

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"redacted_v{REDACTOR_VERSION}.json"
    cache: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    missing = [t for t in dict.fromkeys(texts) if _key(t) not in cache]
    if missing:
        redactor = Redactor(secret)
        for text, red in zip(missing, redactor.redact_many(missing), strict=True):
            cache[_key(text)] = red.text
        path.write_text(json.dumps(cache))
    return [cache[_key(t)] for t in texts]


def tfidf_vectorizer() -> FeatureUnion:
    """Word 1-2 grams (placeholders kept as single tokens) and character 3-5 grams within words.

    The character grams carry misspelt, run-together and text-speak words ("threatnd", "ppl")
    that no word vocabulary has seen.
    """
    words = TfidfVectorizer(
        lowercase=True,
        ngram_range=(1, 2),
        min_df=2,
        max_df=0.5,
        sublinear_tf=True,
        max_features=30000,
        token_pattern=r"<[A-Z_]+_\d+>|\b\w[\w']*\b",
    )
    chars = TfidfVectorizer(
        lowercase=True,
        analyzer="char_wb",
        ngram_range=(3, 5),
        min_df=3,
        max_df=0.5,
        sublinear_tf=True,
        max_features=50000,
    )
    return FeatureUnion([("words", words), ("chars", chars)])
