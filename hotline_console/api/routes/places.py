"""Administrative units, for the action server's validation of the report form."""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel

from hotline_console import places
from hotline_console.api.deps import ServiceAuth

router = APIRouter(prefix="/api/v1/places", tags=["places"], dependencies=[ServiceAuth])


class PlaceOut(BaseModel):
    found: bool
    code: int | None = None
    name: str | None = None
    note: str = ""
    suggestions: list[str] = []


def _out(place: places.Place | None, suggestions: list[str]) -> PlaceOut:
    if place is None:
        return PlaceOut(found=False, suggestions=suggestions)
    return PlaceOut(found=True, code=place.code, name=place.name, note=place.note)


@router.get("/province", response_model=PlaceOut)
def province(q: str = Query(min_length=1, max_length=100)):
    return _out(*places.resolve_province(q))


@router.get("/commune", response_model=PlaceOut)
def commune(province_code: int, q: str = Query(min_length=1, max_length=100)):
    try:
        return _out(*places.resolve_commune(province_code, q))
    except ValueError:
        return PlaceOut(found=False)
