"""Vehicle registration plates: UK and US shapes, and after "reg" or "plate"."""

from __future__ import annotations

from service.pipeline.recognizers.regex import RegexRecognizer

LICENSE_PLATE = RegexRecognizer(
    "LICENSE_PLATE",
    [
        (r"\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b", 0.7),  # UK current format
        (r"\b\d[A-Z]{3}\d{3}\b", 0.6),  # e.g. California 7XYZ123
        (
            r"(?i:reg(?:istration)?|plate|number plate|licen[cs]e plate|tag)\s*(?i:no\.?|number)?\s*[:#]?\s*"
            r"\b([A-Z0-9]{2,4}[ -]?[A-Z0-9]{2,4})\b",
            0.6,
        ),
    ],
    name="LicensePlateRecognizer",
)
