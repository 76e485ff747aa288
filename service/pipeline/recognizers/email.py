"""Email addresses, with domains validated offline."""

from __future__ import annotations

import re

import tldextract
from presidio_analyzer.predefined_recognizers import EmailRecognizer

# Offline suffix list: never fetch the public-suffix list at run time (offline-models.md).
_OFFLINE_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's email recognizer, validating domains offline. An address whose suffix is not on
    the bundled public-suffix snapshot (an intranet or new TLD) is still redacted: privacy first."""

    def validate_result(self, pattern_text: str) -> bool:
        if _OFFLINE_TLD(pattern_text).fqdn != "":
            return True
        return re.fullmatch(r"[^@\s]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,24}", pattern_text) is not None
