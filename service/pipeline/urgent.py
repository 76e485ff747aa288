"""Urgent rules: the last stage before storage decides whether an item is critical (urgent).

Missing an urgent item is the worst error the product can make, but an urgent flag must rest on a
danger the text states or clearly implies, and be shown in its evidence. So an item is urgent when
- the model's calibrated P(critical) is high on its own (`model_threshold`), or
- an explicit danger phrase is matched (weapons, assault, threats, stalking) *and* the model
  agrees at a lower bar (`signal_threshold`): such a phrase alone is not enough, since "I'll shoot
  you an email" or "this rota is killing me" match the words and not the danger; or
- a self-harm or stalking phrase is matched ("better off without me", "keeps following me home"):
  these have no friendly idioms and stand alone.
Both thresholds are chosen on validation for the deployment mix (training/train.py): recall on
urgent items first, then as few false alarms per 1,000 clean comments as that allows. Patterns run
on redacted text; the matched phrases become the reviewer's evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from service.labels import SEVERITY_FLOOR, URGENT_REASONS, max_severity

_P = r"(?:me|him|her|them|us|my|his|their|<PERSON_\d+>)"
_BODY = r"(?:bum|butt|backside|bottom|breasts?|chest|thighs?|legs?|crotch|groin|waist|hips?|behind|arse|ass)"
_SELF = r"(?:myself|herself|himself|themselves|themself)"

SIGNALS: dict[str, list[str]] = {
    "self_harm": [
        rf"\b(?:kill(?:ing)?|hurt(?:ing)?|harm(?:ing)?|cut(?:ting)?|end(?:ing)?) {_SELF}\b",
        r"\bsuicid\w*",
        r"\bself[- ]?harm\w*",
        r"\bend(?:ing)? (?:it all|my life|things for good)\b",
        r"\btake my (?:own )?life\b",
        r"\b(?:don'?t|do not|can'?t|cannot|no longer) see (?:the |any |much )?point (?:in|of) "
        r"(?:carrying on|going on|living|being here|being alive|anything|any of it|it all|life)\b",
        r"\bbetter off (?:without me|if i (?:was|were)n'?t (?:here|around|alive))\b",
        r"\b(?:just )?(?:not|never) (?:to )?wak(?:e|ing) up\b",
        r"\bno (?:reason|point) (?:to|in) (?:live|living|go on|going on|keep going|being alive)\b",
        r"\b(?:don'?t|do not) want to (?:be alive|live|exist|be here any ?more)\b",
        r"\boverdos\w*",
        r"\b(?:jump|step|stepp?ed|throw myself) (?:in front of|off) (?:a|the) (?:train|bus|car|bridge|roof|platform)\b",
        r"\bhow easy it would be\b",
        # passive ideation, as screening instruments phrase it
        r"\b(?:notice|care|miss me) if i (?:just )?(?:didn'?t come back|wasn'?t (?:here|around)|disappeared|was gone|never came back)\b",
        r"\bwish (?:i|he|she) (?:was|were) (?:dead|gone|never born)\b|\bwish (?:i|he|she) (?:wasn'?t|weren'?t) (?:alive|here|around)\b",
        r"\b(?:nothing|no one|nobody) (?:left )?to live for\b|\bcan'?t (?:go on|keep going) (?:like this|any ?more)\b",
        r"\b(?:want|wants|wanted|wanting) to (?:disappear|vanish|stop existing|not exist|not be here|be gone for good)\b",
        r"\bno way out\b.{0,40}\b(?:life|living|all of it|everything)\b|\bend it all\b",
        r"\bsaying goodbye\b.{0,60}\b(?:gave|giving) away\b|\bgiv(?:en|ing|e) away (?:my|his|her|all) (?:things|stuff|belongings)\b",
    ],
    "violence": [
        rf"\b(?:punch|slap|kick|shov|headbutt|strangl|chok|smack|thump|elbow|bit|beat|batter)\w* {_P}\b",
        rf"\bpush(?:ed|es|ing)? {_P} (?:against|into|over|out of|down|back|off|away|aside|hard)\b",
        rf"\bgrabb?(?:ed|ing|s)? {_P} (?:by|round|around|arm|wrist|neck|collar|throat|hair|shoulder)",
        rf"\bgrabb?(?:ed|ing|s)? {_P} (?:arm|wrist|neck|collar|throat|hair|shoulders?)\b",
        rf"\bspat (?:at|on) {_P}|\bspit (?:at|on) {_P}",
        rf"\bthr[eo]w\w* (?:a |an |the |his |her |their |my )?[\w-]+(?: [\w-]+)? at {_P}",
        rf"\bpinn(?:ed|ing)? {_P} (?:against|to|down)\b",
        r"\b(?:knife|knives|gun|pistol|rifle|firearm|machete|box ?cutter|stanley knife|blade|crowbar)\b"
        r"(?=.{0,80}\b(?:at|towards?|waved|pointed|pulled|held|brandish\w*|threat\w*|show\w*|bring\w*|carr\w*)\b)",
        r"\b(?:waved|pointed|pulled|held|brandish\w*)\b.{0,40}\b(?:knife|knives|gun|pistol|blade|box ?cutter|machete)\b",
        r"\b(?:i'?ll|i will|i'?m going to|gonna|he'?ll|she'?ll|they'?ll|he will|she will|going to) "
        r"(?:kill|hurt|stab|shoot|beat|batter|smash|break|end|get|find|deal with) (?:you|your|her|him|them)\b",
        r"\bkill (?:you|him|her)\b",
        r"\bknow where (?:you|she|he) (?:live|lives|park|parks)\b",
        r"\bwatch (?:your|her|his) back\b",
        r"\baccidents (?:happen|can happen)\b",
        r"\bend up (?:hurt|in hospital|getting hurt)\b",
        r"\bphysically (?:assault|attack)\w*|\bassault(?:ed)? (?:me|him|her)\b|\battack(?:ed)? (?:me|him|her)\b",
    ],
    "sexual_assault": [
        r"\bgrop\w*",
        rf"\b(?:touch|grabb?|squeez|strok|rubb?|pinch|slapp?|fondl|caress|feel)\w* (?:my|her|his|me on the) {_BODY}\b",
        rf"\bhands? (?:on|up|down|across|over) (?:my|her|his) {_BODY}|\bhands? (?:on|up) (?:my|her) (?:skirt|top|shirt|lower back)\b",
        r"\b(?:forced|tried|try|trying) (?:a kiss|to kiss)\b|\bkissed me\b|\bforced himself\b|\bforced herself\b",
        r"\brap(?:e|ed|ing)\b|\bsexual(?:ly)? assault\w*|\bmolest\w*",
        r"\bsleep with (?:me|him|her)\b.{0,40}\bor\b|\bsexual favou?rs?\b",
        rf"\bbrush(?:es|ed|ing)? (?:up )?against {_P}\b",
    ],
    "stalking": [
        rf"\bfollow(?:ed|s|ing)? {_P} (?:home|to (?:my|her|his|the) (?:car|house|flat|station|bus stop|gym)|after work|out of|around)\b",
        r"\b(?:waiting|waits|waited|turned up|turns up|turning up|showed up|shows up|parked|sitting) "
        r"(?:for me |for her )?(?:at|outside|near|by|round) (?:my|her|his) (?:house|home|flat|car|door|gym|building|place|school)\b",
        r"\btrack(?:ing|ed|s)? (?:my|her|his) (?:location|phone|car|movements)\b",
        r"\bstalk\w*",
        r"\b(?:found|got|has|knows) (?:my|her) (?:home|personal) (?:address|number)\b",
    ],
}
_COMPILED = {reason: [re.compile(p, re.IGNORECASE) for p in pats] for reason, pats in SIGNALS.items()}
assert set(_COMPILED) == set(URGENT_REASONS)

# Friendly or figurative uses of violent words: a danger match inside one of these spans is dropped.
IDIOMS = re.compile(
    r"\b(?:shoot|shot|fire|firing|hit|hitting|ping|drop|dropped)\b (?:me|you|him|her|them|us) "
    r"(?:an? |the |over |back )?(?:e-?mail|message|text|note|line|invite|dm|up|request|reminder|update|call)"
    r"|\bhit (?:me|you|him|her|them|us) up\b|\bkill(?:ing|s)? (?:me|it|us)\b(?! (?:with|by))"
    r"|\bkill (?:for|two birds)|\b(?:deadline|rota|commute|shift|meeting|spreadsheet|job|heat|traffic)s? "
    r"(?:is|are|was|were) (?:killing|murdering) (?:me|us)\b"
    r"|\b(?:dying|die) (?:of|from) (?:embarrassment|boredom|laughter|shame)\b|\bcould murder an?\b"
    r"|\bkill(?:ed|ing)? (?:it|the (?:presentation|pitch|demo|interview))\b",
    re.IGNORECASE,
)


STANDALONE_REASONS = frozenset({"self_harm", "stalking"})


@dataclass(frozen=True)
class UrgentPolicy:
    """The two validation-tuned bars of the rule above (from the model's manifest)."""

    model_threshold: float = 0.5
    signal_threshold: float = 0.1

    @classmethod
    def from_manifest(cls, manifest: dict) -> UrgentPolicy:
        model = float(manifest.get("critical_threshold", cls.model_threshold))
        return cls(model, float(manifest.get("signal_threshold", min(model, cls.signal_threshold))))


@dataclass
class UrgentDecision:
    urgent: bool
    reasons: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


@lru_cache(maxsize=8192)
def danger_signals(text: str) -> dict[str, list[str]]:
    """Reason → matched phrases (as they appear in the redacted text), idioms excluded.

    Callers must not mutate the result (it is cached).
    """
    idiom_spans = [m.span() for m in IDIOMS.finditer(text)]
    hits: dict[str, list[str]] = {}
    for reason, patterns in _COMPILED.items():
        for pattern in patterns:
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(start < i_end and i_start < end for i_start, i_end in idiom_spans):
                    continue
                hits.setdefault(reason, []).append(match.group(0).strip())
    return hits


def decide_urgent(
    text: str, *, critical_score: float, reason_scores: dict[str, float], themes: list[str], policy: UrgentPolicy
) -> UrgentDecision:
    hits = danger_signals(text)
    signalled = bool(hits) or "physical_violence" in themes
    confident = critical_score >= policy.model_threshold
    # Self-harm and stalking phrasing stands on its own: it has no friendly idioms to confuse it.
    # Violence and sexual-assault phrases do ("I'll kill him", "he kissed me") and need the model.
    standalone = bool(STANDALONE_REASONS & set(hits))
    if not confident and not standalone and not (signalled and critical_score >= policy.signal_threshold):
        return UrgentDecision(False)
    reasons = set(hits)
    if confident or not reasons:
        reasons |= {r for r, p in reason_scores.items() if p >= 0.5}
        if not reasons:
            reasons.add(max(reason_scores, key=reason_scores.__getitem__))
    evidence = [phrase for r in URGENT_REASONS for phrase in hits.get(r, [])[:2]]
    return UrgentDecision(True, [r for r in URGENT_REASONS if r in reasons], evidence)


@dataclass
class Final:
    """The labels an item is stored and returned with."""

    themes: list[str]
    severity: str
    urgent: bool
    urgent_reasons: list[str]
    evidence: list[str]


# The themes an urgent reason implies, to give an urgent item a theme when the model gave none.
_REASON_THEMES = {
    "self_harm": ("distress",),
    "sexual_assault": ("sexual_harassment",),
    "stalking": ("intimidation", "sexual_harassment"),
    "violence": ("physical_violence", "intimidation"),
}


def _theme_for_reasons(reasons: list[str], scores: dict[str, float]) -> str:
    candidates = [t for r in reasons for t in _REASON_THEMES[r]] or list(scores)
    return max(candidates, key=lambda t: scores.get(t, 0.0))


def finalize(text: str, pred, policy: UrgentPolicy) -> Final:
    """Model prediction (`classification.Prediction`) + urgent rules → the item's final labels.

    Urgent makes the item critical. A physical_violence theme is critical by the taxonomy, so when
    the rules do not find the item urgent the theme is dropped (the model's nearest non-critical
    reading, intimidation, stands in if nothing else is left).
    """
    urgent = decide_urgent(
        text, critical_score=pred.critical_score, reason_scores=pred.reason_scores, themes=pred.themes, policy=policy
    )
    themes, severity = list(pred.themes), pred.severity
    if urgent.urgent:
        severity = "critical"
        if not themes:
            themes = [_theme_for_reasons(urgent.reasons, pred.scores)]
    elif "physical_violence" in themes:
        themes = [t for t in themes if t != "physical_violence"] or ["intimidation"]
        severity = max_severity(severity, *(SEVERITY_FLOOR.get(t, "low") for t in themes))
    evidence = (urgent.evidence + [e for e in pred.evidence if e not in urgent.evidence])[:5]
    return Final(sorted(themes), severity, urgent.urgent, urgent.reasons, evidence)
