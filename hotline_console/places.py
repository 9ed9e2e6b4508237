"""Current administrative units (34 provinces, then communes/wards since 1 July 2025).

Data from the ``vietnam-provinces`` package; matching is accent-, case- and prefix-insensitive,
and an old (pre-2025) province name is mapped to the province it is now part of.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.text import fold

PROVINCE_PREFIXES = ("thanh pho ", "tinh ", "tp. ", "tp ")
WARD_PREFIXES = ("phuong ", "xa ", "dac khu ", "thi tran ", "p. ", "x. ")
ALIASES = {
    "hcm": "ho chi minh",
    "tphcm": "ho chi minh",
    "sai gon": "ho chi minh",
    "saigon": "ho chi minh",
    "hn": "ha noi",
    "hanoi": "ha noi",
    "hp": "hai phong",
    "dn": "da nang",
}


@dataclass(frozen=True)
class Place:
    code: int
    name: str
    note: str = ""  # e.g. "Bình Dương is now part of Thành phố Hồ Chí Minh"


def _key(text: str, prefixes: tuple[str, ...]) -> str:
    key = re.sub(r"[^a-z0-9 ]+", " ", fold(text).lower())
    key = " ".join(key.split())
    for prefix in prefixes:
        if key.startswith(prefix):
            key = key[len(prefix) :]
            break
    return key


@lru_cache(maxsize=1)
def _provinces() -> dict[str, Place]:
    import vietnam_provinces as vp

    return {
        _key(p.name, PROVINCE_PREFIXES): Place(int(p.code.value), p.name)
        for p in vp.Province.iter_all()
    }


@lru_cache(maxsize=64)
def _wards(province_code: int) -> dict[str, Place]:
    import vietnam_provinces as vp

    province = vp.Province.from_code(vp.ProvinceCode(province_code))
    return {
        _key(w.name, WARD_PREFIXES): Place(int(w.code.value), w.name)
        for w in vp.Ward.iter_by_province(province.code)
    }


def resolve_province(text: str) -> tuple[Place | None, list[str]]:
    """The province a user means, or None with up to three suggestions."""
    key = _key(text, PROVINCE_PREFIXES)
    key = ALIASES.get(key.replace(" ", ""), ALIASES.get(key, key))
    provinces = _provinces()
    if key in provinces:
        return provinces[key], []
    import vietnam_provinces as vp

    if len(key) >= 3:
        for old in vp.Province.search_from_legacy(name=text.strip()):
            new = provinces[_key(old.province.name, PROVINCE_PREFIXES)]
            return Place(new.code, new.name, note=f"{text.strip()} nay thuộc {new.name}"), []
    suggestions = [p.name for k, p in provinces.items() if key and (key in k or k in key)]
    return None, suggestions[:3]


def resolve_commune(province_code: int, text: str) -> tuple[Place | None, list[str]]:
    """The commune or ward within a province, or None with up to three suggestions."""
    key = _key(text, WARD_PREFIXES)
    wards = _wards(province_code)
    if key in wards:
        return wards[key], []
    suggestions = [w.name for k, w in wards.items() if key and key in k]
    return None, suggestions[:3]
