"""Urgent rules: the last stage before storage decides whether an item is critical (urgent).

Missing an urgent item is the worst error the product can make, but an urgent flag must rest on a
danger the text states or clearly implies, and be shown in its evidence. So an item is urgent when
- the model's calibrated P(critical) is high on its own (`model_threshold`), or
- an explicit danger phrase is matched (weapons, assault, threats, stalking; the narrow list here
  and the wider one of danger_wide.py) *and* the model agrees at a lower bar (`signal_threshold`): such a phrase alone is not enough, since "I'll shoot
  you an email" or "this rota is killing me" match the words and not the danger; or
- a narrow self-harm or stalking phrase is matched ("better off without me", "keeps following me
  home"): these have no friendly idioms and stand alone, unless the text denies them ("I'm not
  suicidal"), when they are signals like the rest.
Besides the explicit phrases, `IMPLIED` holds the indirect ways a danger is put: veiled threats
("people go missing out here"), passive ideation as screening instruments word it ("wish I could
go to sleep and not wake up"), covert tracking, sabotage of safety equipment. They are phrasings
an ordinary comment can share ("what's the point any more, nobody reads these"), so whatever
their reason they count only as signals, never alone: the model must agree at the signal bar.
Both thresholds are chosen on validation for the deployment mix (training/train.py): recall on
urgent items first, then as few false alarms per 1,000 clean comments as that allows. Patterns run
on redacted text; the matched phrases become the reviewer's evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from service.labels import SEVERITY_FLOOR, URGENT_REASONS, max_severity
from service.pipeline.danger_wide import ONLINE, WIDER

_P = r"(?:me|him|her|them|us|my|his|their|<PERSON_\d+>)"
_BODY = r"(?:bum|butt|backside|bottom|breasts?|chest|thighs?|legs?|crotch|groin|waist|hips?|behind|arse|ass)"
_SELF = r"(?:myself|herself|himself|themselves|themself)"
# Being followed around a workplace is intimidation; stalking, by the taxonomy, is outside work.
_AT_WORK = (
    r"(?:floor|shop ?floor|store|shop|aisles?|office|ward|kitchen|warehouse|site|factory|plant|depot|restaurant"
    r"|bar|department|building|lab|yard|line|desk|workplace|all day|all shift|with a clipboard)\b"
)

_ACCIDENT = (
    r"(?:lifting|carrying|moving|slipping|tripping|falling|on (?:a|the|his|her|my|our) (?:\w+ )?(?:forklift|cutter|machine"
    r"|pallet|blade|ladder|shelf|shelving|racking|conveyor|till|glass|tin|guard|trolley|cage|door|steps|stairs|kerb))"
)
_NO_POINT = r"\b(?:don'?t|do not|can'?t|cannot|no longer) see (?:the |any |much )?point (?:in|of) "
_DRUG = (
    r"(?:pills|tablets|meds|medication|medicine|paracetamol|painkillers|insulin|sleeping|antidepressants|drugs"
    r"|heroin|opioids|opiates|co-?codamol|ibuprofen|aspirin)\b"
)

SIGNALS: dict[str, list[str]] = {
    "self_harm": [
        rf"\b(?:kill(?:ing)?|hurting|harm(?:ing)?|cutting|end(?:ing)?) {_SELF}\b"
        rf"|\b(?:hurt|cut) {_SELF}\b(?! {_ACCIDENT})",  # an injury at work is no self-harm
        r"\bsuicid\w*",
        r"\bself[- ]?harm\w*",
        r"\bend(?:ing)? (?:it all|my life|things for good)\b",
        r"\btake my (?:own )?life\b(?! back)",
        _NO_POINT + r"(?:carrying on|going on|living|being here|being alive|life)\b",
        r"\bbetter off (?:without me|if i (?:was|were)n'?t (?:here|around|alive))\b",
        # not waking up as an end, not as a time or a routine ("not waking up at 5am for this")
        r"\b(?:just )?(?:not|never) (?:to )?wak(?:e|ing) up\b"
        r"(?! (?:at|early|earlier|before|in time|on time|for|till|until|rested|refreshed|\d"
        r"|to (?:\d|an?|the|my|(?:[\w-]+ )?(?:emails?|messages?|texts?|calls?|alarms?))))",
        r"\bno (?:reason|point) (?:to|in) (?:live|living|go on|going on|keep going|being alive)\b",
        r"\b(?:don'?t|do not) want to (?:be alive|live|exist|be here any ?more)\b",
        # an overdose of pills, not "an overdose of meetings": an object after "of"/"on" must be a drug
        rf"\boverdos\w*+(?! (?:of|on) (?!(?:(?:my|his|her|their|the|some|a) )?(?:\w+ )?{_DRUG}))",
        r"\b(?:jump|jumping|step|stepping|stepp?ed|throw myself|throwing myself) in front of (?:a|the) "
        r"(?:train|bus|car|lorry|truck|tram)\b"
        r"|\b(?:jump|throw myself) off (?:a|the) (?:train|bridge|roof|platform)\b"
        r"|\bstep(?:ping|ped)? off (?:a|the) (?:bridge|roof|ledge|platform)\b",  # not "step off the bus" on the way in
        r"\bhow easy it would be\b(?=\s*(?:[.!?,;:)]|$))",  # said of itself; "... to fix the rota" is not
        # passive ideation, as screening instruments phrase it
        r"\b(?:notice|care|miss me) if i (?:just )?(?:didn'?t come back|wasn'?t (?:here|around)|disappeared|was gone|never came back)\b",
        # the writer's own wish: "I wish he was gone" is about a manager
        r"\bwish i (?:was|were) (?:dead|gone|never born)\b|\bwish i (?:wasn'?t|weren'?t) (?:alive|here|around)\b",
        r"\b(?:nothing|no one|nobody) (?:left )?to live for\b",
        r"\b(?:want|wants|wanted|wanting) to (?:stop existing|not exist|not be here|be gone for good)\b",
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
        r"(?:(?:kill|hurt|stab|shoot|beat|batter|smash|break) (?:you|your|her|him|them)\b"
        r"|(?:end|get|find|deal with) (?:you|her|him|them)\b(?! (?:a|an|the|some|another|one|back|in|on|up)\b))",
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
        rf"\bfollow(?:ed|s|ing)? {_P} (?:home|to (?:my|her|his|the) (?:car|house|flat|station|bus stop|gym)|after work|out of"
        rf"|around\b(?! (?:the |our |this )?{_AT_WORK}))\b",
        r"\b(?:waiting|waits|waited|turned up|turns up|turning up|showed up|shows up|parked|sitting) "
        r"(?:for me |for her )?(?:at|outside|near|by|round) (?:my|her|his) (?:house|home|flat|car|door|gym|building|place|school)\b",
        r"\btrack(?:ing|ed|s)? (?:my|her|his) (?:location|phone|car|movements)\b",
        rf"\bstalk\w*+(?! {ONLINE})",  # possessive: the suffix is not given back to the lookahead
        r"\b(?:found|knows) (?:my|her) (?:home|personal) (?:address|number)\b",  # HR "has" them
    ],
}
_COMPILED = {reason: [re.compile(p, re.IGNORECASE) for p in pats] for reason, pats in SIGNALS.items()}

_KIN = r"(?:kids?|children|family|wife|husband|partner|daughter|son|mum|mom|mother|dad|father)"
IMPLIED: dict[str, list[str]] = {
    "self_harm": [
        r"\bwhat'?s the point (?:of )?(?:living|going on|carrying on|being alive|being here|me)\b",
        r"\b(?:tired|sick) of (?:being alive|living|existing)\b",
        r"\b(?:not|don'?t|do not|didn'?t|never) (?:want|wanting|wanted) to (?:live|be alive|exist)\b"
        r"|\b(?:not|don'?t|do not|didn'?t) (?:want|wanting|wanted) to wake up(?= *(?:[.!,;]|$|any ?more|again|ever))",
        r"\b(?:disappointed|gutted|sad|upset|sorry) (?:that )?i(?:'d| had)? (?:woke|woken|wake) up\b",
        r"\b(?:sleep|go to sleep|fall asleep) and (?:not|never) wake\b",
        # burnout and embarrassment say these too ("we can't keep going like this, the ward is short")
        r"\bcan'?t (?:go on|keep going) (?:like this|any ?more)\b",
        r"\b(?:want|wants|wanted|wanting) to (?:disappear|vanish)\b",
        # "... of any of it" is also what a cynic says of a survey that changes nothing
        _NO_POINT + r"(?:anything|any of it|it all)\b",
        r"\bhow easy it would be to (?:just )?(?:not|end|stop|step|jump|let go|disappear|drive|swerve|take)\b",
        r"\b(?:pills|tablets|meds|painkillers|paracetamol)\b.{0,40}\b(?:too many|how many|enough to (?:kill|end|die|not wake)"
        r"|stockpil\w*|saving (?:them )?up|the whole (?:box|pack|bottle))"
        r"|\b(?:how many|too many)\b.{0,30}\b(?:pills|tablets|meds|painkillers|paracetamol)\b",
        r"\b(?:wrote|written|writing|left) (?:a |my )?(?:note|letter) (?:for|to) (?:my )?" + _KIN + r"\b",
        r"\b(?:plan|planned|planning|worked out) (?:how|when|where) (?:to|i'?d|i would) end it\b",
    ],
    "violence": [
        r"\b(?:make sure|see to it|ensure) (?:that )?(?:you|he|she|they|i|people) (?:\w+ )?(?:disappear|vanish|go missing)\w*",
        r"\b(?:people|someone|somebody|workers|blokes|guys|men|women) (?:go|goes|went|have gone) missing\b",
        r"\b(?:fall|falls|fell|have accidents|disappear)\b.{0,40}\b(?:nobody|no one|no-one)(?:'d| would| will)? "
        r"(?:question|notice|know|ask|care|find)\b",
        r"\b(?:shame|pity) if (?:something|anything) (?:happened|were to happen|happens) to\b"
        r"|\b(?:shame|pity) if (?:your|his|her|their) \w+ (?:had|got|were|was) (?:an accident|hurt|injured)\b",
        r"\byour " + _KIN + r"\b.{0,40}\b(?:an accident|get hurt|be careful|stay safe|something happen\w*)\b",
        r"\b(?:keep|try|carry on|do that|go on)\b[^.!?]{0,40}\band see what happens\b|\bor (?:else )?(?:you'?ll )?see what happens\b",
        r"\b(?:catch|find|corner) (?:you|me|her|him) (?:alone|on (?:your|my|her|his) own|after dark|in the car park)\b",
        r"\b(?:'d|would|will|'ll|gonna|going to) (?:find|come for|come after) (?:you|me|her|him)\b(?! (?:a|an|the|some|another)\b)",
        r"\b(?:shook|shaking|shaken|kicked|cut|tampered with|loosened|unclipped)\b.{0,30}"
        r"\b(?:ladder|brakes?|brake (?:wire|line|cable)s?|harness|scaffold\w*|safety (?:rope|line|guard)|tyres?|wheel nuts)\b",
        r"\b(?:locked|shut|trapped|pushed|put|threw) (?:me|him|her|them)\b.{0,25}\b(?:in|inside|into) (?:the |a )?"
        r"(?:freezer|fridge|refrigerator|cold ?room|walk-in|cupboard|closet|container|boot|trunk|skip)\b",
        r"\b(?:restraining|protection|protective|non-?molestation) order\b",
        r"\bwhere (?:i|she|he) (?:live|lives|lived|work|works|park|parks)\b.{0,40}\b(?:told|gave|passed|shared)\b"
        r"|\b(?:told|gave|passed|shared) (?:him|her|them|my ex)\b.{0,30}\bwhere (?:i|she|he) (?:live|lives|work|works)\b",
    ],
    "sexual_assault": [
        r"\b(?:nobody|no one|no-one) (?:will|would|'ll|'d|is going to) (?:ever )?believe (?:you|me|her|him)\b",
        r"\b(?:spiked|drugged) (?:my|her|his|the) (?:drink|coffee|tea)\b|\b(?:drink|coffee) (?:was|had been|got) (?:spiked|drugged)\b",
        r"\b(?:woke up|came round|came to)\b.{0,50}\b(?:his|her|their) (?:bed|room|flat|hotel)\b",
    ],
    "stalking": [
        r"\b(?:checking|check|checks|watching|watches) (?:my|her|his) (?:location|whereabouts|movements|live location)\b",
        r"\b(?:he|she|they|<PERSON_\d+>) (?:keeps?|kept) (?:on )?(?:turning|showing) up\b"
        r"|\b(?:keeps?|kept) (?:on )?(?:turning|showing) up (?:at|outside|near|wherever|everywhere)\b",
        r"\b(?:knows?|found out|asked|asking|asks) (?:me )?(?:where|which street|what street|what road) (?:i|she|he) (?:live|lives|lived)\b",
        r"\b(?:still )?live(?:d)? (?:in|on|at) the same (?:street|road|address|flat)\b",
        r"\b(?:outside|near|round|at) (?:my|her) (?:house|home|flat|place|window)\b.{0,40}\b(?:again|every (?:night|day|week)|at night|waiting)\b",
    ],
}
_IMPLIED = {reason: [re.compile(p, re.IGNORECASE) for p in pats] for reason, pats in IMPLIED.items()}
_WIDER = {reason: [re.compile(p, re.IGNORECASE) for p in pats] for reason, pats in WIDER.items()}
assert set(_IMPLIED) <= set(URGENT_REASONS) and set(_WIDER) <= set(URGENT_REASONS)
assert set(_COMPILED) == set(URGENT_REASONS)

# Friendly or figurative uses of violent words, each with a plain paraphrase. A danger match inside
# one of these spans is dropped; and the model's critical score is also read on the paraphrased text
# (`literal`), so "hit me up" cannot make an item urgent through the model either.
_IDIOM_PARAPHRASES: list[tuple[str, str]] = [
    (
        r"\b(?:shoot|shot|fire|firing|hit|hitting|ping|drop|dropped)\b (?:me|you|him|her|them|us) "
        r"(?:an? |the |over |back )?(?:e-?mail|message|text|note|line|invite|dm|request|reminder|update|call)",
        "send a message",
    ),
    (r"\b(?:hit|hitting|hits) (?:me|you|him|her|them|us) up\b", "get in touch"),
    (
        r"\b((?:deadline|rota|commute|shift|meeting|spreadsheet|job|heat|traffic)s? (?:is|are|was|were)) "
        r"(?:killing|murdering) (?:me|us)\b",
        r"\1 exhausting",
    ),
    (
        r"\bkill(?:ing|s)? (?:me|it|us)\b(?! (?:with|by))|\bkill(?:ed|ing)? the (?:presentation|pitch|demo|interview)\b",
        "do well",
    ),
    (r"\bkill (?:for|two birds)\b", "really want"),
    (r"\b(?:dying|die) (?:of|from) (?:embarrassment|boredom|laughter|laughing|shame)\b", "very embarrassed"),
    (r"\bcould murder an?\b", "could really use a"),
    (r"\bstab(?:bed|bing|s)? (?:\w+ ){1,2}in the back\b", "betrayed them"),
    # "suicide" as a figure of speech or a course's name; a helpline or hotline is left a signal
    (
        r"\bsuicide (?:mission|squad|run)\b|\b(?:career|political|social|commercial|professional) suicide\b",
        "a reckless plan",
    ),
    (
        r"\b(?:suicide|self[- ]?harm) (?:prevention|awareness) (?:training|course|week|day|month|session|workshop|talk"
        r"|campaign)\b",
        "wellbeing training",
    ),
    (
        r"\bsuicidal (?:pace|workload|hours|targets?|deadlines?|schedule|rota)\b"
        r"|\b(?:workload|pace|hours|targets?|deadlines?|schedule|rota)s? (?:is|are|was|were) suicidal\b",
        "a punishing workload",
    ),
]
IDIOMS = re.compile("|".join(f"(?:{p})" for p, _ in _IDIOM_PARAPHRASES), re.IGNORECASE)
_PARAPHRASE = [(re.compile(p, re.IGNORECASE), plain) for p, plain in _IDIOM_PARAPHRASES]


def literal(text: str) -> str | None:
    """The text with its friendly idioms said plainly, or None when it has none."""
    if not IDIOMS.search(text):
        return None
    for pattern, plain in _PARAPHRASE:
        text = pattern.sub(plain, text)
    return text


STANDALONE_REASONS = frozenset({"self_harm", "stalking"})
# A phrase that stands alone must not stand alone when the text denies it: "I'm not suicidal, just
# worn down", "I've never thought about killing myself", "he hasn't followed me home". Such a phrase
# stays a signal (the model decides at the signal bar), so a denial followed by the real thing
# ("I'm not suicidal but I keep thinking about not waking up") still reaches the model. The negation
# must govern the phrase: only these few words may come between them, so "I can't stop thinking
# about killing myself" or "nobody knows I'm suicidal" still stand alone.
_NEGATOR = (
    r"(?:\b(?:not|never|no longer|nor|no)|n['’]t|\b(?:dont|didnt|doesnt|wont|wouldnt|havent|hasnt|isnt|wasnt|aint))"
)
_BRIDGE = (
    r"(?:been|being|feel|feeling|felt|actually|at all|even|really|ever|once|remotely|want to|wanted to|wanting to"
    r"|going to|gonna|planning to|plan to|intend to|thought about|thinking about|think about|thought of|thoughts of"
    r"|considered|considering|tried to|trying to)"
)
_DENIED = re.compile(rf"{_NEGATOR}\s+(?:{_BRIDGE}\s+){{0,3}}$", re.IGNORECASE)


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


_Found = list[tuple[str, re.Match[str]]]


def _matches(text: str, compiled: dict[str, list[re.Pattern]], idiom_spans: list[tuple[int, int]]) -> _Found:
    """(reason, match) for each pattern match that lies outside every friendly idiom."""
    found: _Found = []
    for reason, patterns in compiled.items():
        for pattern in patterns:
            for match in pattern.finditer(text):
                start, end = match.span()
                if not any(start < i_end and i_start < end for i_start, i_end in idiom_spans):
                    found.append((reason, match))
    return found


def _phrases(found: _Found) -> dict[str, list[str]]:
    """Reason → the matched phrases, in order."""
    hits: dict[str, list[str]] = {}
    for reason, match in found:
        hits.setdefault(reason, []).append(match.group(0).strip())
    return hits


def _denied(text: str, start: int) -> bool:
    """A negation governs the phrase that starts at `start`."""
    return _DENIED.search(text[max(0, start - 60) : start]) is not None


def _merge(*found: dict[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for hits in found:
        for reason, phrases in hits.items():
            known = merged.setdefault(reason, [])
            known += [p for p in phrases if p not in known]
    return merged


@lru_cache(maxsize=8192)
def _signals(text: str) -> tuple[dict[str, list[str]], dict[str, list[str]], bool]:
    """(explicit = narrow + wider, all = explicit + implied, stands alone) for one text, in one pass
    over each list: an item stands alone on a narrow self-harm or stalking match that no negation governs."""
    idiom_spans = [m.span() for m in IDIOMS.finditer(text)]
    narrow = _matches(text, _COMPILED, idiom_spans)
    explicit = _merge(_phrases(narrow), _phrases(_matches(text, _WIDER, idiom_spans)))
    alone = any(reason in STANDALONE_REASONS and not _denied(text, m.start()) for reason, m in narrow)
    return explicit, _merge(explicit, _phrases(_matches(text, _IMPLIED, idiom_spans))), alone


def danger_signals(text: str) -> dict[str, list[str]]:
    """Reason → matched phrases, explicit and implied (as they appear in the redacted text), idioms
    excluded. Callers must not mutate the result (it is cached)."""
    return _signals(text)[1]


def explicit_signals(text: str) -> dict[str, list[str]]:
    """The explicit phrases alone, narrow and wider (training/tune.py credits only these when it
    chooses the bars)."""
    return _signals(text)[0]


def stands_alone(text: str) -> bool:
    """A narrow explicit self-harm or stalking phrase that the text does not deny: urgent without the
    model's agreement."""
    return _signals(text)[2]


def decide_urgent(
    text: str, *, critical_score: float, reason_scores: dict[str, float], themes: list[str], policy: UrgentPolicy
) -> UrgentDecision:
    hits = danger_signals(text)
    signalled = bool(hits) or "physical_violence" in themes
    confident = critical_score >= policy.model_threshold
    # Explicit self-harm and stalking phrasing stands on its own: it has no friendly idioms to
    # confuse it. Violence and sexual-assault phrases do ("I'll kill him", "he kissed me"), and
    # implied phrasing of any kind can be ordinary talk: those need the model.
    standalone = stands_alone(text)
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
