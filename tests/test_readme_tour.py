"""The README's tour, run exactly as printed, prints exactly what the README says it prints.

The bash block under "A five-minute tour" runs at the repository root from a clean data folder
(`UPSTANDER_DATA_DIR`), with the real `make run` on port 8000; only `make install` is skipped (the
suite runs inside that install). Its stdout must equal the README's "It prints" block, so a change
of model or sample that changes the tour fails here until the README is updated.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess

import pytest

from service.settings import REPO_ROOT

pytestmark = pytest.mark.slow
README = REPO_ROOT / "README.md"


def tour_blocks() -> tuple[str, str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## A five-minute tour") :]
    blocks = re.findall(r"```(bash|text)\n(.*?)```", section, flags=re.S)
    script = next(body for kind, body in blocks if kind == "bash")
    printed = next(body for kind, body in blocks if kind == "text")
    return script, printed


def port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def test_readme_tour_runs_as_printed(tmp_path):
    script, printed = tour_blocks()
    assert script.startswith("make install\n")
    assert port_free(8000), "the tour serves on port 8000, which is taken"
    env = os.environ | {"UPSTANDER_DATA_DIR": str(tmp_path / "data"), "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(
        ["bash", "-euo", "pipefail", "-c", script.removeprefix("make install\n")],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # the server `make run` leaves behind is in this group
    )
    try:
        out, err = proc.communicate(timeout=900)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
    assert proc.returncode == 0, err[-2000:]
    assert out == printed
    assert "first admin token" in (REPO_ROOT / "out" / "server.log").read_text()
    assert (tmp_path / "data" / "upstander.db").exists()  # the data folder the tour was given
