"""Vietnamese text helpers shared by the Rasa env and the app env.

Only the standard library and underthesea are imported here, so the same module runs
inside Rasa 3.6 (Python 3.10) and inside the web app (Python 3.12).

Pipeline for one message:
NFC → split into syllables with their offsets → per syllable: lowercase, tone-mark
placement (underthesea), diacritic folding (đ→d, one character in, one out, so offsets
hold) → teencode expansion on the folded form, giving the *lemma* used for matching.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "Syllable",
    "analyze",
    "fold",
    "matching_text",
    "nfc",
    "normalize_syllable",
    "orthography",
    "segment_words",
]

# Letters, digits, and any single non-space symbol that is not punctuation (emoji keep meaning).
_TOKEN_RE = re.compile(r"\w+|[^\w\s]", re.UNICODE)
_LONG_RUN_RE = re.compile(r"([a-z])\1{2,}")

# Vietnamese has few legitimate doubled letters; "uu" (cứu) and "oo" (xoong) are the common ones.
_KEEP_DOUBLE = frozenset("uo")

# Typed laughter, read as "haha" (a joke marker for the triage): "kkk" (not "k" = không),
# "kaka", "keke", "hihi", "hjhj", "hehe", "hahaa". Crying ("huhu", "hic") is not laughter.
_LAUGHTER_RE = re.compile(r"k{2,}|(?:k[ae]){2,}[kae]*|(?:h[aeij]){2,}[haeij]*")

# Shorthand children and adults type, keyed by the folded lowercase form. Multi-word
# expansions are joined with "_" so they stay one feature.
TEENCODE: dict[str, str] = {
    # không
    "k": "khong",
    "ko": "khong",
    "kh": "khong",
    "kg": "khong",
    "khg": "khong",
    "hk": "khong",
    "hok": "khong",
    "hong": "khong",
    "hem": "khong",
    "hg": "khong",
    "k0": "khong",
    "kp": "khong_phai",
    # được
    "dc": "duoc",
    "dk": "duoc",
    "dx": "duoc",
    "duoc": "duoc",
    # gì, vậy
    "j": "gi",
    "ji": "gi",
    "gj": "gi",
    "z": "vay",
    "v": "vay",
    "zay": "vay",
    "dzay": "vay",
    # pronouns
    "mk": "minh",
    "mik": "minh",
    "mh": "minh",
    "mjk": "minh",
    "mjnh": "minh",
    "e": "em",
    "a": "anh",
    "cj": "chi",
    "t": "toi",
    "tui": "toi",
    "b": "ban",
    "bn": "ban",
    "mn": "moi_nguoi",
    "mng": "moi_nguoi",
    "ae": "anh_em",
    "ng": "nguoi",
    "ngta": "nguoi_ta",
    "bme": "bo_me",
    "bm": "bo_me",
    "pm": "bo_me",
    "ck": "chong",
    "vk": "vo",
    # verbs, adverbs
    "bit": "biet",
    "bik": "biet",
    "bjk": "biet",
    "bjt": "biet",
    "r": "roi",
    "rui": "roi",
    "ruj": "roi",
    "oy": "roi",
    "vs": "voi",
    "ns": "noi",
    "cx": "cung",
    "cg": "cung",
    "dag": "dang",
    "dg": "dang",
    "wa": "qua",
    "qa": "qua",
    "nhiu": "nhieu",
    "hum": "hom",
    "ms": "moi",
    "lm": "lam",
    "ik": "di",
    "thik": "thich",
    "thix": "thich",
    "iu": "yeu",
    "mun": "muon",
    "bun": "buon",
    "chit": "chet",
    "lun": "luon",
    "thui": "thoi",
    "trc": "truoc",
    "bh": "bay_gio",
    "bjo": "bay_gio",
    "bgio": "bay_gio",
    "h": "gio",
    "ntn": "nhu_the_nao",
    "nv": "nhu_vay",
    "ib": "nhan_tin",
    "nt": "nhan_tin",
    "dt": "dien_thoai",
    "sdt": "so_dien_thoai",
    "fb": "facebook",
    "zui": "vui",
    "dzui": "vui",
    "kq": "ket_qua",
    "tl": "tra_loi",
    "hc": "hoc",
    "hs": "hoc_sinh",
    "gv": "giao_vien",
    "s": "sao",
    "sao": "sao",
    "hix": "hic",
    "cuu": "cuu",
    "dau": "dau",
    "nha": "nha",
    "uk": "u",
    "uh": "u",
    "uhm": "u",
    "ok": "ok",
    "oke": "ok",
    "okie": "ok",
    "oki": "ok",
    "okay": "ok",
    "thanks": "cam_on",
    "thank": "cam_on",
    "tks": "cam_on",
    "thx": "cam_on",
    "camon": "cam_on",
    "hi": "xin_chao",
    "hello": "xin_chao",
    "helo": "xin_chao",
    "bye": "tam_biet",
    "bb": "tam_biet",
    "pp": "tam_biet",
    # everyday chat abbreviations (development sets, data/triage)
    "hqua": "hom_qua",
    "hnay": "hom_nay",
    "trog": "trong",
    "ny": "nguoi_yeu",
    "tq": "trung_quoc",
    "nma": "nhung_ma",
    "dth": "dien_thoai",
    "xkld": "xuat_khau_lao_dong",
    "bs": "bac_si",
    # forms from a teencode glossary written for this project (unambiguous ones only: not
    # "ngui", which is also "ngửi" typed plain, nor "oanh", also the name Oanh)
    "khum": "khong",
    "dell": "khong",
    "chx": "chua",
    "chj": "chi",
    "nyc": "nguoi_yeu_cu",
    "tsao": "tai_sao",
    "bnhiu": "bao_nhieu",
    "kbt": "khong_biet",
    "btvn": "bai_tap_ve_nha",
    "nhma": "nhung_ma",
    "nge": "nghe",
    "dzo": "vao",
    "zo": "vao",
    "zai": "trai",
    "dzai": "trai",
    "hoy": "thoi",
    "thoy": "thoi",
    "hkia": "hom_kia",
    "lc": "luc",
    "ncl": "noi_chung_la",
    "nch": "noi_chuyen",
    "ntin": "nhan_tin",
    "inb": "nhan_tin",
    "xl": "xin_loi",
    "ciu": "cuu",
    "chym": "chim",
    "uynh": "danh",
}

# A number glued to a unit: "14t" (14 tuổi), "12h", "30p", "20tr", "100k".
_NUMBER_UNIT_RE = re.compile(r"^(\d+)(t|h|p|tr|k)$")
_UNITS = {"t": "tuoi", "h": "gio", "p": "phut", "tr": "trieu", "k": "nghin"}

# Teencode typed with some diacritics ("bít", "đc", "mún"), keyed by the accented form: the
# tone tells "bít" (biết) from "bịt" (to cover), which fold alike. Other dictionary keys
# expand only when typed in plain ASCII, so "à" or "é" stay particles.
_ACCENTED_TEENCODE = {
    "bít": "biet", "bík": "biet", "đc": "duoc", "đk": "duoc", "mún": "muon", "bùn": "buon",
    "chít": "chet", "lun": "luon", "nhìu": "nhieu", "đag": "dang", "đg": "dang", "wá": "qua",
    "qá": "qua", "mík": "minh", "mìk": "minh", "mìn": "minh", "hông": "khong", "hôk": "khong",
    "kô": "khong", "thík": "thich", "rùi": "roi", "hum": "hom", "zui": "vui", "dzui": "vui",
    "đt": "dien_thoai", "đth": "dien_thoai", "sđt": "so_dien_thoai", "gđ": "gia_dinh",
    "lđ": "lao_dong", "nhưg": "nhung", "trôg": "trong",
    # glossary forms typed with diacritics
    "hổng": "khong", "đéo": "khong", "éo": "khong", "đếch": "khong", "ngừi": "nguoi",
    "pạn": "ban", "pé": "be", "pít": "biet", "pùn": "buon", "zợ": "vo", "zú": "vu",
    "zậy": "vay", "dzậy": "vay", "zị": "vay", "zô": "vao", "dzô": "vao", "zề": "ve",
    "zìa": "ve", "dìa": "ve", "jì": "gi", "zì": "gi", "gòi": "roi", "òi": "roi", "lém": "lam",
    "chừ": "bay_gio", "rứa": "vay", "nớ": "do", "tề": "kia", "hỉ": "nhi", "mần": "lam",
    "cíu": "cuu", "rờ": "so", "uýnh": "danh", "quýnh": "danh", "quánh": "danh",
    "oánh": "danh", "đáh": "danh", "mìh": "minh", "xỉn": "say", "đy": "di", "đr": "dung_roi",
    "bjờ": "bay_gio", "chìu": "chieu",
}  # fmt: skip

_INITIAL_RULES = (
    (re.compile(r"^f"), "ph"),
    (re.compile(r"^j"), "gi"),
    (re.compile(r"^w"), "qu"),
    (re.compile(r"^dz"), "d"),
    (re.compile(r"^z"), "d"),
    (re.compile(r"^k(?=[aou])"), "c"),
    (re.compile(r"^ck(?=[a-z])"), "ch"),  # "ckơi" chơi: no Vietnamese (or English) word starts so
    (re.compile(r"^nk(?=[a-z])"), "nh"),  # "nkà" nhà
)
_FINAL_RULES = (
    (re.compile(r"ck$"), "ch"),
    (re.compile(r"nk$"), "nh"),
)
# A vowel followed by a lone final g, j or k never ends a Vietnamese syllable ("cũg" cũng,
# "vớj" với, "đượk" được). Applied to words typed with diacritics, where an English word
# ("lag", "ok") cannot be meant.
_ACCENTED_RULES = (
    (re.compile(r"(?<=[aeiouy])g$"), "ng"),
    (re.compile(r"(?<=[aeiouy])j$"), "i"),
    (re.compile(r"(?<=[aeiouy])k$"), "c"),
)


def nfc(text: str) -> str:
    """Return NFC text; combining marks would otherwise split syllables in regexes."""
    return unicodedata.normalize("NFC", text or "")


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    if ch in "Ðð":  # eth, a common look-alike of Đ/đ
        return "D" if ch == "Ð" else "d"
    if ord(ch) < 128:
        return ch
    base = unicodedata.normalize("NFD", ch)[0]
    if base.isalpha() and ord(base) < 128:
        return base
    return ch


def fold(text: str) -> str:
    """Remove Vietnamese diacritics (đ→d) from NFC text, one character for one, so offsets hold."""
    return "".join(_fold_char(ch) for ch in nfc(text))


@lru_cache(maxsize=16384)
def normalize_syllable(syllable: str) -> str:
    """Lowercase NFC syllable with the modern tone-mark placement (hoà → hòa, thuỷ → thủy)."""
    lowered = nfc(syllable).lower()
    try:
        from underthesea.pipeline.text_normalize import token_normalize
    except ImportError:  # pragma: no cover - underthesea is a declared dependency of both envs
        return lowered
    return nfc(token_normalize(lowered)).lower()


def _collapse_runs(folded: str) -> str:
    def repl(match: re.Match[str]) -> str:
        ch = match.group(1)
        return ch * 2 if ch in _KEEP_DOUBLE else ch

    return _LONG_RUN_RE.sub(repl, folded)


def _spelling_rules(word: str) -> str:
    """Undo teencode spellings that Vietnamese never uses: f→ph, j→gi, w→qu, z→d, -ck, -nk."""
    if not word.isalpha():
        return word
    for pattern, repl in _INITIAL_RULES:
        word = pattern.sub(repl, word, count=1)
    for pattern, repl in _FINAL_RULES:
        word = pattern.sub(repl, word, count=1)
    return word


@lru_cache(maxsize=16384)
def lemma_of(norm: str, folded: str) -> str:
    """Teencode-expanded folded form of one syllable, given its normalised and folded forms."""
    if norm == folded and _LAUGHTER_RE.fullmatch(folded):
        return "haha"
    word = _collapse_runs(folded)
    if norm != folded:
        accented = _ACCENTED_TEENCODE.get(_LONG_RUN_RE.sub(r"\1", norm))
        if accented:
            return accented
        # otherwise typed with diacritics: only spelling substitutions ("fải", "jờ", "ckơi")
        if word.isalpha():
            for pattern, repl in _ACCENTED_RULES:
                word = pattern.sub(repl, word, count=1)
        return _spelling_rules(word)
    if word in TEENCODE:
        return TEENCODE[word]
    unit = _NUMBER_UNIT_RE.match(word)
    if unit:
        return f"{unit.group(1)}_{_UNITS[unit.group(2)]}"
    word = _spelling_rules(word)
    return TEENCODE.get(word, word)


@dataclass(frozen=True)
class Syllable:
    """One token of a message: original span, normalised form, folded form and lemma."""

    text: str  # as typed (NFC)
    start: int
    end: int
    norm: str  # lowercase, NFC, modern tone placement
    folded: str  # norm without diacritics
    lemma: str  # folded + teencode expanded; multi-word expansions joined with "_"

    @property
    def is_symbol(self) -> bool:
        return not any(ch.isalnum() for ch in self.text)


def analyze(text: str | None) -> list[Syllable]:
    """Split a message into syllables and symbols (no punctuation), with offsets into NFC text."""
    source = nfc(text or "")
    out: list[Syllable] = []
    for match in _TOKEN_RE.finditer(source):
        piece = match.group(0)
        if len(piece) == 1 and unicodedata.category(piece).startswith("P"):
            continue
        if unicodedata.category(piece[0]) in ("Mn", "Me", "Cf"):  # stray marks, joiners
            continue
        norm = normalize_syllable(piece)
        folded = fold(norm).lower()
        out.append(
            Syllable(
                text=piece,
                start=match.start(),
                end=match.end(),
                norm=norm,
                folded=folded,
                lemma=lemma_of(norm, folded),
            )
        )
    return out


def matching_text(text: str | None) -> str:
    """Space-joined lemmas: the accent-, case- and teencode-insensitive form used for matching."""
    return " ".join(s.lemma.replace("_", " ") for s in analyze(text) if not s.is_symbol)


_VIETNAMESE_MARKS = frozenset("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")


def orthography(text: str) -> str:
    """Rough label of how a message is written: 'diacritics', 'plain' or 'teencode'."""
    syllables = [s for s in analyze(text) if not s.is_symbol]
    if any(s.lemma != s.folded for s in syllables):
        return "teencode"
    if any(ch in _VIETNAMESE_MARKS for ch in nfc(text).lower()):
        return "diacritics"
    return "plain"


def segment_words(text: str | None) -> list[tuple[int, int]]:
    """Spans of multi-syllable words found by underthesea's word segmentation, over NFC text."""
    source = nfc(text or "")
    if not source.strip():
        return []
    from underthesea import word_tokenize

    spans: list[tuple[int, int]] = []
    cursor = 0
    for word in word_tokenize(source):
        if " " not in word:
            found = source.find(word, cursor)
            if found >= 0:
                cursor = found + len(word)
            continue
        found = source.find(word, cursor)
        if found < 0:
            continue
        spans.append((found, found + len(word)))
        cursor = found + len(word)
    return spans
