"""Corpus v2 raw parts: parse the writers' TSV parts and give every item an id with no label in it.

Writers fill `training/data/v2/written/<shard>_pNN.tsv` (format in training/data/v2/BRIEF_WRITER.md).
An item's id is a hash of its part file and line, so neither the id nor the blind file name tells a
second reader which shard (and so which kind of label) an item came from.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

V2 = DATA / "v2"
WRITTEN = V2 / "written"
BLIND = V2 / "blind"
SECOND = V2 / "second"


def digest(*parts: str, size: int = 10) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:size]


def blind_name(part: Path) -> str:
    """The blind file name of one written part: a hash, no shard prefix."""
    return "b" + digest("part", part.name, size=8)


def split_codes(field: str) -> list[str]:
    field = field.strip()
    return [] if field in ("", "-") else sorted({c.strip() for c in field.split(",") if c.strip()})


def parse_part(part: Path) -> list[dict]:
    """Items of one part with their writer labels; a malformed line becomes an item with `error`."""
    items = []
    for lineno, line in enumerate(part.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        item = {"id": "i" + digest("item", part.name, str(lineno)), "part": part.name, "line": lineno}
        fields = line.split("\t")
        if len(fields) != 6:
            items.append(item | {"error": f"{len(fields)} fields"})
            continue
        source, severity, themes, reasons, voice, text = (f.strip() for f in fields)
        items.append(
            item
            | {
                "source": source,
                "severity": severity,
                "themes": split_codes(themes),
                "urgent_reasons": split_codes(reasons),
                "voice": voice,
                "text": text.replace("\\n", "\n"),
            }
        )
    return items


def complete_parts() -> list[Path]:
    return sorted(WRITTEN.glob("*.tsv"))
