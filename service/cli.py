"""The `upstander` command line: analyze files offline, serve the API, run workers, admin tasks."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated, get_args

import typer

from service.console import fail
from service.errors import UpstanderError
from service.settings import EvidenceMode, get_settings
from service.trends.cli import trends as trends_command

# Each command imports what it needs in its body: `upstander --help` and an offline `analyze` must
# not load the API, the database layer, Celery or torch. No import here dodges a cycle.
app = typer.Typer(
    help="Upstander: early warning of workplace bullying.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
admin_app = typer.Typer(help="Tokens, migrations and other admin tasks.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")
eval_app = typer.Typer(help="Evaluate the classifier (researchers).", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.command("trends")(trends_command)


def _setup_logging() -> None:
    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )


@app.command()
def analyze(
    input: Annotated[Path, typer.Argument(help="CSV or JSONL with id, text, consent columns")],
    output: Annotated[Path, typer.Option("-o", "--output", help="JSONL output, one line per input row")],
    fmt: Annotated[str | None, typer.Option("--format", help="csv or jsonl (default: from the name)")] = None,
    encoding: Annotated[
        str,
        typer.Option(
            help="the file's encoding: utf-8, cp1252 (Excel's CSV on Windows), latin-1 or utf-16 (never guessed)"
        ),
    ] = "utf-8",
    chunk_size: Annotated[int, typer.Option(min=1, max=10_000, help="rows per processing chunk")] = 256,
    workers: Annotated[
        int, typer.Option(min=0, max=64, help="worker processes (0: one per core for files over 2,000 rows, else 1)")
    ] = 0,
    progress: Annotated[
        bool, typer.Option(help="progress on stderr: a bar on a terminal, a line every 10 s otherwise")
    ] = True,
    resume: Annotated[
        bool, typer.Option(help="keep the complete lines the output already holds and do only the rest")
    ] = False,
    evidence: Annotated[
        str | None,
        typer.Option(
            help="gradient (default: the clauses behind each flag, by gradient attribution), occlusion (the "
            "same by taking each clause out: slower) or phrases (matched danger phrases only, fastest; for "
            "runs that feed trends)"
        ),
    ] = None,
) -> None:
    """Analyse a survey export with no server and no database."""
    from service.analyze import analyze_file, threads_per_worker
    from service.inputs import preflight_path
    from service.progress import progress_for

    settings = get_settings()
    if evidence is not None:
        modes = get_args(EvidenceMode)
        if evidence not in modes:
            fail(f"--evidence must be {', '.join(modes[:-1])} or {modes[-1]}")
        settings = settings.model_copy(update={"evidence": evidence})
    try:
        check = preflight_path(input, max_item_chars=settings.max_item_chars, fmt=fmt, encoding=encoding)
    except UpstanderError as exc:
        fail(exc.message)
    if workers == 0:
        workers = (os.cpu_count() or 1) if check.rows > 2000 else 1
    if not (settings.models_dir / settings.model_name / "manifest.json").exists():
        fail(f"cannot load the pipeline: no model at {settings.models_dir / settings.model_name}; run `make train`", 1)
    with progress_for(check.rows, enabled=progress) as bar:
        bar.loading()
        pipeline = None
        if workers == 1:
            try:
                import torch

                from service.components import get_pipeline

                torch.set_num_threads(threads_per_worker(1))
                pipeline = get_pipeline(settings)
            except Exception as exc:  # e.g. a broken model artifact: say so in one line
                fail(f"cannot load the pipeline: {exc}", code=1)
        try:
            summary = analyze_file(
                input,
                output,
                fmt=check.fmt,
                pipeline=pipeline,
                settings=settings,
                chunk_size=chunk_size,
                workers=workers,
                on_progress=bar.advance,
                on_ready=bar.started_work,
                resume=resume,
                encoding=check.encoding,
            )
        except UpstanderError as exc:
            fail(exc.message)
        bar.finish()
    typer.echo(json.dumps(summary), err=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="bind address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    worker: Annotated[bool, typer.Option(help="run the in-process worker")] = True,
) -> None:
    """Serve the API (migrating the database first)."""
    import uvicorn

    from service.api.main import create_app
    from service.storage.migrate import upgrade

    _setup_logging()
    settings = get_settings().model_copy(update={"worker_enabled": worker})
    upgrade(settings.sqlalchemy_url)
    # access_log=False: uvicorn would log full query strings; the app logs route templates instead.
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", access_log=False)


@app.command("worker")
def worker_cmd(
    until_idle: Annotated[bool, typer.Option(help="exit when no work is left (embedded mode only)")] = False,
    concurrency: Annotated[
        int, typer.Option(min=1, max=64, help="with a broker: worker processes, each loading the models once")
    ] = 1,
    beat: Annotated[bool, typer.Option(help="with a broker: also run beat (housekeeping); run exactly one")] = False,
    beat_only: Annotated[bool, typer.Option(help="with a broker: run only beat, process nothing")] = False,
) -> None:
    """Run a standalone worker: drains batches, pushes webhooks, marks overdue flags, applies retention.

    With UPSTANDER_BROKER_URL set it is a Celery worker on that broker (see README, Production deployment).
    """
    import threading

    from service.storage.migrate import upgrade
    from service.worker import housekeeping, run_housekeeping, run_worker

    _setup_logging()
    settings = get_settings()
    if not settings.broker_url and (concurrency != 1 or beat or beat_only):
        fail("--concurrency, --beat and --beat-only need UPSTANDER_BROKER_URL (a Celery broker)")
    upgrade(settings.sqlalchemy_url)
    if settings.broker_url:
        from service.tasks.run import run_beat
        from service.tasks.run import run_worker as run_celery_worker

        if until_idle:
            fail("--until-idle is for the embedded worker; Celery workers run until stopped")
        if beat_only:
            run_beat(settings)
            return
        raise typer.Exit(run_celery_worker(settings, concurrency=concurrency, beat=beat))
    if until_idle:
        done = run_worker(settings, until_idle=True)
        typer.echo(f"chunks processed: {done}; {json.dumps(housekeeping(settings))}", err=True)
        return
    stop = threading.Event()
    threading.Thread(target=run_housekeeping, args=(settings, stop), daemon=True).start()
    try:
        done = run_worker(settings, stop)
    finally:
        stop.set()
    typer.echo(f"chunks processed: {done}", err=True)


@app.command("export-feedback")
def export_feedback(
    output: Annotated[Path, typer.Option("-o", "--output", help="JSONL in the training corpus format")],
    since: Annotated[str | None, typer.Option(help="only corrections made on or after this ISO date")] = None,
) -> None:
    """Write reviewers' label corrections as training data (redacted text only); audited."""
    from datetime import UTC, datetime

    from service.flags.feedback import export
    from service.storage.db import session_scope

    settings = get_settings()
    try:
        start = datetime.fromisoformat(since).replace(tzinfo=UTC) if since else None
    except ValueError:
        fail(f"--since is not an ISO date: {since}")
    with session_scope(settings.sqlalchemy_url) as session, output.open("w", encoding="utf-8") as out:
        count = export(session, out, since=start)
    typer.echo(f"wrote {count} corrected items to {output}", err=True)


@admin_app.command("migrate")
def migrate() -> None:
    """Apply database migrations."""
    from service.storage.migrate import upgrade

    upgrade(get_settings().sqlalchemy_url)


@admin_app.command("create-token")
def create_token(
    role: Annotated[str, typer.Option(help="admin, analyst, reviewer or researcher")],
    name: Annotated[str, typer.Option(help="who or what uses the token")],
    unit: Annotated[list[str] | None, typer.Option(help="restrict to these units (repeatable)")] = None,
) -> None:
    """Create an API token; it is printed once and only its hash is stored."""
    from service.storage.db import session_scope
    from service.storage.migrate import upgrade
    from service.tokens.service import create_token as create

    settings = get_settings()
    upgrade(settings.sqlalchemy_url)
    try:
        with session_scope(settings.sqlalchemy_url) as session:
            _, token = create(session, name=name, role=role, units=unit or [])
    except UpstanderError as exc:
        fail(exc.message)
    typer.echo(token)


@admin_app.command("erase-batch")
def erase_batch(
    batch_id: Annotated[str, typer.Argument(help="the batch to erase, with all its items and flags")],
) -> None:
    """Erase a batch on request; the audit trail keeps only ids and counts."""
    from service.admin.retention import ERASED_TABLES
    from service.admin.retention import erase_batch as erase
    from service.storage.db import scrub_deleted, session_scope

    settings = get_settings()
    with session_scope(settings.sqlalchemy_url) as session:
        counts = erase(session, batch_id=batch_id, actor_token_id=None, actor_role="cli")
    if counts is None:
        fail(f"no such batch: {batch_id}")
    scrub_deleted(settings.sqlalchemy_url, ERASED_TABLES)
    typer.echo(json.dumps(counts), err=True)


@admin_app.command("purge")
def purge() -> None:
    """Apply retention now (workers also do it every `retention_check_seconds`)."""
    from service.admin.retention import purge_expired

    typer.echo(json.dumps(purge_expired(get_settings())), err=True)


@admin_app.command("ensure-admin")
def ensure_admin() -> None:
    """Print a first admin token if no admin token exists yet (used by `make run`)."""
    from service.storage.db import session_scope
    from service.storage.migrate import upgrade
    from service.tokens.service import create_token as create
    from service.tokens.service import has_admin

    settings = get_settings()
    upgrade(settings.sqlalchemy_url)
    with session_scope(settings.sqlalchemy_url) as session:
        if has_admin(session):
            typer.echo("an admin token already exists (create more with `upstander admin create-token`)", err=True)
            return
        _, token = create(session, name="first-admin", role="admin")
    typer.echo(f"first admin token (shown once, keep it safe): {token}", err=True)


@eval_app.command("fairness")
def eval_fairness(
    data: Annotated[Path, typer.Option(help="labelled CSV/JSONL: text, themes, severity, group columns")],
    group_col: Annotated[list[str], typer.Option(help="group column (repeatable)")],
    out_dir: Annotated[Path, typer.Option(help="where report.json and report.html go")] = Path("fairness-report"),
    n_boot: Annotated[int, typer.Option(min=0, max=2000, help="bootstrap resamples for the CIs")] = 200,
) -> None:
    """Per-group recall, false-positive rate, precision and flag rate, with bootstrap CIs."""
    from service.components import get_pipeline
    from service.evaluations import service as evaluations
    from service.evaluations.report import render

    settings = get_settings()
    if not data.is_file():
        fail(f"no such file: {data}")
    try:
        rows = evaluations.validate_labelled(
            evaluations.read_labelled(data.read_bytes(), data.name), group_col, settings.max_item_chars
        )
    except UpstanderError as exc:
        fail(exc.message)
    report = evaluations.evaluate(rows, group_col, get_pipeline(settings), n_boot=n_boot)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(json.dumps(report, indent=2))
    (out_dir / "report.html").write_text(render(report))
    typer.echo(f"wrote {out_dir / 'report.json'} and {out_dir / 'report.html'}", err=True)


if __name__ == "__main__":
    app()
