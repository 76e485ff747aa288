"""`upstander trends` (file and database), the alerts simulation smoke run and the bench script."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

from typer.testing import CliRunner

from service.cli import app
from service.labels import SEVERITIES, THEMES
from service.settings import REPO_ROOT, Settings
from service.storage.migrate import upgrade
from service.trends import service
from service.trends.aggregate import file_atoms, read_analyze_output
from tests.trends.conftest import CANARY_TEXT, Row, store


def analyze_output(path, seed=3) -> None:
    """A synthetic `upstander analyze` output: four waves, one unit too small to show."""
    rnd = random.Random(seed)
    lines = []
    for wave in ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"):
        for unit, size in (("acme/sales", 25), ("acme/ops", 30), ("acme/tiny", 3)):
            for i in range(size):
                lines.append(
                    {
                        "id": f"{wave}-{unit}-{i}",
                        "unit": unit,
                        "period": wave,
                        "redacted_text": CANARY_TEXT,
                        "themes": [t for t in THEMES if rnd.random() < 0.2],
                        "severity": rnd.choice(SEVERITIES),
                        "urgent": False,
                    }
                )
        lines.append({"id": f"{wave}-x", "skipped": "no_consent"})
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))


def run_cli(*args, env_extra=None):
    env = os.environ | (env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=REPO_ROOT,
    )


def test_cli_trends_file_json_chart_and_html(tmp_path):
    source = tmp_path / "out.jsonl"
    analyze_output(source)
    chart, report, answer = tmp_path / "c.png", tmp_path / "r.html", tmp_path / "t.json"
    result = run_cli("trends", str(source), "--chart", str(chart), "--html", str(report), "-o", str(answer), "--alerts")
    assert result.returncode == 0, result.stderr
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = report.read_text()
    assert page.startswith("<!doctype html>") and page.count("data:image/png;base64,") == 5  # *, acme and 3 teams
    assert "suppressed" in page and CANARY_TEXT not in page
    written = json.loads(answer.read_text())
    release = service.release_from_atoms(
        file_atoms(read_analyze_output(source)), granularity=None, settings=Settings(environment="test")
    )
    assert {k: v for k, v in written.items() if k != "alerts"} == service.trends(release)
    tiny = next(u for u in written["units"] if u["unit"] == "acme/tiny")
    assert all(c["respondents"] == {"suppressed": True} for c in tiny["cells"])
    assert written["alerts"]["tests"] > 0 and CANARY_TEXT not in answer.read_text()


def test_cli_trends_errors_are_one_line(tmp_path):
    runner = CliRunner()
    not_jsonl = tmp_path / "export.csv"
    not_jsonl.write_text("id,text,consent\n1,hello,yes\n")
    cases = [
        ([str(not_jsonl)], "is not JSON"),
        ([str(tmp_path / "missing.jsonl")], "no such file"),
        ([str(not_jsonl), "--batch", "b1"], "not both"),
    ]
    good = tmp_path / "good.jsonl"
    analyze_output(good)
    cases += [
        ([str(good), "--granularity", "year"], "granularity must be one of"),
        ([str(good), "--granularity", "week"], "no consenting respondents with a week period"),
        ([str(good), "--from", "2026-Q3", "--to", "2026-Q1"], "'from' is after 'to'"),
        ([str(good), "--unit", "acme/nowhere"], "no such unit"),
    ]
    for args, message in cases:
        result = runner.invoke(app, ["trends", *args])
        assert result.exit_code == 2, (args, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("upstander: error: ") and message in lines[0], lines


def test_cli_trends_from_a_stored_batch(tmp_path):
    url = f"sqlite:///{tmp_path / 'data' / 'upstander.db'}"
    upgrade(url)
    batch = store(url, [Row("acme/a", "2026-Q1", themes=["exclusion"]) for _ in range(12)])
    store(url, [Row("acme/a", "2026-Q2") for _ in range(12)])
    env = {"UPSTANDER_DATABASE_URL": url, "UPSTANDER_ENVIRONMENT": "test"}
    result = run_cli("trends", "--batch", batch, env_extra=env)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["periods"] == ["2026-Q1"] and body["units"][0]["cells"][0]["themes"]["exclusion"]["count"] == 12
    missing = run_cli("trends", "--batch", "no-such-batch", env_extra=env)
    assert missing.returncode == 2 and missing.stderr.strip() == "upstander: error: no such batch: no-such-batch"


def test_alerts_simulation_smoke():
    from eval.alerts.simulate import main

    metrics = main(["--smoke"])
    null, changed = metrics["scenarios"]
    assert null["effect"] == 1.0 and null["changed_series"] == 0
    assert null["false_alarms_per_100_unit_periods"] <= 5.0
    assert changed["detection_rate"] > 0.2 and changed["median_delay_periods"] is not None
    assert changed["median_delay_periods"] <= 3


def test_bench_script_runs_small(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "bench/trends.py",
            "-n",
            "3000",
            "--repeat",
            "1",
            "--url",
            f"sqlite:///{tmp_path / 'bench.db'}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["items"] == 3000 and figures["engine"] == "sqlite"
    assert all(r["warm_median_s"] < 30 for r in figures["results"].values())
