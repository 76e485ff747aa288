"""The shape shared by the pattern recognizers: a list of regexes, each with a score."""

from __future__ import annotations

import re

from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts


class RegexRecognizer(LocalRecognizer):
    """Regexes with optional capture group 1 as the span, and an optional validator."""

    def __init__(self, entity: str, patterns: list[tuple[str, float]], name: str, validate=None):
        self.compiled = [(re.compile(p), score) for p, score in patterns]
        self.validate = validate
        super().__init__(supported_entities=[entity], name=name, supported_language="en")

    def load(self) -> None:  # nothing to load
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None):
        results = []
        entity = self.supported_entities[0]
        for regex, score in self.compiled:
            for match in regex.finditer(text):
                group = 1 if regex.groups and match.group(1) else 0
                start, end = match.span(group)
                if self.validate and not self.validate(text[start:end]):
                    continue
                results.append(RecognizerResult(entity, start, end, score))
        return results
