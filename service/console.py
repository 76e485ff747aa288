"""The command line's error contract, shared by every `upstander` command: one line, exit 2."""

from __future__ import annotations

from typing import NoReturn

import typer


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr and a non-zero exit."""
    typer.echo(f"upstander: error: {message}", err=True)
    raise typer.Exit(code)
