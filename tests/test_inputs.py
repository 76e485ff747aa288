"""Reading exports: formats, row errors by line number, and whole-file errors with stable codes."""

import io
from pathlib import Path

import pytest

from service.errors import InputError
from service.inputs import iter_rows, preflight, preflight_path


def rows_of(data: bytes, fmt: str, max_chars: int = 20_000):
    return list(iter_rows(io.BytesIO(data), fmt, max_chars))


def check(data: bytes, name: str = "x.csv", encoding: str = "utf-8"):
    return preflight(
        lambda: io.BytesIO(data), name=name, size=len(data), max_item_chars=20_000, max_bytes=10_000, encoding=encoding
    )


# A comment with the characters Windows exports mangle: an accented name, curly quotes, a euro sign.
WINDOWS_TEXT = "Zo\u00eb said \u201cnot again\u201d about the \u20ac20 fine"


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("cp1252", f"id,text,consent\nc1,{WINDOWS_TEXT},yes\n".encode("cp1252")),  # Excel's CSV on Windows
        ("utf-16", f"id\ttext\tconsent\r\nc1\t{WINDOWS_TEXT}\tyes\r\n".encode("utf-16")),  # "Unicode text"
        ("utf-8", f"id,text,consent\nc1,{WINDOWS_TEXT},yes\n".encode("utf-8-sig")),  # with a byte-order mark
    ],
)
def test_a_named_encoding_is_read_as_that_encoding(encoding, data):
    checked = check(data, encoding=encoding)
    assert (checked.rows, checked.bad_rows, checked.encoding) == (1, 0, encoding)
    (row,) = list(iter_rows(io.BytesIO(data), "csv", 20_000, encoding))
    assert (row.id, row.text, row.consent) == ("c1", WINDOWS_TEXT, True)


def test_a_jsonl_file_in_utf16_is_recognised_from_its_content():
    data = '{"id": "c1", "text": "caf\u00e9", "consent": true}\n'.encode("utf-16")
    assert check(data, name="export.txt", encoding="utf-16").fmt == "jsonl"


@pytest.mark.parametrize(
    ("data", "encoding", "needle"),
    [
        (f"id,text,consent\nc1,{WINDOWS_TEXT},yes\n".encode("cp1252"), "utf-8", "not utf-8 (bad byte at offset 21)"),
        (b"id,text,consent\nc1,\x81\x8d,yes\n", "cp1252", "not cp1252"),  # bytes cp1252 leaves undefined
        (b"id,text,consent\nc1,hi,yes\n", "ebcdic", "unknown encoding"),
        (b"null", "utf-16", "not utf-16 (no BOM)"),  # found by the API fuzz test
        ("id,text,consent\nc1,hi,yes\n".encode("utf-16-le"), "utf-16", "not utf-16 (no BOM)"),
    ],
)
def test_a_file_that_does_not_decode_is_refused_whole_without_quoting_it(data, encoding, needle):
    with pytest.raises(InputError) as err:
        check(data, encoding=encoding)
    assert err.value.code == "invalid_encoding" and needle in err.value.message
    assert "Zo" not in err.value.message and "fine" not in err.value.message
    assert "ebcdic" not in err.value.message  # nor the caller's own value


def test_csv_rows_with_passthrough_and_submitted_at():
    data = b"id,text,consent,unit,submitted_at,team_size\nc1,hello there,yes,Ops,2026-03-14T09:00:00Z,12\n"
    (row,) = rows_of(data, "csv")
    assert (row.id, row.text, row.consent, row.unit, row.period) == ("c1", "hello there", True, "ops", "2026-03")
    assert row.extra == {"team_size": "12"}


@pytest.mark.parametrize(
    "data",
    [
        b'ID, Text ,CONSENT,Unit,Team Size\nc1,"hello, there; all",Yes,Ops,12\nc2,bye,no,Ops,3\n',
        b'id;text;consent;unit;Team Size\nc1;"hello, there; all";yes;Ops;12\nc2;bye;no;Ops;3\n',
        b"Id\tText\tConsent\tUnit\tTeam Size\r\nc1\thello, there; all\tyes\tOps\t12\r\nc2\tbye\tno\tOps\t3\r\n",
    ],
    ids=["capitalised", "semicolons", "tabs"],
)
def test_spreadsheet_exports_read_alike(data):
    first, second = rows_of(data, "csv")
    assert (first.id, first.text, first.consent, first.unit, first.line) == ("c1", "hello, there; all", True, "ops", 2)
    assert first.extra == {"Team Size": "12"}  # other columns keep their names
    assert (second.id, second.consent, second.text, second.line) == ("c2", False, None, 3)


def test_quoted_headers_are_read_whatever_the_delimiter():
    (row,) = rows_of(b'"id";"text";"consent"\nc1;"a; b";yes\n', "csv")
    assert (row.id, row.text) == ("c1", "a; b")
    with pytest.raises(InputError) as err:  # quoted names that are not the contract's: still missing columns
        check(b'"ID","Body"\n1,x\n')
    assert err.value.code == "missing_columns"


def test_a_comma_file_with_semicolons_in_its_text_stays_a_comma_file():
    (row,) = rows_of(b"id,text,consent\nc1,one; two; three,yes\n", "csv")
    assert row.text == "one; two; three" and row.error is None


def test_a_contract_column_given_twice_refuses_the_file():
    with pytest.raises(InputError) as err:
        check(b"id,Text,text,consent\nc1,a,b,yes\n")
    assert err.value.code == "duplicate_columns" and "text" in str(err.value)


def test_no_consent_row_keeps_no_text():
    (row,) = rows_of(b"id,text,consent\nc1,secret words,no\n", "csv")
    assert row.consent is False and row.text is None and row.error is None


def test_jsonl_bad_lines_are_reported_by_line_and_good_ones_kept():
    data = (
        b'{"id": "a", "text": "fine", "consent": true}\n\n{not json}\n[1,2]\n{"text": "no id", "consent": true}\n'
        b'{"id": "b", "text": "ok", "consent": "yes", "source": "memo"}\n{"id": "c", "text": "ok", "consent": 1}\n'
    )
    rows = rows_of(data, "jsonl")
    assert [(r.line, r.error.code if r.error else None) for r in rows] == [
        (1, None),
        (3, "malformed_json"),
        (4, "malformed_json"),
        (5, "missing_id"),
        (6, "invalid_source"),
        (7, None),
    ]


def test_item_over_limit_is_a_row_error_without_the_text():
    long_text = "word " * 5000
    (row,) = rows_of(f'{{"id": "x", "text": "{long_text}", "consent": true}}\n'.encode(), "jsonl", max_chars=20_000)
    assert row.error.code == "item_too_long"
    assert "word" not in row.error.message


def test_csv_wrong_field_count_is_a_row_error():
    rows = rows_of(b"id,text,consent\na,one,yes\nb,two,yes,extra\nc,three,yes\n", "csv")
    assert [r.error.code if r.error else None for r in rows] == [None, "malformed_row", None]


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "x.csv", "empty_file"),
        (b"id,text,consent\n", "x.csv", "empty_file"),
        (b"id,body\n1,hello\n", "x.csv", "missing_columns"),
        ("id,text,consent\n1,caf\u00e9,yes\n".encode("latin-1"), "x.csv", "invalid_encoding"),
        (b'id,text,consent\n1,"unterminated,yes\n', "x.csv", "malformed_csv"),
        (b"x" * 10_001, "x.csv", "upload_too_large"),
    ],
)
def test_whole_file_errors_have_stable_codes(data, name, code):
    with pytest.raises(InputError) as err:
        check(data, name)
    assert err.value.code == code


def test_preflight_counts_rows_and_bad_rows(tmp_path: Path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"id": "a", "text": "t", "consent": true}\n{broken\n')
    result = preflight_path(path, max_item_chars=100)
    assert (result.fmt, result.rows, result.bad_rows) == ("jsonl", 2, 1)


def test_bom_is_accepted():
    data = b"\xef\xbb\xbfid,text,consent\n1,hi,yes\n"
    assert check(data).rows == 1
