"""Reading the answers of the report form: ages, sex, yes/no, phone numbers (pure functions)."""

from __future__ import annotations

import re

from bot.text import matching_text

UNKNOWN = "unknown"
_DONT_KNOW = ("khong biet", "khong ro", "chua biet", "khong chac", "khong muon noi", "bo qua")
_NUMBER_WORDS = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8,
    "chin": 9, "muoi": 10, "muoi mot": 11, "muoi hai": 12, "muoi ba": 13, "muoi bon": 14,
    "muoi lam": 15, "muoi nam": 15, "muoi sau": 16, "muoi bay": 17, "muoi tam": 18,
}  # fmt: skip
MAX_CHILD_AGE = 17


def dont_know(text: str) -> bool:
    norm = matching_text(text)
    return any(phrase in norm for phrase in _DONT_KNOW)


def parse_age(text: str) -> int | str | None:
    """An age 0–17, "unknown", or None when the answer is not a child's age."""
    if dont_know(text):
        return UNKNOWN
    norm = matching_text(text)
    digits = re.findall(r"\d+", norm)
    if digits:
        age = int(digits[0])
    else:
        words = norm.replace("tuoi", " ").split()
        age = None
        for size in (2, 1):
            for i in range(len(words) - size + 1):
                phrase = " ".join(words[i : i + size])
                if phrase in _NUMBER_WORDS:
                    age = _NUMBER_WORDS[phrase]
                    break
            if age is not None:
                break
        if age is None:
            return None
    return age if 0 <= age <= MAX_CHILD_AGE else None


def parse_sex(text: str) -> str | None:
    norm = f" {matching_text(text)} "
    if dont_know(text):
        return UNKNOWN
    if any(w in norm for w in (" nu ", " gai ", " con gai ", " be gai ", " female ")):
        return "female"
    if any(w in norm for w in (" nam ", " trai ", " con trai ", " be trai ", " male ")):
        return "male"
    return None


def parse_yes_no(text: str) -> str | None:
    norm = f" {matching_text(text)} "
    if dont_know(text):
        return UNKNOWN
    if any(w in norm for w in (" khong ", " chua ", " ko ", " no ", " dung gui ")):
        return "no"
    if any(w in norm for w in (" co ", " dung ", " dong y ", " vang ", " u ", " ok ", " gui ")):
        return "yes"
    return None


def parse_subject(text: str) -> str | None:
    norm = f" {matching_text(text)} "
    if any(
        w in norm for w in (" chinh minh ", " chinh em ", " ban than ", " toi ", " em ", " minh ")
    ):
        if not any(w in norm for w in (" ban em ", " ban cua ", " tre khac ", " be khac ")):
            return "self"
    if any(
        w in norm
        for w in (" tre khac ", " mot ban ", " ban em ", " ban cua ", " hang xom ", " hoc sinh ",
                  " chau ", " be ", " con ", " nguoi khac ")
    ):  # fmt: skip
        return "other"
    return None


def parse_phone(text: str) -> str | None:
    digits = re.sub(r"[^\d+]", "", text)
    if re.fullmatch(r"(\+84|84|0)\d{9,10}", digits):
        return digits
    return None


def parse_access(text: str) -> str | None:
    """Can the person who harms still reach the child? yes / no / unknown."""
    norm = f" {matching_text(text)} "
    if dont_know(text):
        return UNKNOWN
    if any(w in norm for w in (" khong con ", " khong ", " het ", " da chuyen di ")):
        return "no"
    if any(w in norm for w in (" van con ", " con ", " co ", " van ", " o chung ", " song chung ")):
        return "yes"
    return parse_yes_no(text)


def parse_confirm(text: str) -> str | None:
    """The read-back: send or not. "đừng gửi" and "đúng, gửi" fold alike, so the accents decide."""
    lowered = text.lower()
    norm = f" {matching_text(text)} "
    if "đừng" in lowered or any(w in norm for w in (" khong ", " huy ", " ko ", " thoi ")):
        return "no"
    if " dung gui " in norm and "đúng" not in lowered:
        return None  # "dung gui" without accents could be either
    if any(w in norm for w in (" gui ", " dung ", " co ", " dong y ", " ok ", " vang ")):
        return "yes"
    return None
