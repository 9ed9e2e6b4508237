"""Developer tool for the triage's development rounds (app env; no Rasa needed).

  score FILE...   score labelled development files with the lexicon + triage model, the way
                  production triages when Rasa is down; files under data/triage/ are scored
                  held out (by a model trained without them). Prints urgent recall, false-urgent
                  rate on none and concern-or-urgent recall per orthography.
      --misses    also list missed urgents and false urgents with the signals that fired
      --nomodel   the lexicon alone
  probe           read texts from stdin, one per line, and print each verdict and its signals
  why TEXT        the normalised text the lexicon reads, its signals and harmless evidence
  expand PATTERN  the word sequences a lexicon pattern matches ("…" for a gap): the pattern
                  language has no multi-word choice, so "xin loi|sorry di" reads "xin loi di" or
                  "xin sorry di"; look at the expansion before committing a new pattern

The labelled evaluation sets under tests/triage_eval/ are not for this tool: they are scored
only in aggregate, by `make eval-triage`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import triage_model  # noqa: E402
from bot.triage import assess, default_lexicon, triage_text  # noqa: E402

ORTHOGRAPHIES = ("diacritics", "plain", "teencode")


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _model_without(path: Path):
    """The production model, or one trained without ``path`` when it is development data."""
    inside = path.resolve().parent == triage_model.DEV_DIR.resolve()
    if not inside:
        return triage_model.default_model()
    rows = [
        row
        for other in sorted(triage_model.DEV_DIR.glob("dev_*.jsonl"))
        if other.resolve() != path.resolve()
        for row in _rows(other)
    ]
    print(f"training a model without {path.name} ({len(rows)} rows)…", file=sys.stderr)
    return triage_model.TriageModel(rows)


def _signals(verdict) -> str:
    return "; ".join(f"{s.source}:{s.level}:{s.category}:{s.evidence}" for s in verdict.signals)


def score(paths: list[str], misses: bool, nomodel: bool) -> None:
    for name in paths:
        path = Path(name)
        rows = _rows(path)
        model = None if nomodel else _model_without(path)
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        wrong: list[tuple[str, dict, object]] = []
        for row in rows:
            verdict = assess(row["text"], model=model)
            c = counts[row.get("orthography", "?")]
            gold, got = row["urgency"], verdict.urgency
            c[gold] += 1
            if gold == "urgent" and got == "urgent":
                c["urgent_hit"] += 1
            if gold != "none" and got != "none":
                c["risk_hit"] += 1
            if gold == "none" and got == "urgent":
                c["false_urgent"] += 1
                wrong.append(("FALSE URGENT", row, verdict))
            if gold == "urgent" and got != "urgent":
                wrong.append((f"MISSED ({got})", row, verdict))
        print(f"== {path.name} ({'lexicon' if nomodel else 'lexicon + model'})")
        total: dict[str, int] = defaultdict(int)
        for orth in sorted(counts, key=lambda o: (o not in ORTHOGRAPHIES, o)):
            c = counts[orth]
            for key, value in c.items():
                total[key] += value
            _line(orth, c)
        _line("all", total)
        if misses:
            for kind, row, verdict in sorted(wrong, key=lambda w: w[0]):
                print(f"{kind} [{row.get('category')}/{row.get('orthography')}] {row['text']}")
                print(f"    -> {verdict.urgency}/{verdict.category}: {_signals(verdict)}")


def _line(name: str, c: dict[str, int]) -> None:
    urgent, risky = c["urgent"], c["urgent"] + c["concern"]
    print(
        f"  {name:11} urgent {c['urgent_hit']}/{urgent} = {c['urgent_hit'] / max(urgent, 1):.3f}"
        f"  risk {c['risk_hit']}/{risky} = {c['risk_hit'] / max(risky, 1):.3f}"
        f"  false urgent {c['false_urgent']}/{c['none']} = "
        f"{c['false_urgent'] / max(c['none'], 1):.3f}"
    )


def probe() -> None:
    for line in sys.stdin:
        text = line.strip()
        if text:
            verdict = assess(text)
            print(f"{verdict.urgency:8} {verdict.category or '-':20} {text}")
            print(f"         {_signals(verdict)}")


def why(text: str) -> None:
    norm = triage_text(text)
    signals, harmless = default_lexicon().analyse(norm)
    print(norm)
    for s in signals:
        print(f"  signal  {s.level}:{s.category}: {s.evidence}")
    for h in harmless:
        print(f"  harmless  {h}")
    score = triage_model.default_model().score(text)
    print(f"  model urgent {score.urgent:.2f} concern {score.concern:.2f} {score.category}")


def expand(pattern: str, limit: int = 40) -> None:
    import itertools

    slots = [
        ["…" if word == "*" else "……" if word == "**" else word]
        if word in ("*", "**")
        else word.split("|")
        for word in pattern.split()
    ]
    combos = list(itertools.islice(itertools.product(*slots), limit + 1))
    for combo in combos[:limit]:
        print(" ".join(combo))
    if len(combos) > limit:
        print(f"… (more than {limit})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("score")
    s.add_argument("files", nargs="+")
    s.add_argument("--misses", action="store_true")
    s.add_argument("--nomodel", action="store_true")
    sub.add_parser("probe")
    w = sub.add_parser("why")
    w.add_argument("text")
    e = sub.add_parser("expand")
    e.add_argument("pattern")
    args = parser.parse_args()
    if args.command == "score":
        score(args.files, args.misses, args.nomodel)
    elif args.command == "probe":
        probe()
    elif args.command == "why":
        why(args.text)
    else:
        expand(args.pattern)


if __name__ == "__main__":
    main()
