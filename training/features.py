"""Featurisation shared by training and evaluation: redaction first, then TF-IDF.

Training runs on redacted text exactly as production does. Redactions are cached under
training/cache/ (git-ignored), keyed by redactor version and a hash of the text.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer

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


def tfidf_vectorizer() -> TfidfVectorizer:
    """Word 1-2 grams, sublinear tf; placeholders kept as single tokens."""
    return TfidfVectorizer(
        lowercase=True, ngram_range=(1, 2), min_df=2, max_df=0.5, sublinear_tf=True,
        max_features=20000, token_pattern=r"<[A-Z_]+_\d+>|\b\w[\w']*\b",
    )
