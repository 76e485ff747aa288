"""Classification stage: themes (multi-label), severity (ordinal) and urgent-reason scores.

It loads a shipped model artifact from `models/` (no training at run time) and runs only on
redacted text. The decision rules that tie themes and severity together follow
training/ANNOTATION.md so that the model's output obeys the label contract.
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
from service.pipeline import evidence as ev
from service.pipeline.identity import PLACEHOLDER, neutralise_all


@dataclass
class Prediction:
    scores: dict[str, float]
    themes: list[str]
    severity: str
    critical_score: float
    reason_scores: dict[str, float]
    evidence: list[str] = field(default_factory=list)
    mistreatment_score: float = 0.0  # P(severity >= low): "any mistreatment"


class ModelNotFound(RuntimeError):
    pass


class Classifier:
    """A shipped model: TF-IDF heads, a LoRA-tuned MiniLM, or a weighted blend of both."""

    def __init__(self, path: Path):
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
        self.scorer = None
        if self.finetuned is not None and self.weight > 0:
            from service.pipeline.finetuned import FinetunedScorer

            self.scorer = FinetunedScorer(self.finetuned, quantize=bool(self.manifest.get("quantize", True)))
        self._coefs = None
        if self.tfidf is not None:
            self._vocab = np.array(self.tfidf["vectorizer"].get_feature_names_out())
            self._coefs = [ev.linear_coefficients(m) for m in self.tfidf["heads"].themes]

    def raw_scores(self, texts: Sequence[str]):
        """Blended (theme proba, cumulative severity, reason proba, tfidf rows)."""
        if self.manifest.get("identity_neutralisation") == "inference":  # see service/pipeline/identity.py
            texts = neutralise_all(texts, self.manifest.get("identity_placeholder", PLACEHOLDER))
        parts, rows = [], None
        if self.tfidf is not None and self.weight < 1.0:
            rows = self.tfidf["vectorizer"].transform(texts)
            h = self.tfidf["heads"]
            parts.append((1.0 - self.weight, h.theme_proba(rows), h.severity_cumulative(rows), h.reason_proba(rows)))
        if self.scorer is not None:
            theme, cum, reason = self.scorer.probabilities(texts)
            parts.append((self.weight, theme, cum, reason))
        theme = sum(w * p for w, p, _, _ in parts)
        cum = sum(w * c for w, _, c, _ in parts)
        reason = sum(w * r for w, _, _, r in parts)
        return theme, cum, reason, rows

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        if not texts:
            return []
        theme_p, cum, reason_p, rows = self.raw_scores(texts)
        out = []
        for i, text in enumerate(texts):
            themes, severity = decide(theme_p[i], cum[i], self.thresholds, self.severity_cutoffs)
            evidence: list[str] = []
            if rows is not None and self._coefs is not None:
                for t in themes:
                    coef = self._coefs[THEMES.index(t)]
                    if coef is not None:
                        evidence = ev.merge(evidence, ev.ngram_evidence(text, rows[i], self._vocab, coef, k=2))
            out.append(
                Prediction(
                    scores={t: round(float(theme_p[i, j]), 4) for j, t in enumerate(THEMES)},
                    themes=themes,
                    severity=severity,
                    critical_score=float(cum[i, -1]),
                    reason_scores={r: round(float(reason_p[i, j]), 4) for j, r in enumerate(URGENT_REASONS)},
                    evidence=evidence,
                    mistreatment_score=float(cum[i, 0]),
                )
            )
        return out


def decide(theme_p: np.ndarray, cum: np.ndarray, thresholds: np.ndarray, cutoffs: np.ndarray) -> tuple[list[str], str]:
    """Themes above their thresholds and an ordinal severity consistent with them.

    Critical is left to the urgent-rules stage, which sees the critical score.
    """
    themes = [t for j, t in enumerate(THEMES) if theme_p[j] >= thresholds[j]]
    level = int(np.sum(cum[:3] >= cutoffs[:3]))  # none..high from the cumulative heads
    if not themes and level >= 2:
        themes = [THEMES[int(np.argmax(theme_p / thresholds))]]
    if not themes:
        return [], "none"
    level = max(level, 1)
    for t in themes:
        level = max(level, min(SEVERITY_RANK[SEVERITY_FLOOR.get(t, "low")], 3))
    return sorted(themes), SEVERITIES[level]


@lru_cache(maxsize=4)
def load_classifier(models_dir: str, name: str) -> Classifier:
    return Classifier(Path(models_dir) / name)
