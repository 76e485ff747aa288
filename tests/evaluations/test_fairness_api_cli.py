"""The researcher's fairness evaluation through the API and the CLI, with the real pipeline."""

import json
import subprocess
import sys

import pytest

from tests.api.conftest import auth
from tests.conftest import FIXTURES

pytestmark = pytest.mark.slow
ROWS = [json.loads(line) for line in (FIXTURES / "fairness_small.jsonl").read_text().splitlines()]


def test_api_evaluation(client, tokens):
    body = {"items": ROWS, "group_cols": ["gender"], "n_boot": 20}
    res = client.post("/v1/evaluations", json=body, headers=auth(tokens["researcher"]))
    assert res.status_code == 200, res.text
    groups = res.json()["labelled"]["group_columns"]["gender"]["any_mistreatment"]["groups"]
    assert set(groups) == {"woman", "man"} and groups["woman"]["n"] == 10
    assert 0 <= groups["man"]["recall"] <= 1
    for role in ("analyst", "reviewer", "admin"):
        assert client.post("/v1/evaluations", json=body, headers=auth(tokens[role])).status_code == 403
    bad = client.post(
        "/v1/evaluations",
        json={"items": [ROWS[0] | {"severity": "awful"}], "group_cols": ["gender"]},
        headers=auth(tokens["researcher"]),
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_labels"
    missing = client.post(
        "/v1/evaluations", json={"items": ROWS, "group_cols": ["age"]}, headers=auth(tokens["researcher"])
    )
    assert missing.json()["code"] == "missing_columns"


def test_cli_evaluation_writes_json_and_html(tmp_path):
    out = tmp_path / "report"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "service.cli",
            "eval",
            "fairness",
            "--data",
            str(FIXTURES / "fairness_small.jsonl"),
            "--group-col",
            "gender",
            "--out-dir",
            str(out),
            "--n-boot",
            "20",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads((out / "report.json").read_text())
    assert "woman" in report["labelled"]["group_columns"]["gender"]["any_mistreatment"]["groups"]
    page = (out / "report.html").read_text()
    assert page.startswith("<!doctype html>") and "data:image/png;base64," in page
