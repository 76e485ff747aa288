"""Survey-length benchmark texts built from the test split (redacted text, as production sees)."""

from __future__ import annotations

import itertools

from training.corpus import load_split


def survey_texts(n: int) -> list[str]:
    pool = [r["text"] for r in load_split("test") if r["source"] == "survey"]
    return list(itertools.islice(itertools.cycle(pool), n))
