"""Vietnamese tokenizer for Rasa 3.6: syllables with accent- and teencode-insensitive lemmas."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.text import analyze, fold, segment_words


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class VietnameseTokenizer(Tokenizer):
    """Emits one token per syllable; its lemma is the folded, teencode-expanded form.

    ``CountVectorsFeaturizer`` with ``use_lemma: true`` (its default) then sees "đánh",
    "danh" and "dánh" as one feature, and ``use_lemma: false`` keeps the accented form.
    With ``word_segmentation`` on, multi-syllable words found by underthesea are added as
    extra tokens whose lemma joins the folded syllables with "_" ("trẻ em" → "tre_em").
    """

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            "word_segmentation": True,
        }

    @staticmethod
    def supported_languages() -> List[str] | None:
        return ["vi"]

    @staticmethod
    def required_packages() -> List[str]:
        return ["underthesea"]

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> VietnameseTokenizer:
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        text = message.get(attribute) or ""
        syllables = analyze(text)
        tokens = [Token(s.norm, s.start, end=s.end, lemma=s.lemma) for s in syllables]
        if attribute == TEXT and self._config.get("word_segmentation", True):
            tokens.extend(self._compound_tokens(text, syllables))
            tokens.sort(key=lambda t: (t.start, t.end))
        return self._apply_token_pattern(tokens)

    @staticmethod
    def _compound_tokens(text: str, syllables: list) -> List[Token]:
        """Extra tokens for words of two or more syllables (only when the text has diacritics)."""
        if fold(text) == text:
            # underthesea joins the wrong syllables in text without diacritics ("bi danh").
            return []
        out = []
        for start, end in segment_words(text):
            parts = [s for s in syllables if s.start >= start and s.end <= end and not s.is_symbol]
            if len(parts) < 2:
                continue
            out.append(
                Token(
                    "_".join(p.norm for p in parts),
                    start,
                    end=end,
                    lemma="_".join(p.lemma for p in parts),
                )
            )
        return out
