"""Classification stage: themes (multi-label), severity (ordinal) and urgent-reason scores.

It loads a shipped model artifact from `models/` (no training at run time) and runs only on
redacted text, exactly as the model was trained: no words are hidden from it. The decision rules
that tie themes and severity together follow the taxonomy, and every score of an item depends on
that item alone (never on its batchmates).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import joblib
import numpy as np

from service.labels import SEVERITIES, SEVERITY_FLOOR, SEVERITY_RANK, THEMES, URGENT_REASONS
from service.pipeline.evidence import attributed_evidence, occlusion_evidence, without_each
from service.pipeline.urgent import UrgentPolicy, decide_urgent, literal


@dataclass
class Prediction:
    scores: dict[str, float]
    themes: list[str]
    severity: str
    critical_score: float
    reason_scores: dict[str, float]
    evidence: list[str] = field(default_factory=list)
    mistreatment_score: float = 0.0  # P(severity >= low): "any mistreatment"


EVIDENCE_METHODS = ("gradient", "occlusion")


class ModelNotFound(RuntimeError):
    pass


class Classifier:
    """A shipped model: TF-IDF heads, a fine-tuned MiniLM, or a weighted blend of both."""

    def __init__(self, path: Path, bfloat16: bool = False):
        manifest_path = path / "manifest.json"
        if not manifest_path.exists():
            raise ModelNotFound(f"no model at {path}; run `make train` or check UPSTANDER_MODELS_DIR")
        self.path = path
        self.manifest = json.loads(manifest_path.read_text())
        self.version = f"{self.manifest['name']}-{self.manifest['version']}"
        parts = joblib.load(path / "heads.joblib")
        self.tfidf = parts.get("tfidf")  # {"vectorizer", "heads"} or None
        self.finetuned = parts.get("finetuned")  # {"adapters", "heads", "platt"} or None
        self.weight = float(self.manifest.get("minilm_weight", 0.0))
        self.thresholds = np.array([self.manifest["thresholds"][t] for t in THEMES])
        self.severity_cutoffs = np.array(self.manifest["severity_cutoffs"])
        self.urgent_policy = UrgentPolicy.from_manifest(self.manifest)
        self.critical_pooling = self.manifest.get("critical_pooling")  # {"encoder", "tfidf", "bias"} or None
        self.scorer = None
        if self.finetuned is not None and self.weight > 0:
            from service.pipeline.finetuned import FinetunedScorer

            # Never int8 dynamic quantisation: it scales activations per batch (batch-dependent scores).
            self.scorer = FinetunedScorer(self.finetuned, bfloat16=bfloat16)
            if bfloat16:  # its scores differ slightly from the published float32 figures: say so
                self.version += "+bfloat16"

    def raw_scores(self, texts: Sequence[str]):
        """Blended (theme proba n×12, cumulative severity n×4, reason proba n×4).

        The critical score of a text with a friendly idiom ("hit me up", "shoot me an email") is
        the lower of its reading as written and its reading with the idiom said plainly: a danger
        the model sees must survive the idiom being taken literally. Only those texts are scored
        twice, each on its own, so no score depends on a batchmate."""
        theme, cum, reason = self._text_scores(texts)
        plain = {i: p for i, t in enumerate(texts) if (p := literal(t)) is not None}
        if plain:
            rows = list(plain)
            _, plain_cum, _ = self._text_scores(list(plain.values()))
            cum[rows, -1] = np.minimum(cum[rows, -1], plain_cum[:, -1])
        return theme, cum, reason

    def _text_scores(self, texts: Sequence[str]):
        encoded = self.scorer.probabilities(texts) if self.scorer is not None else None
        return self._blend(texts, encoded)

    def window_scores(self, windows: Sequence[Sequence[str]]):
        """`raw_scores` for items given as encoder windows (occlusion variants)."""
        encoded = self.scorer.window_probabilities(windows) if self.scorer is not None else None
        return self._blend([" ".join(ws) for ws in windows], encoded)

    def windows(self, text: str) -> tuple[str, ...]:
        """The windows the encoder reads a text in (the whole text for a TF-IDF-only model)."""
        return tuple(self.scorer.encoder.windows(text)) if self.scorer is not None else (text,)

    def critical_parts(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Each part's own P(critical), TF-IDF then encoder, of a blended model: what the critical
        pooling is fitted on (training.tune.fit_critical_pooling)."""
        tfidf, encoder = self._parts(texts, self.scorer.probabilities(texts) if self.scorer is not None else None)
        return tfidf[2][:, -1], encoder[2][:, -1]

    def _parts(self, texts: Sequence[str], encoded) -> list[tuple]:
        """(blend weight, themes, cumulative severity, reasons) of each part in use, TF-IDF first."""
        parts = []
        if self.tfidf is not None and self.weight < 1.0:
            rows = self.tfidf["vectorizer"].transform(texts)
            h = self.tfidf["heads"]
            parts.append((1.0 - self.weight, h.theme_proba(rows), h.severity_cumulative(rows), h.reason_proba(rows)))
        if encoded is not None:
            parts.append((self.weight, *encoded))
        return parts

    def _blend(self, texts: Sequence[str], encoded):
        parts = self._parts(texts, encoded)
        theme = sum(w * p for w, p, _, _ in parts)
        cum = sum(w * c for w, _, c, _ in parts)
        reason = sum(w * r for w, _, _, r in parts)
        if self.critical_pooling and len(parts) == 2:
            pooled = pool_critical(parts[0][2][:, -1], parts[1][2][:, -1], self.critical_pooling)
            cum[:, -1] = np.minimum(pooled, cum[:, -2])  # P(critical) <= P(severity >= high)
        return theme, cum, reason

    def predict(self, texts: Sequence[str], *, explain: bool | str = True) -> list[Prediction]:
        """Scores and decisions; with `explain`, evidence for flagged items: by gradient attribution
        (True or "gradient", the default: as close to the marked rationales as occlusion on
        validation, at a fraction of its cost) or by occlusion ("occlusion")."""
        if not texts:
            return []
        theme_p, cum, reason_p = self.raw_scores(texts)
        decisions = [decide(theme_p[i], cum[i], self.thresholds, self.severity_cutoffs) for i in range(len(texts))]
        evidence: dict[int, list[str]] = {}
        if explain:
            method = "gradient" if explain is True else str(explain)
            if method not in EVIDENCE_METHODS:
                raise ValueError(f"unknown evidence method {method!r}; expected one of {EVIDENCE_METHODS}")
            evidence = self._explain(texts, theme_p, cum, reason_p, decisions, method)
        return [
            Prediction(
                scores={t: round(float(theme_p[i, j]), 4) for j, t in enumerate(THEMES)},
                themes=themes,
                severity=severity,
                critical_score=float(cum[i, -1]),
                reason_scores={r: round(float(reason_p[i, j]), 4) for j, r in enumerate(URGENT_REASONS)},
                evidence=evidence.get(i, []),
                mistreatment_score=float(cum[i, 0]),
            )
            for i, (themes, severity) in enumerate(decisions)
        ]

    def _explain(self, texts, theme_p, cum, reason_p, decisions, method: str) -> dict[int, list[str]]:
        """Evidence for every item that will be flagged: one with themes, or one the urgent rules
        will find urgent (decided here exactly as `finalize` will decide it). An item that ends up
        clean gets none: evidence for nothing would cost the most time for no reader. Each item is
        explained against its own decision (the decided themes, plus the critical score when
        urgent): by gradient attribution (`_attributed`), or by occlusion, where all variants of all
        flagged items are scored in one call. A TF-IDF-only model is always occluded (cheaply)."""
        targets: list[tuple[int, list[int], bool]] = []
        for i, (themes, _) in enumerate(decisions):
            reasons = dict(zip(URGENT_REASONS, map(float, reason_p[i]), strict=True))
            critical = decide_urgent(
                texts[i],
                critical_score=float(cum[i, -1]),
                reason_scores=reasons,
                themes=themes,
                policy=self.urgent_policy,
            ).urgent
            if themes or critical:
                targets.append((i, [THEMES.index(t) for t in themes], critical))

        if method == "gradient" and self.scorer is not None:
            return self._attributed(texts, targets)

        def score(owners, variants):
            t, c, _ = self.window_scores(variants)
            return decision_scores(t, c, range(len(variants)), [targets[o] for o in owners])

        # The whole texts were scored above; the same numbers, so they are not scored again.
        full = decision_scores(theme_p, cum, [i for i, _, _ in targets], targets)
        found = occlusion_evidence([self.windows(texts[i]) for i, _, _ in targets], score, full=full)
        return {i: phrases for (i, _, _), phrases in zip(targets, found, strict=True)}

    def _attributed(self, texts: Sequence[str], targets: list[tuple[int, list[int], bool]]) -> dict[int, list[str]]:
        """Evidence by gradient attribution on the encoder (its blend weight applied), plus the
        TF-IDF part occluded exactly (cheap: every variant of every item in one call), both on the
        decision score that `_explain` occludes."""
        scorer = self.scorer
        assert scorer is not None, "gradient evidence needs the encoder"
        if not targets:  # nothing flagged: nothing to explain (and no empty batch for TF-IDF)
            return {}
        items = [self.windows(texts[i]) for i, _, _ in targets]
        variants = [without_each(item) for item in items]
        drops: list[list[float]] = [[0.0] * len(v) for v in variants]
        if self.tfidf is not None and self.weight < 1.0:
            flat = [" ".join(windows) for item, vs in zip(items, variants, strict=True) for windows in (item, *vs)]
            t, c, _ = self._blend(flat, None)
            pos = 0
            for k, (target, vs) in enumerate(zip(targets, variants, strict=True)):
                score = decision_scores(t, c, range(pos, pos + 1 + len(vs)), [target] * (1 + len(vs)))
                drops[k] = list(score[0] - score[1:])
                pos += 1 + len(vs)
        attributions = scorer.token_attributions(items, [(themes, critical) for _, themes, critical in targets])
        out = {}
        for item, d, tokens, (i, _, _) in zip(items, drops, attributions, targets, strict=True):
            weighted = [[(a, b, self.weight * v) for a, b, v in w] for w in tokens]
            out[i] = attributed_evidence(item, weighted, d)
        return out


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def pool_critical(tfidf: np.ndarray, encoder: np.ndarray, pooling: dict) -> np.ndarray:
    """P(critical) from the two parts' P(critical), pooled in logit space with weights fitted on
    validation (`training.tune.fit_critical_pooling`). An average of probabilities lets the weaker part
    decide at the low urgent bar (a TF-IDF 0.2 lifts an item the encoder puts at 0.01 over 0.045);
    in logit space a confident low from either part counts. An option (`train --critical-pooling`), not
    the shipped default: model history, rule 15."""
    z = pooling["encoder"] * logit(encoder) + pooling["tfidf"] * logit(tfidf) + pooling["bias"]
    return 1.0 / (1.0 + np.exp(-z))


def decision_scores(theme_p: np.ndarray, cum: np.ndarray, rows, targets) -> np.ndarray:
    """Per row, the score its item's decision rests on: the decided themes' probabilities summed,
    plus P(critical) when urgent (`targets`: one (item, theme columns, urgent) per row). Evidence of
    either method is what lowers or raises this."""
    return np.array(
        [
            theme_p[r, themes].sum() + (cum[r, -1] if critical else 0.0)
            for r, (_, themes, critical) in zip(rows, targets, strict=True)
        ]
    )


def decide(theme_p: np.ndarray, cum: np.ndarray, thresholds: np.ndarray, cutoffs: np.ndarray) -> tuple[list[str], str]:
    """Themes above their thresholds and an ordinal severity consistent with them.

    The first cumulative head, P(any mistreatment), gates the rest: below its cutoff an item is
    clean whatever single theme score looks high (an ordinary complaint stays unflagged). Critical
    is left to the urgent rules, which see the critical score.
    """
    if cum[0] < cutoffs[0]:
        return [], "none"
    level = max(1, int(np.sum(cum[:3] >= cutoffs[:3])))  # low..high from the cumulative heads
    themes = [t for j, t in enumerate(THEMES) if theme_p[j] >= thresholds[j]]
    if not themes and level >= 2:
        themes = [THEMES[int(np.argmax(theme_p / thresholds))]]
    for t in themes:
        level = max(level, min(SEVERITY_RANK[SEVERITY_FLOOR.get(t, "low")], 3))
    return sorted(themes), SEVERITIES[level]


@lru_cache(maxsize=4)
def load_classifier(models_dir: str, name: str, bfloat16: bool = False) -> Classifier:
    return Classifier(Path(models_dir) / name, bfloat16)
