"""Street addresses with or without a house number, flats, and UK postcodes."""

from __future__ import annotations

from service.pipeline.recognizers.regex import RegexRecognizer

_STREET = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Grove|Close|Drive|Dr|Way|Crescent|Cres|Place|Pl|Court|Ct|"
    r"Terrace|Gardens|Boulevard|Blvd|Mews|Row|Square|Sq|Hill|Park|Walk|Rise|View|Parade|Highway|Hwy)"
)
_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}"
# Street types unambiguous without a number ("Park", "Hill", "St", "Dr" also mean other things).
_STREET_WORD = (
    r"(?:Street|Road|Rd|Avenue|Ave|Lane|Grove|Close|Drive|Crescent|Terrace|Gardens|Boulevard|Blvd|Mews|"
    r"Parade|Highway)"
)
STREET_ADDRESS = RegexRecognizer(
    "STREET_ADDRESS",
    [
        (
            r"\b\d{1,5}[A-Za-z]?,?\s+(?:[NSEW]\.?\s+)?(?:[A-Z][a-z]+\s+|\d+(?:st|nd|rd|th)\s+){1,3}"
            + _STREET
            + r"\b\.?(?:,?\s*(?:Apt|Flat|Unit|Suite)\.?\s*\w+)?(?:,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)?"
            + r"(?:,?\s*"
            + _POSTCODE
            + r")?(?:,?\s*[A-Z]{2}\s\d{5})?",
            0.8,
        ),
        (r"\b" + _POSTCODE + r"\b", 0.6),
        # a street named without a house number: "lives on Cranbrook Road", "parks off Elm Grove"
        (
            r"(?i:\b(?:on|in|off|along|down|up|near|at|from|to|onto|into|round|opposite)\s+(?:the\s+)?)"
            r"((?:[A-Z][a-z']+\s+){1,3}" + _STREET_WORD + r")\b",
            0.6,
        ),
        (r"(?i:\bflat|\bapartment|\bapt\.?)\s+\d+[A-Za-z]?,?\s+\d{1,5}\s+[A-Z][a-z]+\s+" + _STREET + r"\b", 0.8),
    ],
    name="StreetAddressRecognizer",
)
