"""Step 5, fairness: counterfactual and public-set evaluation of the shipped models, written to
eval/fairness/metrics.json and eval/fairness/report.html (the model cards quote the summary)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from eval.fairness.evaluate import EXTERNAL, Scorer, counterfactual, external
from eval.fairness.hate import hate_suite
from service.evaluations.report import render
from service.settings import Settings

HERE = Path(__file__).resolve().parent


def summary(cf: dict, hate: dict) -> dict:
    """The figures the issues set targets for."""
    return {
        "any_mistreatment_fpr_without_identity": cf["any_mistreatment_fpr"]["without_identity"],
        "any_mistreatment_fpr_with_identity": cf["any_mistreatment_fpr"]["with_identity"],
        "fpr_gap": cf["any_mistreatment_fpr"]["gap"],
        "identity_flip_rate": cf["identity_swap_flip_rate"]["overall"],
        "name_flip_rate": cf["names"]["flip_rate"],
        "min_bpsn_auc": cf["borkan"]["min_bpsn_auc"],
        "generalized_mean": cf["borkan"]["generalized_mean"],
        "abusive_recall": cf["abusive_recall"],
        "hate": {
            split: {
                k: v[k]
                for k in (
                    "hate_flagged",
                    "hate_as_discrimination",
                    "non_hateful_flagged",
                    "min_group_hate_recall",
                    "max_group_non_hateful_flagged",
                    "group_swap_flip_rate",
                    "borkan_generalized_mean",
                )
            }
            for split, v in hate.items()
        },
    }


def heldout_summary(cf: dict) -> dict:
    """Identity terms no training augmentation list contains: how the model treats unlisted words."""
    return {
        "fpr_gap": cf["any_mistreatment_fpr"]["gap"],
        "identity_flip_rate": cf["identity_swap_flip_rate"]["overall"],
        "min_bpsn_auc": cf["borkan"]["min_bpsn_auc"],
    }


METHOD = {
    "label": "corpus v2 + counterfactual augmentation, no blinding",
    "method": "models trained on corpus v2 (hate said about groups and neutral mentions of the same groups in "
    "similar numbers) with identity-swapped copies and neutral identity mentions added to the "
    "training split (training/augment.py); no word is hidden from the model at inference",
}


def mitigation_steps(previous: dict, report: dict) -> list[dict]:
    """The mitigation history: the steps of the previous metrics file, then this run's models.

    The earlier "augmentation + neutralisation" step met the flip-rate target by blinding the model
    to identity words (it could then not see hate against a group): kept in the history, not repeated.
    A rerun whose figures equal the last step's (the same models, re-evaluated) adds no step: the
    history records changes, not how often `make eval` ran.
    """
    steps = (previous.get("mitigation") or {}).get("steps") or []
    step = METHOD | {"models": {n: m["summary"] for n, m in report["models"].items()}}
    return steps if steps and steps[-1] == step else steps + [step]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--external", type=Path, default=EXTERNAL, help="folder of the public bias sets")
    parser.add_argument("--models", nargs="+", default=["upstander-clf", "upstander-baseline"])
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--smoke", action="store_true", help="a few templates per kind, no public sets")
    parser.add_argument("--before", type=Path, help="metrics.json of the models before mitigation, to compare")
    args = parser.parse_args(argv)
    from service.components import get_pipeline

    report: dict = {"models": {}}
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.models:
        pipeline = get_pipeline(Settings(model_name=name))
        scorer = Scorer(pipeline)
        cf = counterfactual(scorer, limit=3 if args.smoke else None)
        held = counterfactual(
            scorer, limit=3 if args.smoke else None, terms_file="heldout_identity_terms.json", with_names=False
        )
        hate = hate_suite(scorer, limit=2 if args.smoke else None)
        entry = {
            "model_version": pipeline.model_version,
            "summary": summary(cf, hate) | {"heldout_terms": heldout_summary(held)},
            "counterfactual": cf,
            "heldout_terms": held,
            "hate_functional": hate,
            "external": external(scorer, args.external) if args.external.exists() and not args.smoke else {},
        }
        report["models"][name] = entry
        (args.out / f"report_{name}.html").write_text(render(entry, f"Upstander fairness: {name}"))
        print(name, json.dumps(entry["summary"]))
    previous = args.before if args.before else args.out / "metrics.json"
    if previous.exists():
        report["mitigation"] = {"steps": mitigation_steps(json.loads(previous.read_text()), report)}
    (args.out / "metrics.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
