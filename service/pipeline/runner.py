"""Compose the stages for a chunk of rows: consent → redaction → classification → urgent rules.

Rows go in, one record per row comes out, in order. A stage failure never drops an item: if
classification fails the item is kept as `needs_review` so a human sees it (invariant 5); if
redaction fails, nothing of the text is kept at all.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from service.pipeline.classification import Classifier, Prediction
from service.pipeline.redaction import Redaction, Redactor
from service.pipeline.rows import InputRow
from service.pipeline.urgent import finalize

log = logging.getLogger("upstander.pipeline")


@dataclass
class Outcome:
    """One row's result: the public item record plus what only storage keeps."""

    row: InputRow
    record: dict
    status: str  # done | skipped | error | needs_review
    person_pseudonyms: list[str] = field(default_factory=list)


class Pipeline:
    def __init__(self, redactor: Redactor, classifier: Classifier, *, explain: bool | str = True):
        self.redactor = redactor
        self.classifier = classifier
        self.urgent_policy = classifier.urgent_policy
        self.explain = explain  # a Classifier.predict evidence method; False: danger phrases only

    @property
    def model_version(self) -> str:
        return self.classifier.version

    def process(self, rows: Sequence[InputRow]) -> list[Outcome]:
        outcomes: list[Outcome | None] = [None] * len(rows)
        todo: list[int] = []
        for i, row in enumerate(rows):
            if row.error is not None:
                err = {"code": row.error.code, "message": row.error.message, "line": row.line}
                outcomes[i] = Outcome(row, {"id": row.id, "error": err}, "error")
            elif not row.consent:
                outcomes[i] = Outcome(row, {"id": row.id, "skipped": "no_consent"}, "skipped")
            else:
                todo.append(i)
        redactions = self._redact([rows[i].text or "" for i in todo])
        for i, red in zip(todo, redactions, strict=True):
            rows[i].text = None  # raw text leaves memory as soon as it is redacted
            if red is None:
                outcomes[i] = self._needs_review(rows[i], None, "redaction_failed")
        ready = [(i, red) for i, red in zip(todo, redactions, strict=True) if red is not None]
        predictions = self._classify([red.text for _, red in ready])
        for (i, red), pred in zip(ready, predictions, strict=True):
            if pred is None:
                outcomes[i] = self._needs_review(rows[i], red, "classification_failed")
            else:
                outcomes[i] = self._done(rows[i], red, pred)
        return [o for o in outcomes if o is not None]

    def _redact(self, texts: list[str]) -> list[Redaction | None]:
        try:
            return list(self.redactor.redact_many(texts))
        except Exception:
            log.exception("batched redaction failed; retrying item by item")
        out: list[Redaction | None] = []
        for text in texts:
            try:
                out.append(self.redactor.redact(text))
            except Exception as exc:  # never log the text itself
                log.error("redaction failed for one item: %s", type(exc).__name__)
                out.append(None)
        return out

    def _classify(self, texts: list[str]) -> list[Prediction | None]:
        try:
            return list(self.classifier.predict(texts, explain=self.explain))
        except Exception:
            log.exception("batched classification failed; retrying item by item")
        out: list[Prediction | None] = []
        for text in texts:
            try:
                out.append(self.classifier.predict([text], explain=self.explain)[0])
            except Exception as exc:
                log.error("classification failed for one item: %s", type(exc).__name__)
                out.append(None)
        return out

    def _base(self, row: InputRow) -> dict:
        record: dict = {"id": row.id}
        for key in ("unit", "period", "source"):
            if getattr(row, key) is not None:
                record[key] = getattr(row, key)
        return record | {k: v for k, v in row.extra.items() if k not in record}

    def _needs_review(self, row: InputRow, red: Redaction | None, code: str) -> Outcome:
        record = self._base(row) | {
            "redacted_text": red.text if red else None,
            "themes": [],
            "scores": {},
            "severity": None,
            "urgent": False,
            "urgent_reasons": [],
            "evidence": [],
            "model_version": self.model_version,
            "needs_review": True,
            "error": {"code": code, "message": "the item could not be analysed; a reviewer must read it"},
        }
        return Outcome(row, record, "needs_review", red.person_pseudonyms if red else [])

    def _done(self, row: InputRow, red: Redaction, pred: Prediction) -> Outcome:
        final = finalize(red.text, pred, self.urgent_policy)
        record = self._base(row) | {
            "redacted_text": red.text,
            "themes": final.themes,
            "scores": pred.scores,
            "severity": final.severity,
            "urgent": final.urgent,
            "urgent_reasons": final.urgent_reasons,
            "evidence": final.evidence,
            "model_version": self.model_version,
        }
        return Outcome(row, record, "done", red.person_pseudonyms)
