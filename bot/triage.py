"""Risk triage of one inbound message, independent of the Rasa server.

Defence in depth: a curated Vietnamese lexicon (data/triage/lexicon.yml) matched on the
folded, teencode-expanded text, with negation, idioms and fiction/education contexts
handled; combined with the Rasa NLU intent when Rasa is up. An urgent verdict from
either side wins, and the last few messages of the conversation are read together so
that a story which becomes urgent over several messages is caught.

Pure Python (standard library, PyYAML, bot.text): runs in both envs, so the evaluation
command and the web app share this exact code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.text import analyze, nfc
from bot.topics import TOPICS

LEXICON_PATH = Path(__file__).resolve().parent.parent / "data" / "triage" / "lexicon.yml"

URGENCY_LEVELS = ("none", "concern", "urgent")
CATEGORIES = (
    "physical_violence",
    "sexual_violence",
    "online_sexual_abuse",
    "emotional_violence",
    "neglect",
    "bullying",
    "child_labour",
    "trafficking",
    "missing_child",
    "self_harm_suicide",
    "other",
)
CATEGORY_TOPIC = {
    "physical_violence": "abuse_prevention",
    "sexual_violence": "abuse_prevention",
    "emotional_violence": "abuse_prevention",
    "neglect": "abuse_prevention",
    "trafficking": "abuse_prevention",
    "missing_child": "abuse_prevention",
    "online_sexual_abuse": "online_safety",
    "bullying": "bullying",
    "self_harm_suicide": "mental_health",
    "child_labour": "rights",
}
# When several categories fire, the most specific and most severe is reported.
CATEGORY_PRIORITY = {
    "self_harm_suicide": 0,
    "sexual_violence": 1,
    "online_sexual_abuse": 2,
    "trafficking": 3,
    "missing_child": 4,
    "physical_violence": 5,
    "neglect": 6,
    "emotional_violence": 7,
    "bullying": 8,
    "child_labour": 9,
    "other": 10,
}
RASA_URGENT_INTENT = "urgent_danger"
RASA_CONCERN_INTENT = "report_concern"

# Emoji carry meaning that matching_text drops (safeguarding.md: 💊 and 🔪 are signals; 😂 and
# 🤣 mark a joke). Each is read as a word the lexicon can match.
EMOJI_WORDS = {
    "🔪": "dao",
    "🗡": "dao",
    "🔫": "sung",
    "💊": "thuoc",
    "🩸": "mau",
    "🆘": "cuu",
    "🪢": "day thung",
    "😂": "haha",
    "🤣": "haha",
    "😆": "haha",
    "😹": "haha",
    "😝": "haha",
    "🤪": "haha",
}
# Text smileys that mark a joke: ":))", "=))", ":v", ":D", "xD".
_SMILEY_RE = re.compile(r"(?<!\w)(?:[:=;]\)\)+|[:=]\)+\)|:v|:D|xD|=D)(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Signal:
    """Why a message was flagged: shown to the operator."""

    source: str  # lexicon | rasa | context
    level: str  # urgent | concern
    category: str
    evidence: str  # the matched words (folded), or the intent and its confidence


@dataclass
class Verdict:
    urgency: str = "none"
    category: str | None = None
    topic: str | None = None
    intent: str | None = None
    confidence: float | None = None
    signals: list[Signal] = field(default_factory=list)

    @property
    def is_urgent(self) -> bool:
        return self.urgency == "urgent"

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["signals"] = [asdict(s) for s in self.signals]
        return out


class LexiconError(ValueError):
    """The lexicon file is malformed."""


_WORD_GAP = {"*": r"(?: \S+){0,3}", "**": r"(?: \S+){0,6}"}


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile the lexicon's small pattern language to a regex over matching_text output.

    Words are separated by spaces; ``a|b`` is a choice of words; ``*`` skips up to three
    words and ``**`` up to six; a word ending in ``+`` matches any word it starts
    (``chet+`` matches ``chet`` and ``chetttt``).
    """
    words = pattern.strip().split()
    if not words or words[0] in _WORD_GAP or words[-1] in _WORD_GAP:
        raise LexiconError(f"bad pattern {pattern!r}")
    parts: list[str] = []
    for word in words:
        if word in _WORD_GAP:
            parts.append(_WORD_GAP[word])
            continue
        choices = []
        for choice in word.split("|"):
            if not re.fullmatch(r"[a-z0-9_]+\+?", choice):
                raise LexiconError(f"bad word {choice!r} in pattern {pattern!r}")
            choices.append(
                re.escape(choice[:-1]) + r"\S*" if choice.endswith("+") else re.escape(choice)
            )
        parts.append(r" (?:" + "|".join(choices) + r")")
    body = "".join(parts)
    return re.compile(r"(?<!\S)" + body[1:] + r"(?!\S)")


def _anchors(pattern: str) -> frozenset[str] | None:
    """The choices of the pattern's first word, when none is a prefix (``word+``)."""
    first = pattern.split()[0].split("|")
    if any(choice.endswith("+") for choice in first):
        return None
    return frozenset(first)


def _literal_words(pattern: str) -> set[str]:
    return {
        w.rstrip("+") for word in pattern.split() for w in word.split("|") if word not in _WORD_GAP
    }


@dataclass(frozen=True)
class _Rule:
    category: str
    level: str
    pattern: str
    regex: re.Pattern[str]
    literals: frozenset[str]
    anchors: frozenset[str] | None  # one of these words must occur, else the rule cannot match


# Suppressors that frame only what follows them: a hypothetical and a dream.
FRAMING = ("neu ", "dem qua", "toi qua", "giac mo", "ac mong", "nam mo")


class Lexicon:
    """Compiled lexicon: risk rules, negations, idioms, fiction contexts and topic keywords."""

    def __init__(self, raw: dict[str, Any]):
        self.negations = frozenset(raw.get("negations") or [])
        self.negation_window = int(raw.get("negation_window", 3))
        self.idioms = [
            (compile_pattern(p), frozenset(_literal_words(p))) for p in raw.get("idioms") or []
        ]
        self.suppressors = [compile_pattern(p) for p in raw.get("suppressors") or []]
        self.present_markers = [compile_pattern(p) for p in raw.get("present_markers") or []]
        self.humour = [compile_pattern(p) for p in raw.get("humour") or []]
        self.firm_acts = [compile_pattern(p) for p in raw.get("firm_acts") or []]
        self.rules: list[_Rule] = []
        for group in raw.get("signals") or []:
            category, level = group.get("category"), group.get("level")
            if category not in CATEGORIES or level not in ("urgent", "concern"):
                raise LexiconError(f"bad signal group {category!r}/{level!r}")
            for pattern in group.get("patterns") or []:
                self.rules.append(
                    _Rule(
                        category,
                        level,
                        pattern,
                        compile_pattern(pattern),
                        frozenset(_literal_words(pattern)),
                        _anchors(pattern),
                    )
                )
        self._by_anchor: dict[str, list[int]] = {}
        self._unanchored: list[int] = []
        for index, rule in enumerate(self.rules):
            if rule.anchors is None:
                self._unanchored.append(index)
            else:
                for word in rule.anchors:
                    self._by_anchor.setdefault(word, []).append(index)
        self.topics: dict[str, list[re.Pattern[str]]] = {}
        for topic, patterns in (raw.get("topics") or {}).items():
            if topic not in TOPICS:
                raise LexiconError(f"unknown topic {topic!r}")
            self.topics[topic] = [compile_pattern(p) for p in patterns]
        thresholds = raw.get("rasa") or {}
        self.rasa_urgent_confidence = float(thresholds.get("urgent_confidence", 0.6))
        self.rasa_concern_confidence = float(thresholds.get("concern_confidence", 0.6))
        self.rasa_veto_none_probability = float(thresholds.get("veto_none_probability", 1.01))
        model = raw.get("model") or {}
        self.model_urgent_probability = float(model.get("urgent_probability", 0.5))
        self.model_concern_probability = float(model.get("concern_probability", 0.5))
        self.model_topic_probability = float(model.get("topic_probability", 0.5))
        self.model_category_probability = float(model.get("category_probability", 0.5))
        self.model_veto_lexicon_probability = float(model.get("veto_lexicon_probability", 1.01))
        self.model_override_context = float(model.get("override_context_probability", 1.01))
        self.model_min_words = int(model.get("min_words_urgent", 1))
        self.model_veto_max_words = int(model.get("veto_max_words", 40))
        self.model_veto_exempt = frozenset(model.get("veto_exempt_categories") or ())
        self.model_sexual_category = float(model.get("sexual_category_probability", 1.01))
        self.model_sexual_risk = float(model.get("sexual_risk_probability", 1.01))

    @classmethod
    def load(cls, path: Path | None = None) -> Lexicon:
        raw = yaml.safe_load((path or LEXICON_PATH).read_text(encoding="utf-8")) or {}
        return cls(raw)

    def _negated(self, words: list[str], start_word: int, end_word: int, rule: _Rule) -> bool:
        before = words[max(0, start_word - self.negation_window) : start_word]
        inside = [w for w in words[start_word:end_word] if w not in rule.literals]
        return any(w in self.negations for w in before + inside)

    def match(self, text: str) -> list[Signal]:
        """Risk signals in an already normalised text (``matching_text`` output)."""
        return self.analyse(text)[0]

    def analyse(self, text: str) -> tuple[list[Signal], list[str]]:
        """Risk signals, and the harmless evidence found (idioms, fiction, negated risk words)."""
        harmless: list[str] = []
        text = " ".join(text.split())
        for idiom, literals in self.idioms:

            def delete(m: re.Match[str], literals: frozenset[str] = literals) -> str:
                # A negation inside the idiom's gaps keeps the danger: "mất tích 3 ngày chưa
                # được tìm thấy" is no found child.
                if any(w in self.negations for w in m.group(0).split() if w not in literals):
                    return m.group(0)
                harmless.append(f"idiom: {m.group(0)}")
                return " "

            deleted = idiom.sub(delete, text)
            if deleted != text:
                # one space where the idiom was, so that later idioms can span the spot
                text = " ".join(deleted.split())
        if not text:
            return [], harmless
        fiction = [m for m in (p.search(text) for p in self.suppressors) if m]
        present = any(p.search(text) for p in self.present_markers)
        if fiction and not present:
            harmless.append(f"context: {fiction[0].group(0)}")
            # A hypothetical ("nếu … thì làm sao") frames what follows it, not what was told
            # before it: "chú ấy sờ vào người em, nếu em kể với mẹ thì em phải làm sao" is
            # still a disclosure.
            # So does a dream: "hồi nhỏ em bị xâm hại … giờ vẫn hay mơ thấy" is a disclosure.
            hypotheticals = [m.start() for m in fiction if m.group(0).startswith(FRAMING)]
            cut = min(hypotheticals, default=0)
            if cut > 0 and all(m.start() >= cut for m in fiction):
                return self._signals(text[:cut].strip(), harmless), harmless
            return [], harmless
        return self._signals(text, harmless), harmless

    def _signals(self, text: str, harmless: list[str]) -> list[Signal]:
        if not text:
            return []
        words = text.split(" ")
        offsets = [m.start() for m in re.finditer(r"\S+", text)]
        signals: list[Signal] = []
        # Only rules whose first word occurs can match: thousands of rules, a dozen words.
        candidates = set(self._unanchored)
        for word in set(words):
            candidates.update(self._by_anchor.get(word, ()))
        for rule in (self.rules[i] for i in sorted(candidates)):
            for m in rule.regex.finditer(text):
                start_word = _word_index(offsets, m.start())
                end_word = _word_index(offsets, m.end() - 1) + 1
                if self._negated(words, start_word, end_word, rule):
                    harmless.append(f"negated: {m.group(0)}")
                    continue
                signals.append(Signal("lexicon", rule.level, rule.category, m.group(0)))
                break
        return signals

    def is_present(self, text: str) -> bool:
        """A first-person call for help or danger now ("cứu em", "đang bị", "ngay bây giờ")."""
        return any(p.search(text) for p in self.present_markers)

    def firm_act_in(self, text: str) -> str | None:
        """A self-harm act or means that no laugh or model makes harmless ("tích đủ thuốc
        rồi =))", "kkk t mua dao lam r"), unless negated; or None."""
        words = text.split(" ")
        offsets = [m.start() for m in re.finditer(r"\S+", text)]
        for pattern in self.firm_acts:
            for m in pattern.finditer(text):
                start = _word_index(offsets, m.start())
                if not any(
                    w in self.negations for w in words[max(0, start - self.negation_window) : start]
                ):
                    return m.group(0)
        return None

    def humour_in(self, text: str) -> str | None:
        """Evidence that the message is a joke ("haha", "😂", ":))"), or None."""
        for pattern in self.humour:
            m = pattern.search(text)
            if m:
                return m.group(0)
        return None

    def topic_of(self, text: str) -> str | None:
        best, best_pos = None, None
        for topic, patterns in self.topics.items():
            for pattern in patterns:
                m = pattern.search(text)
                if m and (best_pos is None or m.start() < best_pos):
                    best, best_pos = topic, m.start()
        return best


def triage_tokens(text: str) -> list[tuple[str, str]]:
    """The words of a message as (folded, as-typed) pairs: the folded form is matching_text's
    (teencode expanded, diacritics removed), the other keeps the diacritics the writer typed
    ("chìm" sinking, not "chim" bird) unless teencode was expanded. Meaningful emoji and joke
    smileys are read as words."""
    source = _SMILEY_RE.sub(" 😂 ", nfc(text or ""))
    pairs: list[tuple[str, str]] = []
    for syllable in analyze(source):
        if syllable.is_symbol:
            for ch in syllable.text:
                if ch in EMOJI_WORDS:
                    pairs.extend((word, word) for word in EMOJI_WORDS[ch].split())
        elif syllable.lemma == syllable.folded and "_" not in syllable.lemma:
            pairs.append((syllable.lemma, syllable.norm))
        else:  # teencode expanded ("bme" → "bo_me"), or an underscore typed
            pairs.extend((word, word) for word in syllable.lemma.split("_") if word)
    return pairs


def triage_text(text: str) -> str:
    """matching_text with meaningful emoji and joke smileys read as words."""
    return " ".join(folded for folded, _ in triage_tokens(text))


def _word_index(offsets: list[int], char_pos: int) -> int:
    lo, hi = 0, len(offsets) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if offsets[mid] <= char_pos:
            lo = mid
        else:
            hi = mid - 1
    return lo


_DEFAULT: Any = object()


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return Lexicon.load()


def top_intent(nlu: dict[str, Any] | None) -> tuple[str | None, float | None]:
    """The Rasa intent and confidence; a low-confidence fallback reports the best real intent."""
    if not nlu:
        return None, None
    intent = nlu.get("intent") or {}
    name, confidence = intent.get("name"), intent.get("confidence")
    if name == "nlu_fallback":
        ranking = [r for r in nlu.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
        if ranking:
            name, confidence = ranking[0]["name"], ranking[0].get("confidence")
    return name, float(confidence) if confidence is not None else None


# The intents the evaluation command reports by name; every other Rasa intent (thanks,
# goodbye, yes/no, menu, form control…) is off-topic for triage and reported as out_of_scope.
REPORTED_INTENTS = frozenset(
    {"greet", "ask_human", "subscribe", "unsubscribe", "out_of_scope", *TOPICS}
    | {RASA_URGENT_INTENT, RASA_CONCERN_INTENT}
)


def reported_intent(intent: str | None) -> str | None:
    """The Rasa intent in the evaluation's vocabulary (None when Rasa gave none)."""
    if intent is None:
        return None
    return intent if intent in REPORTED_INTENTS else "out_of_scope"


def _strongest(signals: Iterable[Signal]) -> Signal | None:
    ordered = sorted(
        signals,
        key=lambda s: (-URGENCY_LEVELS.index(s.level), CATEGORY_PRIORITY.get(s.category, 99)),
    )
    return ordered[0] if ordered else None


def assess(
    text: str,
    *,
    nlu: dict[str, Any] | None = None,
    context: Sequence[str] = (),
    lexicon: Lexicon | None = None,
    model: Any = _DEFAULT,
) -> Verdict:
    """Triage one message. ``nlu`` is Rasa's parse result (None when Rasa is down);
    ``context`` holds the conversation's previous user messages, oldest first; ``model`` is
    the statistical model (bot.triage_model; the default one unless given, None for none)."""
    lexicon = lexicon or default_lexicon()
    norm = triage_text(text)
    signals, harmless = lexicon.analyse(norm)
    explicit_harmless = any(h.startswith(("negated:", "context:")) for h in harmless)
    if model is _DEFAULT:
        from bot.triage_model import default_model

        model = default_model()
    score = model.score(text) if model is not None else None
    firm = lexicon.firm_act_in(norm)
    if (
        score is not None
        and signals
        and not firm
        and len(norm.split()) <= lexicon.model_veto_max_words
    ):
        # (a long message keeps its alarms: its everyday words would outvote one sentence)
        calm = 1 - score.urgent - score.concern
        if calm >= lexicon.model_veto_lexicon_probability:
            # The model, which has read thousands of harmless uses of these words ("bị lạc
            # hồi bé", "đánh cầu lông bị đập vào mặt"), is nearly sure there is no risk: the
            # lexicon's words stay on record, as a concern.
            signals = [
                Signal(s.source, "concern", s.category, f"{s.evidence} (model: none {calm:.2f})")
                if s.level == "urgent" and s.category not in lexicon.model_veto_exempt
                else s
                for s in signals
            ]
    lex = _strongest(signals)
    guessed = lex.category if lex else (score.category if score else None) or "other"
    if explicit_harmless and score is not None and score.urgent >= lexicon.model_override_context:
        # "ông ấy rủ em qua nhà xem phim rồi bắt em cởi đồ": "xem phim" is no film review;
        # "em bị dẫn đi, em không biết đây là đâu": that "không" negates nothing dangerous.
        explicit_harmless = False
    if score is not None and not (lex is None and explicit_harmless):
        if score.urgent >= lexicon.model_urgent_probability and (
            len(norm.split()) >= lexicon.model_min_words
        ):
            signals.append(Signal("model", "urgent", guessed, f"urgent p={score.urgent:.2f}"))
        elif score.urgent >= lexicon.model_urgent_probability:
            # Two or three words ("không biết", "em sợ") are too little for the model to
            # raise an alarm alone; the lexicon and Rasa still can ("cứu em").
            signals.append(Signal("model", "concern", guessed, f"urgent p={score.urgent:.2f}"))
        elif (
            score.urgent + score.concern >= lexicon.model_sexual_risk
            and score.category in lexicon.model_veto_exempt
            and score.category_confidence >= lexicon.model_sexual_category
            and len(norm.split()) >= lexicon.model_min_words
        ):
            # A risk the model is sure is sexual is urgent even when told as sadness or told
            # late ("từ hôm ở nhà bác về em cứ thấy mình bẩn"): sexual abuse is urgent even
            # when past, and children rarely name it.
            signals.append(
                Signal(
                    "model",
                    "urgent",
                    score.category,
                    f"risk p={score.urgent + score.concern:.2f}, "
                    f"{score.category} p={score.category_confidence:.2f}",
                )
            )
        elif score.urgent + score.concern >= lexicon.model_concern_probability:
            signals.append(
                Signal("model", "concern", guessed, f"risk p={score.urgent + score.concern:.2f}")
            )

    intent, confidence = top_intent(nlu)
    if intent == RASA_URGENT_INTENT and (confidence or 0) >= lexicon.rasa_urgent_confidence:
        if lex is None and explicit_harmless:
            # The lexicon read this exact wording as harmless (a film or the news, "never hits
            # me"): that explicit evidence outranks the classifier's guess. Idioms elsewhere in
            # the message do not: "chết" in a joke must not silence a real alarm next to it.
            pass
        elif (
            lex is None
            and score is not None
            and 1 - score.urgent - score.concern >= (lexicon.rasa_veto_none_probability)
        ):
            # Neither the lexicon nor the model sees any risk and the model is nearly sure of
            # it ("cá bảy màu của em chết 2 con"): the classifier alone is kept as a concern.
            signals.append(Signal("rasa", "concern", guessed, f"{intent} {confidence:.2f}"))
        else:
            signals.append(Signal("rasa", "urgent", guessed, f"{intent} {confidence:.2f}"))
    elif intent == RASA_CONCERN_INTENT and (confidence or 0) >= lexicon.rasa_concern_confidence:
        signals.append(Signal("rasa", "concern", guessed, f"{intent} {confidence:.2f}"))

    joke = lexicon.humour_in(norm)
    if joke and not lexicon.is_present(norm) and not firm:
        # "mún chết vì crush k rep 🤣": a joke is not an emergency, but the words stay on
        # record as a concern (a child who jokes about dying may still need a person).
        # Sexual abuse is exempt, as from the model's veto: a nervous "kkk" after "ông ấy sờ
        # vào chỗ kín em" is no joke, and harmless jokes with those words are rare.
        signals = [
            Signal(s.source, "concern", s.category, f"{s.evidence} (joke: {joke})")
            if s.level == "urgent" and s.category not in lexicon.model_veto_exempt
            else s
            for s in signals
        ]

    if not any(s.level == "urgent" for s in signals) and context:
        window = " ".join(triage_text(t) for t in list(context)[-2:]) + " " + norm
        for s in lexicon.match(window):
            if s.level == "urgent":
                signals.append(Signal("context", s.level, s.category, s.evidence))

    strongest = _strongest(signals)
    verdict = Verdict(intent=intent, confidence=confidence, signals=signals)
    if strongest is not None:
        verdict.urgency = strongest.level
        verdict.category = strongest.category
        if (
            score is not None
            and score.category
            and score.category_confidence >= lexicon.model_category_probability
        ):
            # Learnt from thousands of labelled messages, the model names the category
            # better than the first pattern that fired ("dượng bắt em cởi đồ rồi đánh em").
            verdict.category = score.category
    verdict.topic = _topic(verdict, intent, norm, lexicon, nlu, score)
    return verdict


def _ranked_topic(nlu: dict[str, Any] | None) -> str | None:
    """The guidance topic Rasa ranks highest, when its top intent is not a topic
    ("bạn em chìm dưới hồ rồi" is urgent_danger first and drowning second)."""
    for entry in (nlu or {}).get("intent_ranking") or []:
        if entry.get("name") in TOPICS:
            return entry["name"]
    return None


def _topic(
    verdict: Verdict,
    intent: str | None,
    norm: str,
    lexicon: Lexicon,
    nlu: dict[str, Any] | None,
    score: Any,
) -> str | None:
    if verdict.category in ("physical_violence", "emotional_violence") and intent == "bullying":
        return "bullying"  # violence between children is bullying (CHI framework)
    if verdict.category and verdict.category in CATEGORY_TOPIC:
        return CATEGORY_TOPIC[verdict.category]
    if score is not None and score.topic_confidence >= lexicon.model_topic_probability:
        return score.topic
    if intent in TOPICS:
        return intent
    keyword_topic = lexicon.topic_of(norm)
    if keyword_topic:
        return keyword_topic
    if verdict.urgency == "none" and intent not in (RASA_URGENT_INTENT, RASA_CONCERN_INTENT):
        return None
    ranked = _ranked_topic(nlu)
    if ranked:
        return ranked
    # A risk with no specific category: the child-protection topic is the likely one.
    return None if verdict.urgency == "none" else "abuse_prevention"
