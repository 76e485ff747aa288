"""Every error code the code base can emit is in the one registry, `ErrorCode`."""

import re

import pytest

from service.errors import ErrorCode, UpstanderError
from service.inputs import RowError
from service.settings import REPO_ROOT

LITERAL = re.compile(r"""(?:code=|RowError\(|"code": |error_body\(|code: str = )"([a-z_]+)\"""")
CONFLICT = re.compile(r"""_conflict\(.*, "([a-z_]+)"\)""")


def test_every_code_literal_in_the_source_is_registered():
    found = {
        code
        for path in (REPO_ROOT / "service").rglob("*.py")
        for pattern in (LITERAL, CONFLICT)
        for code in pattern.findall(path.read_text(encoding="utf-8"))
    }
    assert len(found) >= 30  # the scan does find the codes
    assert found - set(ErrorCode) == set()


def test_codes_the_readme_documents_are_registered():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    errors = readme[readme.index("### Errors") : readme.index("## ", readme.index("### Errors") + 5)]
    documented = set(re.findall(r"`([a-z]+_[a-z_]+)`", errors))
    assert documented and documented - set(ErrorCode) == set()


def test_an_unregistered_code_fails_at_once():
    with pytest.raises(ValueError):
        UpstanderError("x", code="made_up_code")
    with pytest.raises(ValueError):
        RowError("made_up_code", "x")
    assert UpstanderError("x", code="not_found").code is ErrorCode.NOT_FOUND
