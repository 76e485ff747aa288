"""Step 2b, compare: the validation figures a rule judges a candidate model by, for several models side
by side, so that a verdict in the README can be rerun rather than trusted.

For each models folder (its `upstander-clf`, or `--name`), on the redacted validation split (or, with
`--split test`, the test split, for a rule's gate read after its validation verdict):
- its own tuned decisions (`tune.final_labels` with the manifest's thresholds, cut-offs and urgent
  bars): theme macro-F1, severity QWK, urgent recall / precision / missed, false urgent flags per
  1,000 clean items, clean items flagged, and the share of high-severity (severe but not urgent)
  items made urgent;
- at equal misses, so that models held to different recall are compared fairly (session 23 found a
  rule that did not): one bar per model, urgent = P(critical) >= m or a phrase that stands alone
  (`urgent.stands_alone`), m the highest bar missing at most k urgent items, for each k of `--misses`;
- how well P(critical) ranks critical items above high ones (ROC AUC), the boundary where most
  false urgent flags fall.
With `--since COMMIT` every figure is also given for the items already in validation at that commit
and for those added since: a corpus top-up's own items, whose writers a retrained model learnt from.
Several commits, oldest first, give one subset per top-up in between (`C1..C2`: in validation at C2
but not at C1), so a wave's own figures need no scratch script. `--by-source` adds the survey
comments and the incident reports apart: the realistic mix is surveys only.

    python -m training.compare DIR [DIR ...] [--since COMMIT [COMMIT ...]] [--by-source] [--misses 5 7 9]
        [--limit N] [--split validation|test] [--table]

`--table` prints one line per model and subset instead of the JSON: the figures a rule's verdict quotes,
with the clean items made urgent at each k of `--misses` and their sum (what rule B decides on).
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from service.components import quiet_libraries
from service.pipeline.classification import Classifier
from service.pipeline.urgent import stands_alone
from service.settings import REPO_ROOT
from training import metrics as M
from training.corpus import label_arrays, load_split
from training.features import redact_all
from training.tune import final_labels


def ids_at(commit: str, split: str = "validation") -> set[str]:
    """The ids of a split as it stood at a git commit."""
    shown = subprocess.run(
        ["git", "show", f"{commit}:training/data/{split}.jsonl"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {json.loads(line)["id"] for line in shown.splitlines() if line.strip()}


def subsets_since(ids: list[str], commits: list[str], at: dict[str, set[str]]) -> dict[str, np.ndarray]:
    """Masks over `ids`: "before" the first commit, one `A..B` per pair of consecutive commits (in
    validation at B, not at A) and "added" after the last; `at` maps each commit to its ids. An empty
    interval is left out, as `compare` leaves out any empty subset."""
    held = [np.array([i in at[c] for i in ids]) for c in commits]
    out = {"before": held[0]}
    for j in range(1, len(commits)):
        out[f"{commits[j - 1]}..{commits[j]}"] = held[j] & ~held[j - 1]
    out["added"] = ~held[-1]
    return out


def at_equal_misses(critical: np.ndarray, alone: np.ndarray, y_sev: np.ndarray, misses: list[int]) -> dict:
    """False urgent flags per 1,000 clean items, and non-urgent items of any severity made urgent, at the
    highest single bar that misses at most k."""
    is_urgent, is_clean = y_sev == 4, y_sev == 0
    needed = np.sort(critical[is_urgent & ~alone])  # urgent items only the bar can catch
    out = {}
    for k in misses:
        bar = float(needed[k]) if k < len(needed) else 0.0  # items strictly below it are missed
        urgent = (critical >= bar) | alone
        out[str(k)] = {
            "bar": round(bar, 4),
            "missed": int((is_urgent & ~urgent).sum()),
            "false_urgent_per_1000_clean": round(1000 * float(urgent[is_clean].mean()), 1) if is_clean.any() else None,
            "false_urgent_items": int((urgent & ~is_urgent).sum()),
            # the count a rule decides on: per-1,000 figures are rounded and can tie or invert it (rule 19)
            "clean_items_urgent": int((urgent & is_clean).sum()),
        }
    return out


def figures(y_theme, y_sev, themes, sev, urgent, critical, alone, misses) -> dict:
    """One model's figures on one set of items (label arrays and decisions of those items): those
    training chooses by (`metrics.decision_figures`), then the equal-miss and ranking figures."""
    critical_or_high = y_sev >= 3
    ranked = critical_or_high.any() and len(set(y_sev[critical_or_high] == 4)) == 2
    high = y_sev == 3
    return (
        {"items": len(y_sev)}
        | M.decision_figures(y_theme, y_sev, themes, sev, urgent)
        | {
            # where most false urgent flags of a survey's mix fall (session 27)
            "high_made_urgent": round(float(urgent[high].mean()), 4) if high.any() else None,
            "equal_misses": at_equal_misses(critical, alone, y_sev, misses),
            "critical_vs_high_auc": round(
                float(roc_auc_score(y_sev[critical_or_high] == 4, critical[critical_or_high])), 4
            )
            if ranked
            else None,
        }
    )


def compare(
    dirs: list[Path],
    *,
    name: str,
    since: list[str] | None,
    misses: list[int],
    limit: int = 0,
    by_source: bool = False,
    split: str = "validation",
) -> dict:
    records = load_split(split)
    records = records[:limit] if limit else records
    texts = redact_all([r["text"] for r in records])
    y_theme, y_sev, _ = label_arrays(records)
    alone = np.array([stands_alone(t) for t in texts])
    subsets = {"all": np.ones(len(records), dtype=bool)}
    if since:
        ids = [r["id"] for r in records]
        subsets |= subsets_since(ids, since, {c: ids_at(c, split) for c in since})
    if by_source:
        subsets |= {s: np.array([r["source"] == s for r in records]) for s in ("survey", "report")}
    out: dict = {"split": split, "since": since, "models": {}}
    for folder in dirs:
        model = Classifier(folder / name)
        raw = model.raw_scores(texts)
        themes, sev, urgent = final_labels(texts, *raw, model.thresholds, model.severity_cutoffs, model.urgent_policy)
        critical = raw[1][:, -1]
        out["models"][str(folder)] = {"version": model.version} | {
            key: figures(y_theme[m], y_sev[m], themes[m], sev[m], urgent[m], critical[m], alone[m], misses)
            for key, m in subsets.items()
            if m.any()
        }
    return out


def table(out: dict) -> str:
    """The figures a rule quotes, one line per model and subset: equal-miss counts as `k1 / k2 / ... (sum)`."""
    lines = [f"split: {out['split']}"]
    for folder, figures in out["models"].items():
        lines.append(f"{folder} ({figures['version']})")
        for subset, f in figures.items():
            if subset == "version":
                continue
            counts = [m["clean_items_urgent"] for m in f["equal_misses"].values()]
            u = f["urgent"]
            lines.append(
                f"  {subset:<9} items {f['items']:>5}  macro-F1 {f['macro_f1']:.4f}  QWK {f['qwk']:.4f}"
                f"  recall {u['recall']:.4f} ({u['missed']} missed) / precision {u['precision']:.4f}"
                f"  false urgent per 1,000 clean {f['false_urgent_per_1000_clean']}  clean flagged {f['clean_flagged']}"
                f"  high made urgent {f['high_made_urgent']}"
                f"  clean items urgent at {' / '.join(f['equal_misses'])} missed:"
                f" {' / '.join(map(str, counts))} ({sum(counts)})  critical-vs-high AUC {f['critical_vs_high_auc']}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dirs", nargs="+", type=Path, help="models folders (each holding --name)")
    parser.add_argument("--name", default="upstander-clf")
    parser.add_argument(
        "--since", nargs="+", help="git commits, oldest first: figures apart for the validation items of each interval"
    )
    parser.add_argument("--by-source", action="store_true", help="figures apart for survey comments and reports")
    parser.add_argument("--misses", type=int, nargs="+", default=[5, 7, 9], help="urgent items a bar may miss")
    parser.add_argument("--limit", type=int, default=0, help="only the first N items of the split (smoke)")
    parser.add_argument(
        "--split",
        choices=["validation", "test"],
        default="validation",
        help="test only where a rule names it as a gate after its validation verdict: nothing is chosen on it",
    )
    parser.add_argument("--table", action="store_true", help="one line per model and subset instead of JSON")
    args = parser.parse_args(argv)
    quiet_libraries()
    out = compare(
        args.dirs,
        name=args.name,
        since=args.since,
        misses=args.misses,
        limit=args.limit,
        by_source=args.by_source,
        split=args.split,
    )
    print(table(out) if args.table else json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
