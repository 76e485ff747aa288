"""Early-warning alerts on simulated unit-period series with known change points.

Step: simulate → release (the real anonymity code) → `alerts()` (the real test) period by period
→ metrics.json. Seeded; `--smoke` is a small run the test suite executes.

Each unit has a respondent count per period (some small enough to be suppressed), each
(unit, theme) a baseline rate with mild period-to-period variation (beta-distributed), and a
share of (unit, theme) series steps up by a factor at a known period. The detector sees only
what the API would show. An alert on a series before its change (or on a series that never
changes) is a false alarm; the first alert at or after the change is a detection, and the delay
is the number of periods between the change and that alert.

    python -m eval.alerts.simulate            # writes eval/alerts/metrics.json
    python -m eval.alerts.simulate --smoke    # quick run, prints the metrics
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

import numpy as np

from service.labels import THEMES
from service.trends.aggregate import MEASURES, Atom
from service.trends.alerts import alerts
from service.trends.release import build_release

OUT = Path(__file__).resolve().parent / "metrics.json"
FULL = {
    "units": 60,
    "periods": 24,
    "changed_share": 0.2,
    "effects": [1.5, 2.0, 3.0],
    "history": 8,
    "min_history": 3,
    "alpha": 0.05,
    "dispersion": 300.0,
    "seed": 20261124,
    "organisations": 4,
}
SMOKE = FULL | {"units": 12, "periods": 14, "effects": [3.0], "organisations": 1}


def simulate(config: dict, effect: float, seed: int) -> tuple[list[Atom], dict[tuple[str, str], int]]:
    """Atoms for every unit-period, and the change point of every changed (unit, theme)."""
    rng = np.random.default_rng(seed)
    units = [f"u{i:02d}" for i in range(config["units"])]
    periods = [f"t{t:02d}" for t in range(config["periods"])]
    sizes = rng.choice([8, 15, 25, 40, 80], size=len(units))
    base = rng.uniform(0.02, 0.20, size=(len(units), len(THEMES)))
    changes: dict[tuple[str, str], int] = {}
    if effect > 1:
        for unit in units:
            for theme in THEMES:
                if rng.random() < config["changed_share"]:
                    changes[(unit, theme)] = int(rng.integers(config["min_history"] + 3, config["periods"] - 3))
    atoms = []
    c = config["dispersion"]
    for u, unit in enumerate(units):
        for t, period in enumerate(periods):
            n = int(max(3, rng.poisson(sizes[u])))
            counts = [n] + [0] * (len(MEASURES) - 1)
            for k, theme in enumerate(THEMES):
                p = base[u, k]
                start = changes.get((unit, theme))
                if start is not None and t >= start:
                    p = min(0.9, p * effect)
                p_t = rng.beta(p * c, (1 - p) * c)
                counts[1 + k] = int(rng.binomial(n, p_t))
            counts[1 + len(THEMES)] = n  # severity "none": not under test here
            atoms.append(Atom(unit, period, None, None, tuple(counts)))
    return atoms, changes


def score(config: dict, effect: float, seed: int) -> dict:
    """Raw tallies of one simulated organisation."""
    atoms, changes = simulate(config, effect, seed)
    release = build_release(atoms, "wave", min_group_size=5, min_comment_group_size=10)
    first_alert: dict[tuple[str, str], int] = {}
    tally = {
        "changed_series": len(changes),
        "suppressed_unit_periods": int(release.hidden_text[:, 1:].sum()),
        "evaluated_periods": 0,
        "unit_periods": 0,
        "false_alarms": 0,
        "runs_with_false": 0,
        "alerts_raised": 0,
    }
    for t in range(config["min_history"], config["periods"]):
        answer = alerts(
            release,
            session=None,
            period=release.periods[t],
            alpha=config["alpha"],
            history=config["history"],
            min_history=config["min_history"],
        )
        tally["evaluated_periods"] += 1
        tally["unit_periods"] += config["units"]
        wrong = 0
        for alert in answer["alerts"]:
            if alert["unit"] == "*":
                continue  # the organisation total: not a unit with a known truth
            tally["alerts_raised"] += 1
            key = (alert["unit"], alert["theme"])
            start = changes.get(key)
            if start is None or t < start:
                wrong += 1
            elif key not in first_alert:
                first_alert[key] = t
        tally["false_alarms"] += wrong
        tally["runs_with_false"] += wrong > 0
    tally["delays"] = [first_alert[k] - start for k, start in changes.items() if k in first_alert]
    return tally


def summarise(effect: float, tallies: list[dict]) -> dict:
    total = {key: sum(t[key] for t in tallies) for key in tallies[0] if key != "delays"}
    delays = [d for t in tallies for d in t["delays"]]
    changed, unit_periods = total["changed_series"], total["unit_periods"]
    return {
        "effect": effect,
        "organisations": len(tallies),
        **{k: total[k] for k in ("changed_series", "suppressed_unit_periods", "alerts_raised", "false_alarms")},
        "false_alarms_per_100_unit_periods": round(100 * total["false_alarms"] / unit_periods, 4),
        "false_alarms_per_100_unit_theme_periods": round(100 * total["false_alarms"] / (unit_periods * len(THEMES)), 4),
        "runs_with_any_false_alarm": round(total["runs_with_false"] / total["evaluated_periods"], 4),
        "false_discovery_proportion": round(total["false_alarms"] / total["alerts_raised"], 4)
        if total["alerts_raised"]
        else None,
        "detection_rate": round(len(delays) / changed, 4) if changed else None,
        "detected_within_2_periods": round(sum(d <= 2 for d in delays) / changed, 4) if changed else None,
        "mean_delay_periods": round(statistics.fmean(delays), 3) if delays else None,
        "median_delay_periods": statistics.median(delays) if delays else None,
    }


def run(config: dict) -> dict:
    scenarios = []
    for i, effect in enumerate([1.0, *config["effects"]]):
        seeds = [config["seed"] + 100 * i + r for r in range(config["organisations"])]
        scenarios.append(summarise(effect, [score(config, effect, seed) for seed in seeds]))
    return {
        "config": config,
        "design_false_alarm_rate": f"Benjamini-Hochberg FDR {config['alpha']} per run",
        "scenarios": scenarios,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="small, fast run; prints instead of writing")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    metrics = run(SMOKE if args.smoke else FULL)
    text = json.dumps(metrics, indent=2)
    if args.smoke:
        print(text)
    else:
        args.out.write_text(text + "\n")
        print(f"wrote {args.out}")
    return metrics


if __name__ == "__main__":
    main()
