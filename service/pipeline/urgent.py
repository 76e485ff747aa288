"""Urgent rules: a high-recall safety net on top of the model's critical score.

Missing an urgent item is the worst error the product can make, so an item is critical when the
model's calibrated P(critical) passes a low threshold chosen for recall, *or* an explicit danger
signal appears (self-harm phrasing, weapons, assault, threats, stalking). Patterns run on
redacted text; the matched phrases become evidence for the reviewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from service.labels import URGENT_REASONS

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


@dataclass
class UrgentDecision:
    urgent: bool
    reasons: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


@lru_cache(maxsize=8192)
def danger_signals(text: str) -> dict[str, list[str]]:
    """Reason → matched phrases (as they appear in the redacted text). Callers must not mutate it."""
    hits: dict[str, list[str]] = {}
    for reason, patterns in _COMPILED.items():
        for pattern in patterns:
            for match in pattern.finditer(text):
                hits.setdefault(reason, []).append(match.group(0).strip())
    return hits


def decide_urgent(
    text: str,
    *,
    critical_score: float,
    reason_scores: dict[str, float],
    themes: list[str],
    critical_threshold: float,
) -> UrgentDecision:
    hits = danger_signals(text)
    model_says = critical_score >= critical_threshold or "physical_violence" in themes
    if not hits and not model_says:
        return UrgentDecision(False)
    reasons = set(hits)
    if model_says:
        reasons |= {r for r, p in reason_scores.items() if p >= 0.5}
        if not reasons:
            reasons.add(max(reason_scores, key=reason_scores.__getitem__))
    evidence = [phrase for r in URGENT_REASONS for phrase in hits.get(r, [])[:2]]
    return UrgentDecision(True, [r for r in URGENT_REASONS if r in reasons], evidence)
