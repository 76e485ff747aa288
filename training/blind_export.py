"""Export finished writer parts as text-only files for the blind second reader.

`python -m training.blind_export` writes `training/data/v2/blind/<hash>.jsonl` (id, source, text:
no labels, no shard name) for every complete part not yet exported, and lists the blind files
that no reader has claimed yet.
"""

from __future__ import annotations

import json
import os

from training.written_parts import BLIND, SECOND, blind_name, complete_parts, parse_part


def main() -> int:
    BLIND.mkdir(parents=True, exist_ok=True)
    SECOND.mkdir(parents=True, exist_ok=True)
    for part in complete_parts():
        target = BLIND / f"{blind_name(part)}.jsonl"
        if target.exists():
            continue
        rows = [{"id": i["id"], "source": i["source"], "text": i["text"]} for i in parse_part(part) if "error" not in i]
        # Readers export at the same moment: each writes its own temporary file, and the rename
        # (atomic, same content) lets the last one win instead of failing on a vanished file.
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        tmp.rename(target)
    # A file counts as claimed while locked or once read: locks are empty folders git does not keep.
    unclaimed = [
        b.stem
        for b in sorted(BLIND.glob("*.jsonl"))
        if not (SECOND / f"{b.stem}.lock").exists() and not (SECOND / f"{b.stem}.tsv").exists()
    ]
    print("unclaimed:", " ".join(unclaimed) if unclaimed else "(none)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
