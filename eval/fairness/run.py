"""Step 5, fairness: counterfactual and public-set evaluation of the shipped models, written to
eval/fairness/metrics.json and eval/fairness/report.html (the model cards quote the summary)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from eval.fairness.evaluate import EXTERNAL, Scorer, counterfactual, external
from service.evaluations.report import render
from service.settings import Settings

HERE = Path(__file__).resolve().parent


def summary(cf: dict) -> dict:
    """The figures the issue sets targets for."""
    return {
        "any_mistreatment_fpr_without_identity": cf["any_mistreatment_fpr"]["without_identity"],
        "any_mistreatment_fpr_with_identity": cf["any_mistreatment_fpr"]["with_identity"],
        "fpr_gap": cf["any_mistreatment_fpr"]["gap"],
        "identity_flip_rate": cf["identity_swap_flip_rate"]["overall"],
        "name_flip_rate": cf["names"]["flip_rate"],
        "min_bpsn_auc": cf["borkan"]["min_bpsn_auc"],
        "generalized_mean": cf["borkan"]["generalized_mean"],
        "abusive_recall": cf["abusive_recall"],
    }


def heldout_summary(cf: dict) -> dict:
    """Terms the identity neutralisation does not list: the residual risk for unlisted words."""
    return {"fpr_gap": cf["any_mistreatment_fpr"]["gap"], "identity_flip_rate": cf["identity_swap_flip_rate"]["overall"],
            "min_bpsn_auc": cf["borkan"]["min_bpsn_auc"]}


METHOD = {"label": "augmentation + neutralisation",
          "method": "identity-term neutralisation of the model input at inference (service/pipeline/identity.py; the main model reads the neutral word 'local', the baseline '<IDENTITY>'), validation-tuned decisions re-fitted on neutralised text, and float (batch-independent) inference; the network weights are those of the augmentation step (training on neutralised text was tried and rejected: it made the placeholder a learned cue for discrimination)"}


def mitigation_steps(previous: dict, report: dict) -> list[dict]:
    """The mitigation history: the steps of the previous metrics file, then this run's models."""
    old = previous.get("mitigation") or {}
    steps = old.get("steps")
    if steps is None:  # a file from before steps were kept: its "before" was the unmitigated model
        steps = [{"label": "none", "method": "no mitigation",
                  "models": {n: v["before"] for n, v in (old.get("models") or {}).items()}}] if old else []
        steps.append({"label": "augmentation", "method": old.get("method", "previous run"),
                      "models": {n: m["summary"] for n, m in previous["models"].items()}})
    return steps + [METHOD | {"models": {n: m["summary"] for n, m in report["models"].items()}}]


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
    for name in args.models:
        pipeline = get_pipeline(Settings(model_name=name))
        scorer = Scorer(pipeline)
        cf = counterfactual(scorer, limit=3 if args.smoke else None)
        held = counterfactual(scorer, limit=3 if args.smoke else None, terms_file="heldout_identity_terms.json",
                              with_names=False)
        entry = {"model_version": pipeline.model_version,
                 "summary": summary(cf) | {"heldout_terms": heldout_summary(held)}, "counterfactual": cf,
                 "heldout_terms": held,
                 "external": external(scorer, args.external) if args.external.exists() and not args.smoke else {}}
        report["models"][name] = entry
        (args.out / f"report_{name}.html").write_text(render(entry, f"Upstander fairness: {name}"))
        print(name, json.dumps(entry["summary"]))
    if args.before and args.before.exists():
        report["mitigation"] = {"steps": mitigation_steps(json.loads(args.before.read_text()), report)}
    (args.out / "metrics.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
