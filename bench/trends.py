"""Trends at scale: fill a database with N synthetic analysed items, then time trend queries.

Target (issue 6): GET /v1/trends over 1,000,000 stored items answers in under 2 s on SQLite and on
PostgreSQL. The items are synthetic (labels, units, dates; a filler redacted text and scores so
rows are as wide as real ones) across a realistic tree: 1 company, 6 divisions, 48 departments and
~300 teams of very different sizes, 18 months of submissions (60% dated, 40% in quarterly waves).

    python bench/trends.py                                   # SQLite file under /tmp, 1M items
    python bench/trends.py --url postgresql+psycopg://...    # an empty PostgreSQL database
    python bench/trends.py -n 20000 --keep                   # small run, keep the database

"cold" is the first query on a fresh engine (connection pool and statement caches empty; the
operating system's file cache may hold the data), "warm" the median of the next runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid
import zlib
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, text  # noqa: E402

from service.batches.models import Batch, Item, ItemPerson  # noqa: E402
from service.labels import SEVERITIES, THEMES  # noqa: E402
from service.settings import Settings  # noqa: E402
from service.storage.db import get_engine, get_sessionmaker  # noqa: E402
from service.storage.migrate import upgrade  # noqa: E402
from service.trends import service  # noqa: E402

DEFAULT_URL = "sqlite:////tmp/upstander_bench_trends.db"
FILLER = (
    "<PERSON_1> said the rota was changed again without asking anyone, and the team lead "
    "laughed when I raised it in the stand-up."
)


def org_units(rng: np.random.Generator) -> tuple[list[str], np.ndarray]:
    units = []
    for d in range(6):
        for g in range(8):
            for t in range(int(rng.integers(3, 10))):
                units.append(f"acme/div{d}/dept{g}/team{t:02d}")
            units.append(f"acme/div{d}/dept{g}")  # managers' own items
    weights = rng.lognormal(0.0, 1.0, len(units))
    return units, weights / weights.sum()


def rows(n: int, batch_id: str, seed: int):
    """Yield item dicts in chunks; deterministic for a seed."""
    rng = np.random.default_rng(seed)
    units, weights = org_units(rng)
    theme_p = rng.uniform(0.02, 0.15, len(THEMES))
    start = date(2025, 1, 1)
    waves = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    scores = {t: 0.01 for t in THEMES}
    chunk = 50_000
    for offset in range(0, n, chunk):
        size = min(chunk, n - offset)
        unit_ix = rng.choice(len(units), size=size, p=weights)
        days = rng.integers(0, 540, size=size)
        waved = rng.random(size) < 0.4
        masks = (rng.random((size, len(THEMES))) < theme_p) @ (1 << np.arange(len(THEMES)))
        ranks = rng.integers(0, len(SEVERITIES), size=size)
        status = rng.choice(["done", "needs_review", "error"], size=size, p=[0.97, 0.02, 0.01])
        out = []
        for i in range(size):
            when = start + timedelta(days=int(days[i]))
            year, week, _ = when.isocalendar()
            month = when.strftime("%Y-%m")
            ok = status[i] == "done"
            mask = int(masks[i]) if ok else 0
            out.append(
                {
                    "batch_id": batch_id,
                    "row_index": offset + i,
                    "line": offset + i + 2,
                    "external_id": f"b{offset + i}",
                    "status": str(status[i]),
                    "unit": units[unit_ix[i]],
                    "period": waves[int(days[i]) // 90] if waved[i] else month,
                    "week": f"{year}-W{week:02d}",
                    "month": month,
                    "source": "survey",
                    "redacted_text": FILLER if status[i] != "error" else None,
                    "themes": [t for b, t in enumerate(THEMES) if mask >> b & 1],
                    "scores": scores if ok else {},
                    "theme_mask": mask,
                    "severity": SEVERITIES[int(ranks[i])] if ok else None,
                    "severity_rank": int(ranks[i]) if ok else None,
                    "urgent": False,
                    "urgent_reasons": [],
                    "evidence": [],
                    "person_pseudonyms": [],
                    "model_version": "bench",
                }
            )
        yield out


def fill(url: str, n: int, seed: int) -> float:
    upgrade(url)
    engine = get_engine(url)
    started = time.perf_counter()
    batch_id = str(uuid.uuid4())
    with engine.begin() as conn:
        conn.execute(
            Batch.__table__.insert(),
            [{"id": batch_id, "status": "done", "content_hash": uuid.uuid4().hex, "format": "jsonl", "total": n}],
        )
    inserted = 0
    for chunk in rows(n, batch_id, seed):
        with engine.begin() as conn:
            conn.execute(Item.__table__.insert(), chunk)
        inserted += len(chunk)
        print(f"\r  inserted {inserted:,} items", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    with engine.begin() as conn:  # a few people named repeatedly, for hotspots
        ids = conn.execute(
            select(Item.id, Item.unit, Item.period).where(Item.status == "done").order_by(Item.id).limit(max(1, n // 5))
        ).all()
        people = [
            {"item_id": i, "batch_id": batch_id, "unit": u, "period": p, "pseudonym": f"p{zlib.crc32(u.encode()) % 7}"}
            for i, u, p in ids
        ]
        for k in range(0, len(people), 50_000):
            conn.execute(ItemPerson.__table__.insert(), people[k : k + 50_000])
    maintenance = "VACUUM ANALYZE" if url.startswith("postgresql") else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(maintenance))
    return time.perf_counter() - started


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def measure(url: str, repeat: int) -> dict:
    """Time each query `repeat + 1` times on a fresh engine: the first run is "cold"."""
    from fastapi.testclient import TestClient

    from service.api.main import create_app
    from service.tokens.service import create_token

    settings = Settings(environment="test", database_url=url, worker_enabled=False)
    with get_sessionmaker(url)() as session:
        token = create_token(session, name="bench", role="analyst")[1]
        session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    client = TestClient(create_app(settings))  # one running app, as a server would be

    def http(path: str, **params):
        def run(_session):
            response = client.get(path, params=params, headers=headers)
            response.raise_for_status()
            return response.content

        return run

    def every_unit(granularity: str):
        def run(session):
            release = service.load_release(session, granularity=granularity, settings=settings)
            return json.dumps(service.trends(release, depth=None)).encode()

        return run

    queries = {
        "GET /v1/trends (month, default depth 2)": http("/v1/trends", granularity="month"),
        "GET /v1/trends (week, default depth 2)": http("/v1/trends", granularity="week"),
        "trends month, every unit, as JSON": every_unit("month"),
        "trends week, every unit, as JSON": every_unit("week"),
        "trends wave, every unit, as JSON": every_unit("wave"),
        "GET /v1/alerts (month, with hotspots)": http("/v1/alerts", granularity="month"),
    }
    out = {}
    for name, query in queries.items():
        get_engine.cache_clear()
        get_sessionmaker.cache_clear()
        times, size = [], 0
        for _ in range(repeat + 1):
            with get_sessionmaker(url)() as session:
                seconds, body = timed(lambda q=query, s=session: q(s))
            times.append(seconds)
            size = len(body)
        out[name] = {
            "cold_s": round(times[0], 3),
            "warm_median_s": round(statistics.median(times[1:]), 3),
            "answer_kb": round(size / 1024),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=1_000_000, help="items to store")
    parser.add_argument("--url", default=DEFAULT_URL, help="database URL (an empty database)")
    parser.add_argument("--repeat", type=int, default=3, help="warm runs per query")
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument("--keep", action="store_true", help="reuse a database already holding N items")
    args = parser.parse_args()
    engine = get_engine(args.url)
    upgrade(args.url)
    with engine.connect() as conn:
        have = conn.execute(select(func.count()).select_from(Item.__table__)).scalar_one()
    if have and not (args.keep and have == args.n):
        sys.exit(f"{args.url} already holds {have:,} items; give an empty database (or --keep with -n {have})")
    if not have:
        print(f"filling {args.url.split('@')[-1]} with {args.n:,} items", file=sys.stderr)
        print(f"fill: {fill(args.url, args.n, args.seed):.1f} s", file=sys.stderr)
    dialect = engine.dialect.name
    results = measure(args.url, args.repeat)
    print(f"{args.n:,} items on {dialect}")
    for name, figures in results.items():
        print(
            f"  {name:38s} cold {figures['cold_s']:6.3f} s   warm {figures['warm_median_s']:6.3f} s   "
            f"answer {figures['answer_kb']:,} KB"
        )
    print(json.dumps({"items": args.n, "engine": dialect, "results": results}))


if __name__ == "__main__":
    main()
