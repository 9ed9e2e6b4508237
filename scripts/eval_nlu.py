"""Intent accuracy on the held-out set (tests/nlu_eval/), split by orthography (Rasa env).

The held-out set is never used in training. Prints a table and writes a JSON report.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ORTHOGRAPHIES = ("diacritics", "plain", "teencode")


def load_examples(directory: Path) -> list[dict]:
    examples: list[dict] = []
    for path in sorted(directory.glob("*.yml")):
        for row in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if row.get("orthography") not in ORTHOGRAPHIES:
                raise ValueError(f"{path}: bad orthography in {row}")
            examples.append(row)
    return examples


async def predict(model: str, texts: list[str]) -> list[tuple[str, float]]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # Rasa's debug lines would print every user text
    agent = Agent.load(model)
    out = []
    for text in texts:
        parsed = await agent.parse_message(text)
        intent = parsed.get("intent") or {}
        name = intent.get("name")
        if name == "nlu_fallback":  # score the best real intent; the fallback is a policy choice
            ranking = [r for r in parsed.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
            name = ranking[0]["name"] if ranking else name
        out.append((name, float(intent.get("confidence") or 0.0)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", default=str(ROOT / "tests" / "nlu_eval"))
    parser.add_argument("--report", default=str(ROOT / "var" / "reports" / "nlu_eval.json"))
    parser.add_argument(
        "--min-accuracy",
        type=float,
        default=0.0,
        help="exit 1 if any orthography scores below this",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    examples = load_examples(Path(args.data))
    predictions = asyncio.run(predict(args.model, [e["text"] for e in examples]))
    totals, correct = Counter(), Counter()
    errors = []
    confusions: dict[str, Counter] = defaultdict(Counter)
    for example, (predicted, confidence) in zip(examples, predictions, strict=False):
        orth = example["orthography"]
        totals[orth] += 1
        if predicted == example["intent"]:
            correct[orth] += 1
        else:
            confusions[example["intent"]][predicted] += 1
            errors.append({**example, "predicted": predicted, "confidence": round(confidence, 3)})
    accuracy = {o: correct[o] / totals[o] for o in ORTHOGRAPHIES if totals[o]}
    overall = sum(correct.values()) / max(1, sum(totals.values()))

    print(
        f"Held-out intent accuracy ({sum(totals.values())} examples, model {Path(args.model).name})"
    )
    print(f"{'orthography':<12} {'n':>4} {'accuracy':>9}")
    for orth in ORTHOGRAPHIES:
        if totals[orth]:
            print(f"{orth:<12} {totals[orth]:>4} {accuracy[orth]:>9.3f}")
    print(f"{'all':<12} {sum(totals.values()):>4} {overall:>9.3f}")
    if errors:
        print(
            f"{len(errors)} errors; most confused:",
            ", ".join(
                f"{gold}→{pred}×{n}"
                for gold, c in confusions.items()
                for pred, n in c.most_common(2)
            )[:600],
        )

    report = Path(args.report)
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(
        json.dumps(
            {
                "model": Path(args.model).name,
                "n": dict(totals),
                "accuracy": accuracy,
                "overall": overall,
                "errors": errors,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    print(f"report written to {report}")
    if any(a < args.min_accuracy for a in accuracy.values()):
        print(f"FAIL: an orthography is below {args.min_accuracy}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
