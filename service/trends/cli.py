"""`upstander trends`: the same anonymity-safe answer as GET /v1/trends, from a file or the database.

With INPUT (an `upstander analyze` output file) it needs no server and no database; without it,
it reads the stored items (optionally one batch, `--batch`; the command has database access, so
it runs with an admin's view). It writes the JSON answer to `--output`, or prints it when neither
`--chart out.png` (the first unit) nor `--html report.html` (a self-contained report with a chart
per unit and theme) is asked for. Errors are one line and exit 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from service.console import fail
from service.errors import UpstanderError

# service/cli.py imports this module for every command: the database layer, numpy and matplotlib
# are imported inside the function bodies, only when `upstander trends` runs.


def _release(input: Path | None, batch: str | None, granularity: str | None, settings):
    from service.trends import service
    from service.trends.aggregate import file_atoms, read_analyze_output

    if input is not None:
        if batch is not None:
            raise UpstanderError("give an analyze output file or --batch, not both")
        atoms = file_atoms(read_analyze_output(input))
        source = str(input)
    else:
        from service.batches.models import Batch
        from service.storage.db import session_scope
        from service.storage.migrate import upgrade

        upgrade(settings.sqlalchemy_url)
        with session_scope(settings.sqlalchemy_url) as session:
            if batch is not None and session.get(Batch, batch) is None:
                raise UpstanderError(f"no such batch: {batch}", code="not_found")
            from service.trends.aggregate import stored_atoms

            atoms = stored_atoms(session, batch_id=batch)
        source = f"batch {batch}" if batch else "the database"
    release = service.release_from_atoms(atoms, granularity=granularity, settings=settings)
    if not release.periods:
        raise UpstanderError(
            f"no consenting respondents with a {release.granularity} period in {source}", code="no_data"
        )
    return release


def trends(
    input: Annotated[
        Path | None, typer.Argument(help="`upstander analyze` output (JSONL); omit to read the database")
    ] = None,
    batch: Annotated[str | None, typer.Option(help="only this stored batch")] = None,
    granularity: Annotated[
        str | None, typer.Option(help="wave, month or week (default: waves if named, else months)")
    ] = None,
    unit: Annotated[str | None, typer.Option(help="show this unit's subtree")] = None,
    period_from: Annotated[str | None, typer.Option("--from", help="first period, inclusive")] = None,
    period_to: Annotated[str | None, typer.Option("--to", help="last period, inclusive")] = None,
    theme: Annotated[list[str] | None, typer.Option(help="theme to include (repeatable)")] = None,
    depth: Annotated[int, typer.Option(min=0, max=20, help="levels below the shown unit")] = 2,
    last: Annotated[int, typer.Option(min=1, max=156, help="periods when no range is given")] = 12,
    alerts: Annotated[bool, typer.Option("--alerts", help="add early-warning alerts to the answer")] = False,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="write the JSON here (default: stdout)")] = None,
    chart: Annotated[Path | None, typer.Option(help="PNG chart of the first unit")] = None,
    html: Annotated[Path | None, typer.Option(help="self-contained HTML report")] = None,
) -> None:
    """Theme and severity trends per unit and period, with small groups suppressed."""
    from service.settings import get_settings
    from service.trends import service
    from service.trends.alerts import alerts as run_alerts

    settings = get_settings()
    try:
        release = _release(input, batch, granularity, settings)
        answer = service.trends(
            release, unit=unit, period_from=period_from, period_to=period_to, themes=theme, depth=depth, last=last
        )
        warning = None
        if alerts and input is None:  # from the database: hotspots too
            from service.storage.db import session_scope

            with session_scope(settings.sqlalchemy_url) as session:
                warning = run_alerts(release, session=session, unit=unit)
        elif alerts:
            warning = run_alerts(release, session=None, unit=unit)
    except UpstanderError as exc:
        fail(exc.message)
        return
    document = answer if warning is None else answer | {"alerts": warning}
    text = json.dumps(document, indent=1)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text)
    elif chart is None and html is None:
        typer.echo(text)
    if chart is not None:
        from service.trends.charts import save_chart

        if not answer["units"] or not answer["periods"]:
            fail("nothing to draw: no unit or no period in the answer")
        save_chart(answer, chart, theme)
        typer.echo(f"wrote {chart}", err=True)
    if html is not None:
        from service.trends.report import render

        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(render(answer, warning))
        typer.echo(f"wrote {html}", err=True)
