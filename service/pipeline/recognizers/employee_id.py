"""Employee, staff, badge and payroll numbers: by shape, and after cue words ("staff no. 40213")."""

from __future__ import annotations

from service.pipeline.recognizers.regex import RegexRecognizer

_ID_CUE = (
    r"(?i:\b(?:staff|employee|emp|badge|payroll|personnel|worker|clock(?:ing)?|pay|service|associate|"
    r"colleague|member|id)\b)"
)
_ID_VALUE = r"([A-Z0-9]+(?:[- /][A-Z0-9]+){0,2})\b"


def _looks_like_id(value: str) -> bool:
    return sum(ch.isdigit() for ch in value) >= 3 and len(value) <= 24


EMPLOYEE_ID = RegexRecognizer(
    "EMPLOYEE_ID",
    [
        (r"\b(?:EMP|EMPL|STF|STAFF|BDG|BADGE|PR|PAY|PID|EID|SID|HR|E|B|S)[-_ ]?\d{4,9}\b", 0.7),
        (r"\b[A-Z]{1,4}-\d{4,9}\b(?![-/])", 0.45),
        # "staff no. 40213", "my employee number is HX-2291-07", "Associate ID RNO4-77813"
        (_ID_CUE + r"\s*(?i:no\.?|number|num\.?|#|id|ref|code)?\s*(?i:is|was|=)?\s*[:#.]?\s*" + _ID_VALUE, 0.85),
        # a bare number stated as one's own: "my number is 48213", "I'm no. 48213 on the rota"
        (
            r"(?i:\b(?:my|his|her|their)\s+(?:number|no\.?|num\.?|#)|\bi'?m\s+(?:number|no\.?|#))"
            r"(?i:'s|\s+is|\s+was)?\s*[:#=]?\s*(\d{5,7})\b(?![-/.]\d)",
            0.7,
        ),
    ],
    name="EmployeeIdRecognizer",
    validate=_looks_like_id,
)
