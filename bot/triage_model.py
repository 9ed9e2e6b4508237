"""The statistical half of the triage: urgency and category learnt from labelled messages.

The lexicon (bot/triage.py) is precise but only knows the wordings someone wrote a pattern
for; a child's own words ("ổng lại mò vào phòng em") slip past it. This model reads the
same normalised text (word 1–2-grams and character 2–4-grams of bot.triage.triage_text, so
diacritics, teencode and typos matter little), plus the words with the diacritics the writer
typed (word 1–2-grams: "chìm" is not "chim"), and scores it with logistic regressions learnt
from the triage development sets in data/triage/dev_*.jsonl:

- urgency: P(urgent), P(concern), P(none), from every labelled message, plus the hand-written
  NLU examples of short harmless turns (greetings, yes/no, asking for a person) as "none", so
  that short answers such as "không biết" or "vẫn còn" do not look alarming;
- category: the Child Helpline International category, from the urgent and concern ones;
- topic: the guidance topic (or none), from the messages labelled with one, the risks whose
  category implies it (sexual abuse → abuse_prevention…) and the guidance questions of the
  NLU data (data/nlu/<topic>.yml), so that "bạn em chìm dưới hồ" reads as drowning.

It is trained when first used (in-process, deterministic) so it always matches the committed
data, and kept in var/cache/ under a fingerprint of everything it learns from (the data, this
code, the text normalisation and the scikit-learn version), so later starts load it in a
moment; nothing is downloaded. The labelled evaluation sets under tests/ are never read. Runs with scikit-learn in both envs (the Rasa env's 1.1 and the app
env's 1.7 give the same verdicts up to rounding of borderline probabilities).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_DIR = ROOT / "data" / "triage"
NLU_DIR = ROOT / "data" / "nlu"
NO_TOPIC = "-"  # the topic class of off-topic messages
WINDOW = 40  # words per window when a long message is read in parts
CACHE_DIR = Path(os.environ.get("TRIAGE_MODEL_CACHE", ROOT / "var" / "cache"))
log = logging.getLogger(__name__)


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


# NLU files of short, harmless conversational turns (greetings, yes/no, asking for a person,
# subscribing, stopping the form, small talk): what the model otherwise misreads for lack of
# words. Safety questions are left to the development sets, which have many of them.
HARMLESS_NLU = (
    "basics",
    "conversation_variants",
    "handoff",
    "subscription",
    "report_form",
    "out_of_scope",
)


def _nlu_examples(stems: tuple[str, ...]) -> list[tuple[str, str]]:
    import yaml

    pairs: list[tuple[str, str]] = []
    for stem in stems:
        path = NLU_DIR / f"{stem}.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            for line in (block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    pairs.append((line[2:], block.get("intent") or ""))
    return pairs


# The model reads two versions of each message, joined by SEPARATOR: the folded text the
# lexicon matches (bot.triage.triage_text) and the same words with the diacritics the writer
# typed, which tell apart words that fold alike ("chìm" sinking / "chim" bird, "trói" tie up /
# "trời" sky, "gả" marry off / "gà" chicken). Plain text gives the same words twice.
SEPARATOR = "\x1f"


def model_input(pairs: list[tuple[str, str]]) -> str:
    return " ".join(f for f, _ in pairs) + SEPARATOR + " ".join(a for _, a in pairs)


def _folded(text: str) -> str:
    return text.split(SEPARATOR, 1)[0]


def _typed(text: str) -> str:
    return text.split(SEPARATOR, 1)[-1]


def _features():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_union

    return make_union(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, preprocessor=_folded),
        TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 4),
            sublinear_tf=True,
            min_df=2,
            preprocessor=_folded,
        ),
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, preprocessor=_typed),
    )


class TriageModel:
    def __init__(self, rows: list[dict]):
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        texts = [_input(r["text"]) for r in rows]
        harmless = [_input(t) for t, _ in _nlu_examples(HARMLESS_NLU)]
        self.urgency = make_pipeline(_features(), LogisticRegression(C=10, max_iter=3000))
        self.urgency.fit(texts + harmless, [r["urgency"] for r in rows] + ["none"] * len(harmless))
        risky = [(t, r["category"]) for t, r in zip(texts, rows, strict=True) if r.get("category")]
        self.category = make_pipeline(_features(), LogisticRegression(C=10, max_iter=3000))
        self.category.fit([t for t, _ in risky], [c for _, c in risky])
        self._classes = list(self.urgency.classes_)
        pairs = topic_rows()
        self.topic = make_pipeline(_features(), LogisticRegression(C=10, max_iter=3000))
        self.topic.fit([_input(t) for t, _ in pairs], [label for _, label in pairs])

    def score(self, text: str) -> ModelScore:
        from bot.triage import triage_tokens

        pairs = triage_tokens(text)
        if not pairs:
            return ModelScore(0.0, 0.0, None, 0.0)
        whole = model_input(pairs)
        # A long message is read in overlapping windows and judged by its most alarming one:
        # one sentence of danger must not drown in a page of everyday words.
        windows = [whole]
        if len(pairs) > WINDOW:
            windows = [
                model_input(pairs[i : i + WINDOW])
                for i in range(0, len(pairs) - WINDOW // 2, WINDOW // 2)
            ]
        table = self.urgency.predict_proba(windows)
        urgent_index = self._classes.index("urgent")
        worst = int(table[:, urgent_index].argmax())
        probabilities = table[worst]
        urgent = float(probabilities[urgent_index])
        concern = float(probabilities[self._classes.index("concern")])
        category_probabilities = self.category.predict_proba([windows[worst]])[0]
        best = int(category_probabilities.argmax())
        topic_probabilities = self.topic.predict_proba([whole])[0]
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


def _input(text: str) -> str:
    from bot.triage import triage_tokens

    return model_input(triage_tokens(text))


def fingerprint() -> str:
    """A digest of everything the model depends on."""
    import sklearn

    digest = hashlib.sha256(f"sklearn {sklearn.__version__}".encode())
    sources = [
        *sorted(DEV_DIR.glob("dev_*.jsonl")),
        *sorted(NLU_DIR.glob("*.yml")),
        ROOT / "bot" / "triage_model.py",
        ROOT / "bot" / "triage.py",
        ROOT / "bot" / "text.py",
        ROOT / "bot" / "topics.py",
    ]
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _load_or_train() -> TriageModel:
    path = CACHE_DIR / f"triage-model-{fingerprint()}.pickle"
    try:
        with path.open("rb") as stream:
            model = pickle.load(stream)  # our own file, written below
        if isinstance(model, TriageModel):
            return model
    except FileNotFoundError:
        pass
    except Exception:  # a truncated or foreign file: train again
        log.warning("triage model cache %s unreadable; training again", path.name)
    log.info("training the triage model (data changed or first start)…")
    model = TriageModel(load_rows())
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=CACHE_DIR, suffix=".tmp")
        with os.fdopen(fd, "wb") as stream:
            pickle.dump(model, stream)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old state or the new one
        # Keep the newest few (one per env, plus a previous version of the data).
        cached = sorted(CACHE_DIR.glob("triage-model-*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in cached[:-4]:
            old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("triage model not cached (%s); it will be trained at every start", exc)
    return model


_lock = threading.Lock()
_model: TriageModel | None = None


def default_model() -> TriageModel:
    """The model learnt from data/triage/dev_*.jsonl, loaded or trained once per process."""
    global _model
    with _lock:
        if _model is None:
            _model = _load_or_train()
        return _model
