"""Corpus I/O and validation against the label contract (../shared/spec/taxonomy.md, training/ANNOTATION.md)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from service.labels import SEVERITIES, SEVERITY_RANK, SOURCES, THEMES, URGENT_REASONS, label_problems

DATA = Path(__file__).resolve().parent / "data"
SPLITS = ("train", "validation", "test")
KEYS = {"id", "source", "text", "themes", "severity", "urgent_reasons"}


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_jsonl(path: Path, records: Iterable[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def problems(record: dict) -> list[str]:
    """Every way a record breaks the contract (empty list when it is valid)."""
    out = []
    if set(record) - {"split"} != KEYS:
        return [f"keys {sorted(record)}"]
    themes, sev, reasons = record["themes"], record["severity"], record["urgent_reasons"]
    if record["source"] not in SOURCES:
        out.append("source")
    if not isinstance(record["text"], str) or not record["text"].strip():
        out.append("text")
    if any(t not in THEMES for t in themes) or len(set(themes)) != len(themes):
        out.append("themes")
    if sev not in SEVERITIES:
        return out + ["severity"]
    if any(r not in URGENT_REASONS for r in reasons):
        out.append("urgent_reasons")
    return out + label_problems(themes, sev, reasons)


def fingerprint(names: Iterable[str] = ("train", "validation")) -> str:
    """The first 16 hex digits of the SHA-256 of the named split files, in order: recorded in a
    model's manifest so that its card can tell whether today's corpus is the one it learnt from."""
    digest = hashlib.sha256()
    for name in names:
        digest.update((DATA / f"{name}.jsonl").read_bytes())
    return digest.hexdigest()[:16]


def load_split(name: str) -> list[dict]:
    return read_jsonl(DATA / f"{name}.jsonl")


def label_arrays(records: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(themes n×12 binary, severity rank n, reasons n×4 binary)."""
    themes = np.array([[t in r["themes"] for t in THEMES] for r in records], dtype=int)
    severity = np.array([SEVERITY_RANK[r["severity"]] for r in records], dtype=int)
    reasons = np.array([[x in r["urgent_reasons"] for x in URGENT_REASONS] for r in records], dtype=int)
    return themes, severity, reasons
