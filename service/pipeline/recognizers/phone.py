"""UK, US and international phone numbers in the formats people type."""

from __future__ import annotations

from service.pipeline.recognizers.regex import RegexRecognizer


def _digit_count_ok(value: str) -> bool:
    return 7 <= sum(ch.isdigit() for ch in value) <= 15


PHONE = RegexRecognizer(
    "PHONE_NUMBER",
    [
        # UK: 07700 900123, 0161 496 0732, +44 20 7946 0958, +44 (0)7700 900123
        (r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b", 0.75),
        # US/Canada: (415) 555-0134, 415.555.0199, +1 212 555 0147
        (r"(?<![\w+])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}\b", 0.75),
        # International with a country code: +49 30 901820, +91 98765 43210, +33 1 23 45 67 89
        (r"(?<![\w+])\+\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,6}", 0.75),
    ],
    name="WorkplacePhoneRecognizer",
    validate=_digit_count_ok,
)
