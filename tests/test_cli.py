"""`upstander analyze` end to end with the real pipeline, and its error contract."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import SAMPLE

pytestmark = pytest.mark.slow


def run_cli(*args, cwd=None, env_extra=None):
    env = os.environ | {"HF_HUB_OFFLINE": "1"} | (env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=600
    )


def test_analyze_sample_file(tmp_path):
    out = tmp_path / "out.jsonl"
    result = run_cli("analyze", str(SAMPLE), "-o", str(out), "--no-progress")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    ids = [line.split(",", 1)[0] for line in SAMPLE.read_text().splitlines()[1:]]
    assert [r["id"] for r in lines] == ids  # one line per input row, in input order
    skipped = [r for r in lines if r.get("skipped")]
    assert [r["id"] for r in skipped] == ["s003"] and set(skipped[0]) == {"id", "skipped"}
    analysed = [r for r in lines if "redacted_text" in r]
    for r in analysed:
        assert set(r) >= {
            "redacted_text",
            "themes",
            "scores",
            "severity",
            "urgent",
            "urgent_reasons",
            "evidence",
            "model_version",
        }
        assert bool(r["themes"]) == (r["severity"] != "none")
        assert r["urgent"] == (r["severity"] == "critical") and bool(r["urgent_reasons"]) == r["urgent"]
        assert r["wave"] == "autumn"  # other columns pass through
    text = out.read_text()
    for pii in ("Gary Holt", "07700 900461", "Kevin O'Neill", "40213", "@dmitri_k", "Priya"):
        assert pii not in text
    by_id = {r["id"]: r for r in lines}
    assert by_id["s013"]["urgent"] and "violence" in by_id["s013"]["urgent_reasons"]
    assert by_id["s006"]["urgent"] and "self_harm" in by_id["s006"]["urgent_reasons"]
    assert by_id["s005"]["severity"] == "none"
    summary = json.loads(result.stderr.strip().splitlines()[-1])
    assert summary["rows"] == len(lines) and summary["skipped_no_consent"] == 1


@pytest.mark.parametrize(
    ("content", "name", "needle"),
    [
        (b"", "empty.csv", "empty"),
        (b"id,body\n1,hi\n", "cols.csv", "missing required column"),
        ("id,text,consent\n1,caf\u00e9,yes\n".encode("latin-1"), "latin.csv", "UTF-8"),
    ],
)
def test_bad_input_one_line_message_exit_2(tmp_path, content, name, needle):
    src = tmp_path / name
    src.write_bytes(content)
    result = run_cli("analyze", str(src), "-o", str(tmp_path / "o.jsonl"), "--no-progress")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and needle in result.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_a_cp1252_export_is_analysed_when_its_encoding_is_named(tmp_path):
    text = "The supervisor called my report \u201cgarbage\u201d in front of everyone"
    src = tmp_path / "excel.csv"
    src.write_bytes(f"id,text,consent\nx1,{text},yes\n".encode("cp1252"))
    out = tmp_path / "o.jsonl"
    result = run_cli("analyze", str(src), "-o", str(out), "--no-progress", "--encoding", "cp1252")
    assert result.returncode == 0, result.stderr
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert line["redacted_text"] == text  # output is UTF-8 whatever the input was
    unknown = run_cli("analyze", str(src), "-o", str(tmp_path / "u.jsonl"), "--encoding", "ebcdic")
    assert unknown.returncode == 2 and "unknown encoding" in unknown.stderr


def test_missing_input_file(tmp_path):
    result = run_cli("analyze", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o.jsonl"))
    assert result.returncode == 2 and "no such file" in result.stderr


def test_bad_rows_are_reported_and_good_rows_analysed(tmp_path):
    src = tmp_path / "mixed.jsonl"
    src.write_text(
        '{"id": "a", "text": "my manager screams at me every day", "consent": true}\n'
        "{oops\n"
        '{"id": "c", "text": "lovely team", "consent": "yes"}\n'
    )
    out = tmp_path / "o.jsonl"
    result = run_cli("analyze", str(src), "-o", str(out), "--no-progress")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r.get("id") for r in lines] == ["a", None, "c"]
    assert lines[1]["error"] == {"code": "malformed_json", "message": lines[1]["error"]["message"], "line": 2}
    assert "redacted_text" in lines[0] and "redacted_text" in lines[2]


def test_worker_processes_give_the_same_output_in_order(tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert (
        run_cli(
            "analyze", str(SAMPLE), "-o", str(one), "--no-progress", "--workers", "1", "--chunk-size", "4"
        ).returncode
        == 0
    )
    result = run_cli("analyze", str(SAMPLE), "-o", str(two), "--no-progress", "--workers", "2", "--chunk-size", "4")
    assert result.returncode == 0, result.stderr
    assert one.read_text() == two.read_text()


def test_progress_goes_to_stderr_as_lines_without_a_terminal(tmp_path):
    out = tmp_path / "o.jsonl"
    result = run_cli("analyze", str(SAMPLE), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    rows = len(SAMPLE.read_text().splitlines()) - 1
    assert lines[0] == "upstander: loading models…"
    assert any(line.startswith(f"upstander: analyzed {rows}/{rows} rows (100.0%)") for line in lines)


def test_resume_keeps_finished_lines_and_does_the_rest(tmp_path):
    full, part = tmp_path / "full.jsonl", tmp_path / "part.jsonl"
    assert run_cli("analyze", str(SAMPLE), "-o", str(full), "--no-progress").returncode == 0
    done = full.read_text().splitlines(keepends=True)
    part.write_text("".join(done[:6]) + done[6][:25])  # six finished rows and a torn seventh
    result = run_cli("analyze", str(SAMPLE), "-o", str(part), "--no-progress", "--resume")
    assert result.returncode == 0, result.stderr
    assert part.read_text() == full.read_text()
    summary = json.loads(result.stderr.strip().splitlines()[-1])
    assert summary["resumed_rows"] == 6 and summary["rows"] == len(done) - 6


def test_resume_refuses_an_output_of_another_input(tmp_path):
    out = tmp_path / "o.jsonl"
    out.write_text('{"id": "zz-other", "skipped": "no_consent"}\n')
    result = run_cli("analyze", str(SAMPLE), "-o", str(out), "--no-progress", "--resume")
    assert result.returncode == 2 and "cannot resume" in result.stderr
    assert out.read_text() == '{"id": "zz-other", "skipped": "no_consent"}\n'  # nothing already written is lost


def test_evidence_phrases_option_reaches_the_pipeline(tmp_path):
    from service.pipeline.urgent import danger_signals

    out = tmp_path / "out.jsonl"
    result = run_cli("analyze", str(SAMPLE), "-o", str(out), "--no-progress", "--evidence", "phrases")
    assert result.returncode == 0, result.stderr
    analysed = [r for r in map(json.loads, out.read_text().splitlines()) if "redacted_text" in r]
    assert any(r["themes"] and not r["urgent"] for r in analysed)
    for r in analysed:
        phrases = [p for found in danger_signals(r["redacted_text"]).values() for p in found]
        assert all(e in phrases for e in r["evidence"])
        assert r["evidence"] or not r["urgent"] or not phrases


def test_evidence_option_rejects_an_unknown_mode(tmp_path):
    result = run_cli("analyze", str(SAMPLE), "-o", str(tmp_path / "o.jsonl"), "--evidence", "everything")
    assert result.returncode == 2 and not (tmp_path / "o.jsonl").exists()
    assert result.stderr.strip().count("\n") == 0 and "gradient, occlusion or phrases" in result.stderr
    assert "everything" not in result.stderr
