import pytest

from service.pipeline.consent import ConsentValueError, parse_consent


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        ("yes", True),
        ("Y", True),
        ("1", True),
        (1, True),
        (True, True),
        (" yes ", True),
        ("false", False),
        ("no", False),
        ("0", False),
        (0, False),
        ("", False),
        (None, False),
        (False, False),
        ("N", False),
    ],
)
def test_consent_values(value, expected):
    assert parse_consent(value) is expected


@pytest.mark.parametrize("value", ["maybe", "2", "si", "consent given", 3])
def test_unknown_consent_value_is_an_error_not_a_yes(value):
    with pytest.raises(ConsentValueError):
        parse_consent(value)
