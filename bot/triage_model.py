"""The statistical half of the triage: urgency and category learnt from labelled messages.

The lexicon (bot/triage.py) is precise but only knows the wordings someone wrote a pattern
for; a child's own words ("ổng lại mò vào phòng em") slip past it. This model reads the
same normalised text (word 1–2-grams and character 2–4-grams of bot.triage.triage_text, so
diacritics, teencode and typos matter little) and scores it with two logistic regressions
learnt from the triage development sets in data/triage/dev_*.jsonl:

- urgency: P(urgent), P(concern), P(none), from every labelled message;
- category: the Child Helpline International category, from the urgent and concern ones;
- topic: the guidance topic (or none), from the messages labelled with one, the risks whose
  category implies it (sexual abuse → abuse_prevention…) and the guidance questions of the
  NLU data (data/nlu/<topic>.yml), so that "bạn em chìm dưới hồ" reads as drowning.

It is trained when first used (a few seconds, in-process, deterministic) so it always matches
the committed data; nothing is downloaded or stored. The labelled evaluation sets under
tests/ are never read. Runs with scikit-learn in both envs (the Rasa env's 1.1 and the app
env's 1.7 give the same verdicts up to rounding of borderline probabilities).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_DIR = ROOT / "data" / "triage"
NLU_DIR = ROOT / "data" / "nlu"
NO_TOPIC = "-"  # the topic class of off-topic messages


@dataclass(frozen=True)
class ModelScore:
    urgent: float  # P(urgent)
    concern: float  # P(concern)
    category: str | None  # most likely category, when the message reads as a risk
    category_confidence: float
    topic: str | None = None  # most likely guidance topic (None: off-topic)
    topic_confidence: float = 0.0


def load_rows(directory: Path = DEV_DIR) -> list[dict]:
    rows: list[dict] = []
    for path in sorted(directory.glob("dev_*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("urgency") not in ("urgent", "concern", "none"):
                raise ValueError(f"{path.name}:{number}: bad urgency {row.get('urgency')!r}")
            rows.append(row)
    return rows


def topic_rows() -> list[tuple[str, str]]:
    """(text, topic or NO_TOPIC) pairs: labelled development messages, risks whose category
    names the topic, and the hand-written guidance questions of each topic's NLU file."""
    import yaml

    from bot.topics import TOPICS
    from bot.triage import CATEGORY_TOPIC

    pairs: list[tuple[str, str]] = []
    for row in load_rows():
        if "topic" in row:
            pairs.append((row["text"], row["topic"] or NO_TOPIC))
        elif row.get("category") in CATEGORY_TOPIC:
            pairs.append((row["text"], CATEGORY_TOPIC[row["category"]]))
    for path in sorted(NLU_DIR.glob("*.yml")):
        if path.stem not in (*TOPICS, "out_of_scope", "basics", "hard_negatives"):
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            intent = block.get("intent")
            label = intent if intent in TOPICS else NO_TOPIC
            if intent not in TOPICS and intent not in ("out_of_scope", "greet", "thank", "goodbye"):
                continue
            for line in (block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    pairs.append((line[2:], label))
    return pairs


def _features():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_union

    return make_union(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2),
    )


class TriageModel:
    def __init__(self, rows: list[dict]):
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        from bot.triage import triage_text

        self._text = triage_text
        texts = [triage_text(r["text"]) for r in rows]
        self.urgency = make_pipeline(_features(), LogisticRegression(C=10, max_iter=3000))
        self.urgency.fit(texts, [r["urgency"] for r in rows])
        risky = [(t, r["category"]) for t, r in zip(texts, rows, strict=True) if r.get("category")]
        self.category = make_pipeline(_features(), LogisticRegression(C=10, max_iter=3000))
        self.category.fit([t for t, _ in risky], [c for _, c in risky])
        self._classes = list(self.urgency.classes_)
        pairs = topic_rows()
        self.topic = make_pipeline(_features(), LogisticRegression(C=10, max_iter=3000))
        self.topic.fit([triage_text(t) for t, _ in pairs], [label for _, label in pairs])

    def score(self, text: str) -> ModelScore:
        norm = self._text(text)
        if not norm.strip():
            return ModelScore(0.0, 0.0, None, 0.0)
        probabilities = self.urgency.predict_proba([norm])[0]
        urgent = float(probabilities[self._classes.index("urgent")])
        concern = float(probabilities[self._classes.index("concern")])
        category_probabilities = self.category.predict_proba([norm])[0]
        best = int(category_probabilities.argmax())
        topic_probabilities = self.topic.predict_proba([norm])[0]
        top = int(topic_probabilities.argmax())
        topic = str(self.topic.classes_[top])
        return ModelScore(
            urgent,
            concern,
            str(self.category.classes_[best]),
            float(category_probabilities[best]),
            None if topic == NO_TOPIC else topic,
            float(topic_probabilities[top]),
        )


_lock = threading.Lock()
_model: TriageModel | None = None


def default_model() -> TriageModel:
    """The model trained on data/triage/dev_*.jsonl, built once per process."""
    global _model
    with _lock:
        if _model is None:
            _model = TriageModel(load_rows())
        return _model
