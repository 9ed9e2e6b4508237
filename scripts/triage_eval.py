"""Run the production triage (trained Rasa model + bot/triage.py) over JSON lines (Rasa env).

  --input FILE          lines {"text": ...}; writes one JSON line per input to stdout:
                        {"text", "urgency", "category", "topic", "intent", "signals"}
  --labelled FILE       lines with gold "urgency", "topic", "orthography"; prints urgent recall,
                        concern-or-urgent recall, false-urgent rate on none and topic accuracy
                        per orthography, and writes a JSON report.

The model is parsed in-process with Rasa's Agent, the same NLU the Rasa server runs behind
/model/parse, and the verdict comes from bot.triage.assess, the function the web app calls.
Progress and logs go to stderr; stdout carries only results.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.triage import assess, reported_intent  # noqa: E402

ORTHOGRAPHIES = ("diacritics", "plain", "teencode")


def read_jsonl(path: str) -> list[dict]:
    rows = []
    stream = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    with stream:
        for number, line in enumerate(stream, 1):
            line = line.strip()
            if not line:
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{number}: not JSON ({exc})") from exc
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise SystemExit(f'{path}:{number}: expected an object with a "text" string')
            rows.append(row)
    return rows


def load_agent(model: str):
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa's debug lines would print every text
    with contextlib.redirect_stdout(sys.stderr):
        return Agent.load(model)


async def triage_all(agent, texts: list[str]) -> list[dict]:
    out = []
    started = time.monotonic()
    for i, text in enumerate(texts, 1):
        nlu = await agent.parse_message(text)
        verdict = assess(text, nlu=nlu)
        out.append(
            {
                "text": text,
                "urgency": verdict.urgency,
                "category": verdict.category,
                "topic": verdict.topic,
                "intent": reported_intent(verdict.intent),
                "signals": [s.__dict__ for s in verdict.signals],
            }
        )
        if i % 100 == 0:
            print(f"{i}/{len(texts)} in {time.monotonic() - started:.1f} s", file=sys.stderr)
    print(f"{len(texts)} messages in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return out


def metrics(gold: list[dict], predicted: list[dict]) -> dict:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    misses = []
    for g, p in zip(gold, predicted, strict=True):
        for key in (g.get("orthography", "all"), "all"):
            c = counts[key]
            if g["urgency"] == "urgent":
                c["urgent"] += 1
                c["urgent_hit"] += p["urgency"] == "urgent"
            if g["urgency"] in ("urgent", "concern"):
                c["risk"] += 1
                c["risk_hit"] += p["urgency"] in ("urgent", "concern")
            if g["urgency"] == "none":
                c["none"] += 1
                c["false_urgent"] += p["urgency"] == "urgent"
            c["n"] += 1
            c["topic_hit"] += p["topic"] == g.get("topic")
        if (g["urgency"] == "urgent") != (p["urgency"] == "urgent") or p["topic"] != g.get("topic"):
            misses.append(
                {**g, "predicted": {k: p[k] for k in ("urgency", "category", "topic", "intent")}}
            )

    def ratio(a: int, b: int) -> float | None:
        return round(a / b, 3) if b else None

    table = {
        key: {
            "n": c["n"],
            "urgent_recall": ratio(c["urgent_hit"], c["urgent"]),
            "concern_or_urgent_recall": ratio(c["risk_hit"], c["risk"]),
            "false_urgent_rate_on_none": ratio(c["false_urgent"], c["none"]),
            "topic_accuracy": ratio(c["topic_hit"], c["n"]),
        }
        for key, c in counts.items()
    }
    return {"metrics": table, "misses": misses}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", required=True)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--input")
    group.add_argument("--labelled")
    parser.add_argument("--report", default=str(ROOT / "var" / "reports" / "triage_eval.json"))
    parser.add_argument("--min-urgent-recall", type=float, default=0.0)
    parser.add_argument("--max-false-urgent", type=float, default=1.0)
    parser.add_argument("--min-topic-accuracy", type=float, default=0.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    rows = read_jsonl(args.input or args.labelled)
    print(f"loading {Path(args.model).name}…", file=sys.stderr)
    agent = load_agent(args.model)
    results = asyncio.run(triage_all(agent, [r["text"] for r in rows]))

    if args.input:
        for result in results:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        return 0

    report = metrics(rows, results)
    print(f"Triage on {args.labelled} ({len(rows)} messages)")
    header = f"{'orthography':<12} {'n':>4} {'urgent recall':>14} {'risk recall':>12} {'false urgent':>13} {'topic acc':>10}"
    print(header)
    for key in (*ORTHOGRAPHIES, "all"):
        m = report["metrics"].get(key)
        if not m:
            continue

        def f(value):
            return "-" if value is None else f"{value:.3f}"

        print(
            f"{key:<12} {m['n']:>4} {f(m['urgent_recall']):>14} {f(m['concern_or_urgent_recall']):>12} "
            f"{f(m['false_urgent_rate_on_none']):>13} {f(m['topic_accuracy']):>10}"
        )
    path = Path(args.report)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"{len(report['misses'])} misses; report written to {path}")
    targets = {"urgent_recall": 0.98, "false_urgent_rate_on_none": 0.05, "topic_accuracy": 0.85}
    for key in ORTHOGRAPHIES:
        m = report["metrics"].get(key)
        if not m:
            continue
        unmet = [
            name
            for name, target in targets.items()
            if m[name] is not None
            and (m[name] > target if name.startswith("false") else m[name] < target)
        ]
        print(
            f"targets (urgent recall ≥ 0.98, false urgent ≤ 0.05, topic ≥ 0.85) in {key}: "
            + ("met" if not unmet else "NOT met: " + ", ".join(unmet))
        )
    failed = [
        key
        for key in ORTHOGRAPHIES
        if (m := report["metrics"].get(key))
        and (
            (m["urgent_recall"] or 0) < args.min_urgent_recall
            or (m["false_urgent_rate_on_none"] or 0) > args.max_false_urgent
            or (m["topic_accuracy"] or 0) < args.min_topic_accuracy
        )
    ]
    if failed:
        print(f"FAIL: below the regression floor in {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
