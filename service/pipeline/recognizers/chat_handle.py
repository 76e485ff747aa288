"""Chat handles (@dave.smith)."""

from __future__ import annotations

from service.pipeline.recognizers.regex import RegexRecognizer

CHAT_HANDLE = RegexRecognizer(
    "CHAT_HANDLE",
    [(r"(?<![\w.@])@[A-Za-z][A-Za-z0-9_.\-]{0,30}[A-Za-z0-9_]", 0.8)],
    name="ChatHandleRecognizer",
)
