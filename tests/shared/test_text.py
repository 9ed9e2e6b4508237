"""bot/text.py runs in both envs; both pytest runs collect this file."""

import pytest

from bot.text import analyze, fold, matching_text, nfc, orthography


@pytest.mark.parametrize(
    "variants",
    [
        ("tôi bị đánh", "toi bi danh", "t bi đánh", "T BỊ ĐÁNH!!!"),
        ("em không biết gì", "em khong biet gi", "e k bít j", "e ko bit ji"),
        ("bố mẹ em đang đánh em", "bo me em dang danh em", "bme e dag đánh e"),
        ("phải làm sao giờ", "phai lam sao gio", "fải lm s jờ"),
        ("hòa bình", "hoà bình", "hoa binh"),
        ("mình thích", "mìnk thick", "mik thik"),
        ("chơi với em đi", "ckơi vớj e đy", "choi voi e di"),
        ("cũng được", "cũg đượk", "cx dc"),
        ("ổng sờ em", "ổng rờ e", "ong so e"),
        ("bố em đánh em", "bố e uýnh e", "bo e uynh e", "bố e oánh e", "bố e quánh e"),
        ("cứu với", "cíu vs", "CÍU VỚI"),
        ("vậy thì về nhà", "zậy thì zìa nkà", "vay thi ve nha"),
        ("em không muốn", "e khum mún", "em hổng muốn"),
    ],
)
def test_spellings_meet_in_one_matching_form(variants):
    forms = {matching_text(v) for v in variants}
    assert len(forms) == 1, forms


def test_fold_keeps_length_and_maps_d_stroke():
    text = nfc("Đánh đập ở Đà Nẵng, cứu!")
    folded = fold(text)
    assert folded == "Danh dap o Da Nang, cuu!"
    assert len(folded) == len(text)


def test_nfd_input_is_composed_before_splitting():
    decomposed = "ba\u0306\u0301t"  # "bắt" in NFD
    [syllable] = analyze(decomposed)
    assert syllable.text == "bắt" and syllable.lemma == "bat"


def test_offsets_point_into_nfc_text():
    text = "Cứu   em với 😭, bố đang đánh"
    source = nfc(text)
    for s in analyze(text):
        assert source[s.start : s.end] == s.text
    assert "😭" in [s.text for s in analyze(text)]
    assert "," not in [s.text for s in analyze(text)]


def test_accented_particles_are_not_teencode():
    # "à" and "é" are particles; only the plain "a"/"e" are shorthand for anh/em.
    assert matching_text("vậy à") == "vay a"
    assert matching_text("e bị đánh") == "em bi danh"


def test_elongated_letters_collapse():
    assert matching_text("cứuuuuu emmmm") == "cuu em"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Tôi bị đánh", "diacritics"),
        ("toi bi danh", "plain"),
        ("e k bít j", "teencode"),
        ("", "plain"),
    ],
)
def test_orthography(text, label):
    assert orthography(text) == label


def test_empty_and_symbol_only_messages():
    assert analyze("") == []
    assert analyze(None) == []
    assert matching_text("😭😭") == ""


def test_teencode_spelling_rules_leave_english_and_real_words_alone():
    assert matching_text("mạng lag quá") == "mang lag qua"  # no accent on "lag": not "lang"
    assert matching_text("ok nhé") == "ok nhe"
    assert matching_text("con chim bay mất") == "con chim bay mat"
    # plain forms that are also real words or names stay as typed
    assert matching_text("co Oanh day em") == "co oanh day em"  # the name Oanh, not "oánh"
    assert matching_text("em ngui thay mui khet") == "em ngui thay mui khet"  # ngửi (smell)


def test_the_tone_tells_teencode_from_a_real_word():
    assert matching_text("e k bít") == "em khong biet"  # bít: teencode for biết
    assert matching_text("bịt mắt bắt dê") == "bit mat bat de"  # bịt: to cover


@pytest.mark.parametrize(
    "laugh", ["kkk", "kk", "KKKK", "kakaka", "keke", "hihi", "hjhj", "hehe", "hahaa"]
)
def test_typed_laughter_reads_as_haha(laugh):
    # "kkk" is laughter, not a run of "k" (không): "chém 1 phát chết luôn kkk" is a joke
    assert matching_text(f"vui qua {laugh}") == "vui qua haha"


def test_crying_and_k_are_not_laughter():
    assert matching_text("huhu em so") == "huhu em so"
    assert matching_text("hic") == "hic"
    assert matching_text("e k biet") == "em khong biet"
