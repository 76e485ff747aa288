"""Identity-term neutralisation: protected-characteristic words become one neutral word for the
model; everyday uses of the same words are left alone."""

from __future__ import annotations

import pytest

from service.pipeline.identity import PLACEHOLDER, neutralise

CASES = [
    ("My Muslim colleague covers the desk.", "My <IDENTITY> colleague covers the desk."),
    ("Because I am gay they leave me out of lunches.", "Because I am <IDENTITY> they leave me out of lunches."),
    ("I'm the only deaf technician in the lab.", "I'm the only <IDENTITY> technician in the lab."),
    ("my older coworker and a Nigerian driver", "my <IDENTITY> coworker and a <IDENTITY> driver"),
    ("She was told pregnant staff slow the line down.", "She was told <IDENTITY> staff slow the line down."),
    ("as a Black woman I get talked over", "as a <IDENTITY> woman I get talked over"),
    ("my non-binary manager", "my <IDENTITY> manager"),
    ("They mock my wheelchair-using teammate.", "They mock my <IDENTITY> teammate."),
    # everyday senses stay
    ("I'll get back to you straight away.", None),
    ("The white board in room 4 is broken.", None),
    ("It's a blind spot in our process.", None),
    ("My complaint fell on deaf ears.", None),
    ("They keep bringing up my old mistakes.", None),
    ("Use the older version of the form.", None),
    ("A senior manager shouted at me.", None),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_neutralise(text, expected):
    assert neutralise(text) == (expected.replace("<IDENTITY>", PLACEHOLDER) if expected else text)


def test_every_group_word_maps_to_the_same_input():
    """The point of it: swapping one group's word for another's leaves the model input unchanged."""
    words = ["Muslim", "Jewish", "Sikh", "gay", "lesbian", "transgender", "Polish", "Nigerian", "autistic", "deaf",
             "older", "younger", "Black", "white", "Hispanic", "female", "male"]
    inputs = {neutralise(f"My {w} colleague keeps getting left off the rota.") for w in words}
    assert inputs == {f"My {PLACEHOLDER} colleague keeps getting left off the rota."}


def test_placeholder_is_stable_and_idempotent():
    once = neutralise("My Hindu and Jewish colleagues")
    assert neutralise(once) == once and once == f"My {PLACEHOLDER} and {PLACEHOLDER} colleagues"
