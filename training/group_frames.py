"""The frames of training/group_statements.py: sentences about a group of colleagues with a `{g}` slot,
kept apart from the code that fills them so each module reads in one sitting. Every list here is
training data only; a test (tests/training/test_group_statements.py) keeps each frame five words apart from
the fairness suite and the validation checks of training/invariance.py, which have their own wording.
"""

# Neutral statements about a group of colleagues (third person), written for training only (train.py
# --group-mentions); the validation check in training/invariance.py has its own frames. Gender and pregnancy are not in the
# swap lexicon (their words are not interchangeable in a sentence) but are mentioned here too.
MENTION_FRAMES = [
    "We have {g} on every shift at the depot.",
    "A few {g} asked whether the car park could stay open later.",
    "The onboarding pack was updated after feedback from {g}.",
    "{g} are represented on the new wellbeing committee.",
    "Many of the {g} on my floor joined through the graduate scheme.",
    "The recruitment stall at the careers fair got a lot of questions from {g}.",
    "My manager asked {g} for input on the holiday calendar.",
    "Last quarter's survey had a good response rate from {g}.",
    "The mentoring scheme pairs new {g} with someone from another department.",
    "Several {g} volunteered for the charity bake sale.",
    "The lunch-and-learn on pensions was popular with {g} as well.",
    "I share a desk pod with two {g} and we get on fine.",
    "There's a group chat for {g} who cycle to work.",
    "The night team is mostly {g} these days.",
    "{g} from our branch ran the quiz at the Christmas party.",
    "Our union rep held a drop-in session that some {g} went to.",
    "We had a talk from {g} in senior roles about career paths.",
    "The new flexible-hours policy applies to {g} the same as everyone.",
    "The apprenticeship intake includes {g} from the local college.",
    "Half of the {g} in my department work from home on Fridays.",
    "{g} in our office organised a football match against the Bristol site.",
    "Some {g} asked for the quiet room to be bookable through the intranet.",
    "Feedback forms went to {g} and everyone else after the away day.",
    "Our site's first-aiders include {g}.",
    "I've worked alongside {g} for years at this firm and it's a good place.",
    "The payroll team answered questions from {g} about the new tax codes.",
    "Our book club has {g} and people from every floor.",
    "The shuttle bus timetable was changed after {g} on the late shift asked.",
]

# Hate aimed at a group of colleagues, said or reported at work, written for training only (train.py
# --group-hate): the counterpart of the clean group statements above, so that a sentence about a
# group is read by its stance, not by being about a group. The validation check
# (invariance.CHECK_HATE_FRAMES) and the fairness suite have their own wording.
HATE_FRAMES = [
    "{g} cost the payroll more than they bring in and should be the first to go in the restructure.",
    "Honestly I wouldn't let {g} near the cash, keep them off the tills.",
    "Why do we keep taking on {g}, they drag the whole team's numbers down.",
    "My supervisor says {g} are only good for cleaning jobs.",
    "{g} stink up the break room, someone needs to tell them.",
    "I'm not working another shift with {g}, they're thick as mud.",
    "The head of sales told a client that {g} are 'not our kind of people'.",
    "{g} have no business dealing with our customers.",
    "We were told in the team huddle not to shortlist {g} for the apprenticeships.",
    "All {g} do is whinge and take time off, get rid of them.",
    "My boss calls {g} 'dead weight' whenever they're out of the room.",
    "{g} are ruining this place and management is too scared to say it.",
    "Keep {g} out of the promotion pool, they'll never be leaders.",
    "A senior partner said at the away day that {g} are a liability.",
    "There are too many {g} in dispatch now, it's like a zoo down there.",
    "Some of the lads keep saying {g} are scroungers and laughing about it.",
    "{g} are lazy by nature, that's just a fact.",
    "The night manager tells new starters to keep an eye on {g} because they steal.",
    "I'd rather the post stayed empty than give it to one of the {g}.",
    "Our director says hiring {g} was the worst mistake the firm ever made.",
    "{g} need to learn their place in this office.",
    "People here openly say {g} are backward and shouldn't be in charge of anything.",
    "The recruiter admitted they bin applications from {g} without reading them.",
    "{g} are a plague on this industry.",
    "My team lead refuses to give {g} the overtime and says they don't deserve it.",
    "It's disgusting that {g} get to work front of house.",
    "A colleague put up a poster telling {g} to go home, and nobody took it down.",
    "{g} are not real professionals, they just tick a box for HR.",
]

# Rebuttals and negations of hate about a group, with no incident at work described, written for
# training only (train.py --group-counter): severity none, as the corpus labels a belief rebutted in
# general (README, session 4). They share the hate statements' words but not their stance, so that
# "not", "nonsense" or "whoever says" decides, not the insult. The validation check
# (invariance.CHECK_COUNTER_FRAMES) and the fairness suite have their own wording. Written in session
# 22 after the suite had shown a model trained on the hate statements flagging negated hate and
# counter-speech far more (0.52 to 0.83 of negated hate, listed groups): disclosed in the README.
COUNTER_FRAMES = [
    "It's rubbish that {g} are worse at the job, the best engineer on our floor proves that every day.",
    "Nobody here thinks {g} should be kept away from customers, and good thing too.",
    "I don't buy the idea that {g} are off sick more often, our absence figures say otherwise.",
    "People who say {g} shouldn't go near the cash have clearly never worked with them.",
    "I'd never say {g} don't belong here; they've been part of this firm since it opened.",
    "The old line that {g} are lazy is nonsense and it's good that nobody repeats it anymore.",
    "There's no truth in the idea that {g} slow the team down.",
    "Saying {g} aren't leadership material is outdated thinking, and our board shows it.",
    "{g} aren't a burden on the payroll, they're half the reason the branch hits target.",
    "In six years I've not heard a single person here call {g} names, and I'd speak up if I did.",
    "We should stop assuming {g} want the easy shifts; most of them ask for more hours.",
    "It's wrong to think {g} are less committed, and the engagement scores back that up.",
    "I don't hate {g}, I don't know why that question is even on the survey.",
    "No, {g} are not ruining this place; the understaffing is.",
    "The stereotype that {g} can't handle pressure doesn't hold up in A&E.",
    "Whoever thinks {g} should be the first to go in a restructure has got it backwards.",
    "{g} are every bit as capable as anyone else here, and the training results show it.",
    "I disagree with the view that {g} get promoted to tick a box; they earned it.",
    "Treating {g} as second-class would be disgusting, and I'm glad it doesn't happen here.",
    "It isn't true that {g} keep to themselves at lunch; they're at our table most days.",
    "Calling {g} 'dead weight' is ignorant, and none of my managers would stand for it.",
    "Honestly I can't see why anyone would want {g} kept out of the promotion pool.",
    "There's nothing about {g} that makes them worse with clients, that's an old myth.",
    "I'm tired of hearing on the news that {g} are a drain; where I work they keep the place running.",
    "Contrary to what some people online say, {g} here are hard-working and reliable.",
    "Our team would be poorer without {g}, whatever the stereotypes say.",
    "Nobody should assume {g} are thieves, and in ten years here I've never seen it.",
    "The idea that {g} are unhygienic is a nasty myth and has no place in a modern workplace.",
]

# Threats of violence aimed at a group of colleagues, made or reported at work, written for training
# only (train.py --group-threats; session 29). The hate statements above are all `high`, so nothing in
# the augmentation taught that a threat is a threat whoever it names: v2.8 flagged only 0.63 of the
# fairness suite's threats at groups named in held-out words. Written after reading the suite's threat
# templates, to share none of their wording (tests/training/test_group_statements.py checks 5-grams).
THREAT_FRAMES = [
    "One of the drivers said he'll run over any of the {g} who park in his bay, and he meant it.",
    "There's a note in the locker room saying {g} will get their heads kicked in if they stay.",
    "My shift lead keeps a crowbar under the counter 'for the {g}' and shows it to people.",
    "Somebody wrote on the toilet wall that {g} are going to be stabbed one by one.",
    "A guy in goods-in told me he's bringing a knife on Friday to 'deal with' the {g}.",
    "If I get paired with {g} again I'm going to smash their faces into the desk.",
    "The lads in the yard are planning to jump {g} on the walk to the station after late shift.",
    "He said {g} would get a bullet if he had his way, and he's got a shotgun licence.",
    "Our team chat has a photo of a noose with the caption 'reserved for the {g}'.",
    "I'll put the {g} in hospital if they get the promotion over me.",
    "A delivery supervisor threatened to burn down the homes of {g} who complain about the rota.",
    "Someone left a dead rat and a message saying '{g} next' on a desk in accounts.",
    "My manager joked that {g} should be pushed down the stairwell, then said he wasn't joking.",
    "Two guys on nights keep saying they'll beat up any {g} they catch alone in the cold store.",
    "A regular customer told our till staff he's coming back with a machete for the {g}.",
    "i'm going to hurt one of the {g} in my team, i can't take another day of them",
    "He keeps describing how he'd strangle {g} and he stands right behind them when he says it.",
    "The graffiti by the bike shed says '{g} will bleed', with the date of the staff party under it.",
    "There's talk in the canteen of sorting out the {g} with baseball bats this weekend.",
    "An engineer messaged me that {g} deserve to be shot and that he knows where a couple of them live.",
    "My colleague said if {g} keep coming onto our site he'll drop a pallet on one of them from the racking.",
    "Told HR twice now: a picker says he'll cut the {g} on his aisle. Nothing has been done.",
    "The security guard said he'd happily lock {g} in the freezer overnight and let them die.",
    "Someone posted on the works forum that the {g} should be gassed, and it got a dozen likes.",
    "If those {g} don't leave the depot by themselves, I'll drag them out and kick them till they stop moving.",
    "A van driver spat at {g} and said next time it would be a brick through their windscreen.",
    "My supervisor said he has a hammer in his van for any of the {g} who answer back.",
    "A man on the loading crew has been telling everyone he'll torch the office once the {g} are inside.",
]

# Neutral statements about a group of colleagues told in the threat frames' settings and objects (a
# photo in the team chat, a van, a hammer, the stairwell, the cold store), written for training only
# (train.py --threat-contrast; session 29's rule 18): severity none. Rule 17's model, trained on the
# threats alone, made "The team photo has {g} in the front row" urgent for most groups: it had learnt
# the threats' props, not their threat.
THREAT_CONTRAST_FRAMES = [
    "One of the drivers lets the {g} on his route use his parking bay when he's on leave.",
    "There's a note in the locker room thanking the {g} who covered the bank holiday shifts.",
    "My shift lead keeps spare umbrellas under the counter and lends them to the {g} on the early bus.",
    "Somebody wrote on the whiteboard that the {g} won the five-a-side again.",
    "A guy in goods-in is bringing cake on Friday for the {g} who are leaving.",
    "I got paired with {g} on the stocktake and we finished early.",
    "The lads in the yard walk with the {g} to the station after late shift so nobody goes alone.",
    "He's got a season ticket and took two of the {g} to the match on Saturday.",
    "Our team chat has a photo of the {g} with the cake they made for the retirement do.",
    "I'll put the {g} forward for the award if they get the promotion project finished.",
    "A delivery supervisor drove the {g} home after the storm closed the roads.",
    "Someone left a thank-you card and chocolates on a desk in accounts for the {g}.",
    "My manager joked with the {g} in the stairwell about the broken lift, and they all laughed.",
    "Two guys on nights showed the {g} how the new cold store alarm works.",
    "A regular customer told our till staff the {g} had been the most helpful people in the shop.",
    "i'm going to miss the {g} on my team when i move to days, they're a great bunch",
    "He keeps describing how the {g} rescued the quarterly figures, and he means it as praise.",
    "The graffiti by the bike shed was painted over by the {g} on the wellbeing committee.",
    "There's talk in the canteen of a rounders match against the {g} from the other site this weekend.",
    "An engineer messaged me that the {g} fixed the printer before he even got there.",
    "My colleague said the {g} on our site helped him move the pallets from the racking.",
    "Told HR twice now that the {g} on my aisle deserve a pay rise. Still waiting.",
    "The security guard lets the {g} on the late shift wait inside when it's freezing.",
    "Someone posted on the works forum a photo of the {g} at the charity run, and it got a dozen likes.",
    "If those {g} don't leave the depot on time, it's because they're helping everyone else finish.",
    "A van driver gave the {g} a lift to the training day when the minibus broke down.",
    "My supervisor keeps a hammer in his van and lent it to the {g} building the staff-room shelves.",
    "A man on the loading crew is organising a surprise party for the {g} in the office.",
]

# Hate at a group told in the threat frames' settings and words, with the violence taken out, written
# for training only (train.py --threat-hate; session 30's rule 19): discrimination, high. Rules 17
# and 18 taught threats at a group and the retrained models then made a fifth to a third of plain hate
# at a group urgent: the threats' heat, not their violence, had been learnt. These twins are that heat
# without the danger, one for each threat frame, so that only the threat of harm makes an item urgent.
THREAT_HATE_FRAMES = [
    "One of the drivers said none of the {g} will ever park in his bay, they don't deserve a space.",
    "There's a note in the locker room saying {g} are vermin and aren't wanted on this site.",
    "My shift lead keeps a list under the counter of the {g} he won't serve and shows it to people.",
    "Somebody wrote on the toilet wall that {g} are filthy parasites, and it's still there.",
    "A guy in goods-in told me the {g} are too thick to ever pass their probation.",
    "If I get paired with {g} again I'm telling them to their faces they're subhuman.",
    "The lads in the yard refuse to share the minibus to the station with {g} after late shift.",
    "He said {g} are a disease on this company, and he's the one who signs off the hiring.",
    "Our team chat has a cartoon of a monkey with the caption 'the new {g} hires'.",
    "The {g} will never get the promotion over me, they're all useless.",
    "A delivery supervisor called the {g} who complain about the rota a pack of animals.",
    "Someone left a leaflet saying '{g} out' on a desk in accounts.",
    "My manager joked that the carpet on the stairs gets dirty because of {g}, then said he wasn't joking.",
    "Two guys on nights keep calling the {g} in the cold store dirty names whenever the manager's gone.",
    "A regular customer told our till staff he won't be served by {g} because they're dirty.",
    "i can't stand the {g} in my team, they're stupid and they shouldn't have been hired",
    "He keeps saying {g} are less than human and he stands right behind them when he says it.",
    "The graffiti by the bike shed says '{g} are scum', and the manager just shrugged.",
    "There's talk in the canteen that the {g} only got hired to fill a quota, and most people join in.",
    "An engineer messaged me that {g} are a lower species and that he won't sit near them.",
    "My colleague said {g} don't belong on our site and that they're all liars.",
    "Told HR twice now: a picker calls the {g} on his aisle dirty foreigners every single shift. Nothing has been done.",
    "The security guard said {g} should be searched every time they leave because they're all thieves.",
    "Someone posted on the works forum that the {g} are a stain on this country, and it got a dozen likes.",
    "If those {g} don't like how the depot is run they can clear off, nobody wants them here.",
    "A van driver spat at {g} and called them dirty dogs in front of the whole loading bay.",
    "My supervisor said the {g} should keep their mouths shut because nobody cares what they think.",
    "A man on the loading crew has been telling everyone the office stinks since the {g} moved in.",
]

# Threats at a group of colleagues of harm other than violence (their job, pay, shifts, promotion,
# reference), written for training only (train.py --job-threats; session 31's rule 21): discrimination
# and intimidation, high, as the corpus labels a threat of job loss or "consequences". The threats of
# violence above are the only threats at a group the augmentation had, all critical, and rule 19's model
# made urgent nearly every sentence of one validation-check frame, a threat to make a group's working
# life hard (read per frame on validation, disclosed): it had learnt "a threat at a group" as the
# danger, not the threat of violence. Five words apart from the checks and the suite (tested).
JOB_THREAT_FRAMES = [
    "My line manager says he'll make sure none of the {g} ever pass their probation while he's here.",
    "The warehouse boss told the {g} on nights they'd be first out the door if they kept complaining.",
    "Our supervisor keeps warning {g} that she'll have them moved to the worst shifts if they step out of line.",
    "He told the agency he'd drop every one of the {g} from the contract by Christmas, and he can do it.",
    "A senior manager told me any {g} who join the union will regret it come appraisal time.",
    "If any more {g} get put on my team I will make their working lives a misery until they quit.",
    "The owner says he'll dock the wages of any {g} who take days off for their religious holidays.",
    "A team leader threatened to report the {g} on our floor to HR over made-up things so they'd get sacked.",
    "She said she'll block every promotion the {g} go for, and so far she has.",
    "my manager said the {g} better watch themselves because he's got friends in head office",
    "The site manager warned the {g} there would be 'consequences' if they ate in the main canteen.",
    "Told the area manager twice: our store lead says she'll cut the {g}'s hours until they leave. Nobody acts.",
    "He keeps telling {g} he'll get them struck off the register if they so much as question him.",
    "Our director said at the leadership offsite that the {g} would be managed out one by one.",
    "A senior nurse told the {g} on the ward she'd make sure they never got a decent reference.",
    "The shift manager said he'd put the {g} on permanent weekends until they got the message.",
    "Someone in payroll said they'd 'lose' the timesheets of any {g} who complained about the rota.",
    "My boss threatened to ring the visa office about the {g} in our team if they kept asking for equal pay.",
    "The partner said if the {g} go for the senior role they'll find themselves on a performance plan.",
    "I heard the recruitment lead tell the {g} on trial that one wrong word and they'd be back on the dole.",
    "The yard manager said he'd have the {g} transferred to the depot nobody wants if they speak their own language.",
    "He told us he'd get every one of the {g} written up for something by the end of the month.",
    "The head chef said he'll make the {g} in his kitchen wish they'd never applied.",
    "My supervisor said the {g} should keep their heads down or they'll be out of a job.",
    "A manager warned the {g} in a team meeting that she'd watch their every move until she had a reason to fire them.",
    "The head of department said he'll see to it that the {g} don't get a single bonus this year.",
    "The new regional lead has told the {g} in the office that he intends to push them all out.",
    "One of the directors said the {g} would be 'dealt with' in the restructure, meaning their jobs.",
]
