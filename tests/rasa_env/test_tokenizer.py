"""The Rasa graph component gives the three spellings the same lemmas."""

import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.tokenizer import VietnameseTokenizer


@pytest.fixture
def tokenizer():
    return VietnameseTokenizer(VietnameseTokenizer.get_default_config())


def lemmas(tokenizer, text):
    return [t.lemma for t in tokenizer.tokenize(Message({TEXT: text}), TEXT) if "_" not in t.lemma]


def test_three_spellings_share_syllable_lemmas(tokenizer):
    expected = ["toi", "bi", "danh"]
    assert lemmas(tokenizer, "tôi bị đánh") == expected
    assert lemmas(tokenizer, "toi bi danh") == expected
    assert lemmas(tokenizer, "t bi đánh") == expected


def test_token_text_keeps_accents_and_offsets(tokenizer):
    text = "Bố em đang đánh em"
    tokens = tokenizer.tokenize(Message({TEXT: text}), TEXT)
    syllables = [t for t in tokens if "_" not in t.text]
    assert [t.text for t in syllables] == ["bố", "em", "đang", "đánh", "em"]
    for t in syllables:
        assert text[t.start : t.end].lower() == t.text


def test_compounds_added_only_for_text_with_diacritics(tokenizer):
    with_marks = tokenizer.tokenize(Message({TEXT: "trẻ em cần được bảo vệ"}), TEXT)
    assert any(t.lemma == "tre_em" for t in with_marks)
    plain = tokenizer.tokenize(Message({TEXT: "tre em can duoc bao ve"}), TEXT)
    assert not any("_" in t.lemma and t.lemma != "bay_gio" for t in plain)


def test_process_sets_tokens_on_message(tokenizer):
    message = Message({TEXT: "cứu em"})
    tokenizer.process([message])
    assert [t.lemma for t in message.get("text_tokens")] == ["cuu", "em"]


def test_empty_message(tokenizer):
    assert tokenizer.tokenize(Message({TEXT: ""}), TEXT) == []
