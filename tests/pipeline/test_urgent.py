"""Urgent rules: danger phrases fire and idioms do not; a phrase needs the model's agreement;
finalize keeps the labels inside the taxonomy."""

import pytest

from service.pipeline.classification import Prediction
from service.pipeline.urgent import (
    UrgentPolicy,
    danger_signals,
    decide_urgent,
    explicit_signals,
    finalize,
    stands_alone,
)

POLICY = UrgentPolicy(model_threshold=0.6, signal_threshold=0.2)
REASONS = ("violence", "sexual_assault", "self_harm", "stalking")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("honestly I don't see the point of carrying on anymore", "self_harm"),
        ("they'd all be better off without me", "self_harm"),
        ("I've started hurting myself again since he arrived", "self_harm"),
        ("<PERSON_1> shoved me against the lockers", "violence"),
        ("he threw a stapler at me across the office", "violence"),
        ("he said he knows where I park and accidents happen", "violence"),
        ("she pulled a box cutter and waved it at him", "violence"),
        ("he groped me in the lift", "sexual_assault"),
        ("put his hand on my thigh under the table", "sexual_assault"),
        ("he followed me home after my shift twice", "stalking"),
        ("he keeps waiting outside my house in his car", "stalking"),
    ],
)
def test_danger_signals_fire(text, reason):
    assert reason in danger_signals(text)


@pytest.mark.parametrize(
    "text",
    [
        "this deadline is killing me lol",
        "I could murder a coffee right now",
        "I want to die of embarrassment, I sent it to the wrong list",
        "my manager pushed me to apply for the promotion",
        "we smashed our targets this quarter",
        "the chef's knife skills course was brilliant",
        "kill me now, another all-hands",
        "I'll shoot you an email with the rota",
        "hit me up if you need cover on Saturday",
        "ping me a message when the delivery lands",
        "the night shift is killing us",
        'leadership keeps calling the Q4 launch a "suicide mission"',
        "replying-all to the CEO like that was career suicide",
        "we all did the suicide prevention training last month and it was good",
        "movie night was The Suicide Squad, popcorn was stale",
        "the workload is suicidal during audit season",
        "they expect a suicidal pace from the pickers at peak",
    ],
)
def test_idioms_do_not_fire(text):
    assert danger_signals(text) == {}


def _assert_needs_the_model(text, reason):
    """Not standalone: below the signal bar the phrase is not urgent, above it the item is, with the
    phrase's reason and the phrase as evidence."""
    assert not stands_alone(text)
    scores = dict.fromkeys(REASONS, 0.1)
    below = decide_urgent(text, critical_score=0.1, reason_scores=scores, themes=[], policy=POLICY)
    above = decide_urgent(text, critical_score=0.3, reason_scores=scores, themes=[], policy=POLICY)
    assert not below.urgent and above.urgent and reason in above.reasons
    assert above.evidence, "the matched phrase is the reviewer's evidence"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("he told me people go missing out here and pointed at the lot", "violence"),
        ("she said it'd be a shame if something happened to your car, or your kids", "violence"),
        ("keep reporting the faults and see what happens to you", "violence"),
        ("someone loosened the harness clips before my shift", "violence"),
        ("they locked me in the walk-in freezer as a joke for ten minutes", "violence"),
        ("most mornings I am disappointed I woke up", "self_harm"),
        ("I've been counting how many of my tablets it would take", "self_harm"),
        ("he said nobody will believe you, you're a temp", "sexual_assault"),
        ("my drink was spiked at the team night out", "sexual_assault"),
        ("someone keeps checking my location on the rota app at weekends", "stalking"),
        ("then he asked me which street I live on", "stalking"),
    ],
)
def test_implied_dangers_are_signals_that_need_the_model(text, reason):
    assert reason in danger_signals(text)
    _assert_needs_the_model(text, reason)


@pytest.mark.parametrize(
    "text",
    [
        "what's the point of this survey if nothing changes",
        "I'm sick of being here until 9pm every night",
        "let's wait and see what happens with the restructure",
        "I don't want to wake up at 5am for the early shift",
        "people get hurt on this site because the scaffolding is old",
        "I'll find you a spare desk on the third floor",
        "the same bug keeps turning up in every release",
        "the team would be better off with a proper rota",
        "she's planning how to do it before the audit",
        "I'll get you the figures by Friday",
    ],
)
def test_ordinary_talk_is_no_implied_danger(text):
    assert danger_signals(text) == {}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("our driver got punched outside the depot by a customer", "violence"),
        ("the head porter slapped a cleaner in the corridor", "violence"),
        ("she hit me with a clipboard right in the face", "violence"),
        ("he chucked a mug of coffee at my head in the break room", "violence"),
        ("the foreman held the apprentice by the collar and shook him", "violence"),
        ("he keeps a machete in the van and mentions it when we argue", "violence"),
        ("he threatened to stab the next person who touches his tools", "violence"),
        ("he put his hand under my skirt in the stock room", "sexual_assault"),
        ("he locked the door and tried to kiss me while I was filing", "sexual_assault"),
        ("she rubbed up against me at the till every shift", "sexual_assault"),
        ("he drives past my house most evenings since I said no", "stalking"),
        ("he follows me onto the bus after my shift", "stalking"),
        ("he messaged my sister asking where I am at weekends", "stalking"),
        ("my manager stalks my Teams status all day and pings me if it goes amber", "stalking"),
        ("I keep thinking about ending it before Monday comes", "self_harm"),
        ("I have been standing on the bridge after work lately", "self_harm"),
        ("my colleague is cutting her arms again since the meeting", "self_harm"),
    ],
)
def test_wider_phrases_name_the_act_in_any_grammar_and_need_the_model(text, reason):
    assert reason in explicit_signals(text)
    _assert_needs_the_model(text, reason)


@pytest.mark.parametrize(
    "text",
    [
        "the shared drive was hit by a quota limit this morning",
        "got kicked off the project when the client changed",
        "he slapped the report on my desk and walked off",
        "I want to die of laughing every time he does karaoke",
        "she follows me on LinkedIn and likes every post",
        "people said I'd stabbed them in the back when I got promoted",
        "the nail gun jammed again so we lost an hour",
        "come to my house for the team barbecue on Saturday",
        "he was beaten to the promotion by a newer hire",
    ],
)
def test_wider_phrases_skip_ordinary_talk(text):
    assert explicit_signals(text) == {}


def test_explicit_self_harm_stands_alone():
    assert stands_alone("they'd all be better off without me")
    assert not stands_alone("he said I will kill you if you tell HR")
    # followed around a workplace is intimidation, not stalking (outside work); elsewhere it stands
    assert not stands_alone("night manager follows me around the store with a clipboard saying strike two")
    assert not stands_alone("she follows me around the aisles telling me I'm in the way")
    assert stands_alone("since I turned him down he has been following me around, even at the weekend")
    assert stands_alone("he followed me around the supermarket on my day off")
    # stalking a person stands; "stalking" a work status or a profile is monitoring, a signal (above)
    assert stands_alone("he has been stalking me since I turned him down")
    # an idiom beside real ideation leaves the ideation standing
    assert stands_alone("they call it a suicide mission and honestly I have thought about suicide myself")
    assert stands_alone("I rang the suicide helpline from the car park last night")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("I'm not suicidal or anything like that, but I dread every Monday with her", "self_harm"),
        ("I have never thought about killing myself, this job just grinds me down", "self_harm"),
        ("I'm not going to hurt myself, don't worry, I'm just at the end of my rope", "self_harm"),
        ("i dont want to kill myself, i want a different manager", "self_harm"),
        ("No thoughts of self-harm, I'm just worn out by the shouting", "self_harm"),
        ("he has never followed me home, he only stares at me across the office", "stalking"),
    ],
)
def test_a_denied_standalone_phrase_is_a_signal_that_needs_the_model(text, reason):
    assert reason in explicit_signals(text)
    _assert_needs_the_model(text, reason)


@pytest.mark.parametrize(
    "text",
    [
        "I can't stop thinking about killing myself since the review",  # the negation governs "stop"
        "nobody at work knows I'm suicidal",
        "I'm not sure why I'm writing this but I've been suicidal for weeks",
        "I'm not suicidal, but they'd all be better off without me",  # the second phrase is not denied
        "I am not going to lie, I have thought about ending my life",
    ],
)
def test_a_negation_that_does_not_deny_the_phrase_leaves_it_standing(text):
    assert stands_alone(text)


@pytest.mark.parametrize(
    "text",
    [
        "I am not waking up at 5am for a meeting that could have been an email",
        "I never wake up rested on the night rotation",
        "honestly I'd love to not wake up to forty emails from my boss",
        "by the time I step off the bus at six the rota has changed again",
        "we get an overdose of meetings every Monday",
        "I overdosed on coffee to get through the audit",
        "you would not believe how easy it would be to fix the rota if they asked us",
        "he hurt himself lifting boxes because nobody would help him",
        "she cut herself on the box cutter because the blades are blunt",
        "we did self-harm awareness training and it was useful",
        "I wish he was gone, honestly, the whole team does",
        "my manager has my personal number and calls on my day off",
    ],
)
def test_self_harm_words_in_ordinary_talk_are_no_danger(text):
    assert not stands_alone(text) and danger_signals(text) == {}


@pytest.mark.parametrize(
    "text",
    [
        "some nights I hope I just never wake up.",
        "I pray not to wake up so I don't have to come back here",
        'she keeps talking about "not waking up" since the disciplinary',
        "she took an overdose of her prescription medication after the meeting",
        "I thought about stepping in front of a tram on the way in",
        "if I stepped off the platform nobody here would notice",
        "I keep thinking about how easy it would be.",
        "I've had thoughts about hurting myself on the drive home",
        "she cut herself again last night after the meeting",
        "some mornings I wish I was dead",
        "I don't see the point in living since the restructure",
    ],
)
def test_self_harm_phrases_still_stand_alone(text):
    assert stands_alone(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("we can't keep going like this, the ward is two nurses short", "self_harm"),
        ("when he shouted at me in front of everyone I wanted to disappear", "self_harm"),
        ("I want to take my life back from this job", "self_harm"),
        ("I don't see the point of any of it, nothing changes after these surveys", "self_harm"),
    ],
)
def test_burnout_and_embarrassment_phrases_are_signals_that_need_the_model(text, reason):
    assert reason in danger_signals(text)
    _assert_needs_the_model(text, reason)


def test_model_score_alone_can_make_an_item_urgent():
    scores = {"violence": 0.1, "sexual_assault": 0.1, "self_harm": 0.7, "stalking": 0.1}
    decision = decide_urgent("a quiet comment", critical_score=0.65, reason_scores=scores, themes=[], policy=POLICY)
    assert decision.urgent and decision.reasons == ["self_harm"]


@pytest.mark.parametrize(
    ("text", "critical", "urgent"),
    [
        ("he said I will kill you if you tell HR", 0.25, True),  # a phrase and model agreement
        ("he said I will kill you if you tell HR", 0.1, False),  # a phrase alone is not enough
        ("a quiet comment", 0.5, False),  # below the model's own bar, no phrase
        ("I'll shoot you an email later", 0.5, False),  # an idiom is no phrase
    ],
)
def test_a_phrase_needs_the_model_to_agree(text, critical, urgent):
    scores = dict.fromkeys(REASONS, 0.1)
    assert decide_urgent(text, critical_score=critical, reason_scores=scores, themes=[], policy=POLICY).urgent is urgent


def test_urgent_evidence_is_the_matched_phrase():
    decision = decide_urgent(
        "<PERSON_1> shoved me against the lockers",
        critical_score=0.3,
        reason_scores=dict.fromkeys(REASONS, 0.1),
        themes=[],
        policy=POLICY,
    )
    assert decision.reasons == ["violence"] and decision.evidence == ["shoved me"]


def _pred(themes, severity, critical):
    return Prediction(
        scores=dict.fromkeys(["physical_violence", "intimidation", "distress"], 0.5),
        themes=themes,
        severity=severity,
        critical_score=critical,
        reason_scores=dict.fromkeys(REASONS, 0.1),
        evidence=["model phrase"],
    )


@pytest.mark.parametrize(
    ("pred", "themes", "severity", "urgent"),
    [
        (_pred([], "none", 0.7), ["physical_violence"], "critical", True),  # urgent gets a theme its reason implies
        (_pred(["physical_violence"], "high", 0.05), ["intimidation"], "high", False),  # no danger: not violence
        (_pred(["physical_violence", "verbal_abuse"], "moderate", 0.05), ["verbal_abuse"], "moderate", False),
        (_pred(["physical_violence"], "high", 0.3), ["physical_violence"], "critical", True),  # theme + agreement
        (_pred(["exclusion"], "moderate", 0.1), ["exclusion"], "moderate", False),
    ],
)
def test_finalize_keeps_labels_inside_the_taxonomy(pred, themes, severity, urgent):
    final = finalize("a plain sentence", pred, POLICY)
    assert (final.themes, final.severity, final.urgent) == (themes, severity, urgent)
    assert bool(final.urgent_reasons) == urgent and final.evidence[-1] == "model phrase"


def test_policy_reads_the_manifest():
    assert UrgentPolicy.from_manifest({"critical_threshold": 0.7, "signal_threshold": 0.3}) == UrgentPolicy(0.7, 0.3)
