"""Benchmarks of the hot path (app env): medians, and ratios to a baseline run alongside.

- text:    bot.text.matching_text (the baseline: normalising one message)
- lexicon: bot.triage.assess, lexicon side only
- triage:  bot.triage.assess with the triage model (what runs before Rasa on every message)
- store:   Pipeline.accept (the write that happens before a platform gets its 200)
- urgent:  accept + process of an urgent message (case stored, reply recorded), Rasa down
Memory: peak Python allocation while loading the lexicon, training the triage model and
triaging the sample; and the model's training time (once per process, at start-up).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLE = [
    "làm sao để con tôi không bị đuối nước khi đi biển",
    "lam sao de khong bi duoi nuoc",
    "e k bít j cả, bạn bè cứ chọc e hoài 😭",
    "bố em đang đánh em, cứu em với",
    "tôi là giáo viên cần tài liệu phòng chống xâm hại",
    "con tôi 7 tuổi ngồi sau xe máy cần đội mũ bảo hiểm loại nào",
]


def timed(fn, repeat: int) -> list[float]:
    out = []
    for i in range(repeat):
        started = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - started)
    return out


def main() -> int:
    from bot.text import matching_text
    from bot.triage import Lexicon, assess
    from bot.triage_model import TriageModel, load_rows

    tracemalloc.start()
    lexicon = Lexicon.load()
    started = time.perf_counter()
    # trained here, never loaded from the cache, so that the figure does not depend on it
    model = TriageModel(load_rows())
    training_s = time.perf_counter() - started
    for text in SAMPLE * 50:
        assess(text, lexicon=lexicon, model=model)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    results: dict[str, dict[str, float]] = {}
    text_times = timed(lambda i: matching_text(SAMPLE[i % len(SAMPLE)] + str(i)), 3000)
    lexicon_times = timed(
        lambda i: assess(SAMPLE[i % len(SAMPLE)] + str(i), lexicon=lexicon, model=None), 3000
    )
    triage_times = timed(
        lambda i: assess(SAMPLE[i % len(SAMPLE)] + str(i), lexicon=lexicon, model=model), 1000
    )

    from bot.channels.base import InboundMessage
    from hotline_console.core.config import Settings
    from hotline_console.db import run_migrations
    from hotline_console.main import create_app

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        run_migrations(url)
        app = create_app(
            Settings(environment="test", database_url=url, rasa_url="http://127.0.0.1:9"),
            migrate=False,
        )
        pipeline = app.state.pipeline

        def store(i: int) -> None:
            pipeline.accept(
                InboundMessage(
                    channel="webchat",
                    platform_user_id=f"u{i % 50:04d}bench",
                    text=SAMPLE[i % 4],
                    platform_message_id=uuid.uuid4().hex,
                )
            )

        store_times = timed(store, 300)

        loop = asyncio.new_event_loop()

        def urgent(i: int) -> None:
            accepted = pipeline.accept(
                InboundMessage(
                    channel="webchat",
                    platform_user_id=f"urgent{i:05d}",
                    text="bố em đang đánh em, cứu em với",
                    platform_message_id=uuid.uuid4().hex,
                )
            )
            loop.run_until_complete(pipeline.process(accepted.message_id))

        urgent_times = timed(urgent, 100)
        loop.close()
        app.state.engine.dispose()

    base = statistics.median(text_times)
    for name, times in (
        ("text", text_times),
        ("lexicon", lexicon_times),
        ("triage", triage_times),
        ("store", store_times),
        ("urgent", urgent_times),
    ):
        median = statistics.median(times)
        results[name] = {
            "n": len(times),
            "median_ms": round(median * 1000, 4),
            "ratio_to_text": round(median / base, 1),
        }
    results["memory"] = {"peak_mib_lexicon_model_and_300_triages": round(peak / 2**20, 2)}
    results["model_training_s"] = round(training_s, 2)

    print(f"{'benchmark':<10} {'n':>5} {'median ms':>11} {'× text':>8}")
    for name in ("text", "lexicon", "triage", "store", "urgent"):
        r = results[name]
        print(f"{name:<10} {r['n']:>5} {r['median_ms']:>11.4f} {r['ratio_to_text']:>8}")
    print(
        "peak memory (lexicon, model training, 300 triages): "
        f"{results['memory']['peak_mib_lexicon_model_and_300_triages']} MiB; "
        f"model trained in {results['model_training_s']} s"
    )
    out = ROOT / "var" / "reports" / "bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
