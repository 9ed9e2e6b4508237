"""Administrative units, for the action server's validation of the report form.

POST with a JSON body, so a reported place never appears in URLs or access logs.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from hotline_console import places
from hotline_console.api.deps import ServiceAuth

router = APIRouter(prefix="/api/v1/places", tags=["places"], dependencies=[ServiceAuth])


class ProvinceQuery(BaseModel):
    q: str = Field(min_length=1, max_length=100)


class CommuneQuery(ProvinceQuery):
    province_code: int


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


@router.post("/province", response_model=PlaceOut)
def province(body: ProvinceQuery):
    return _out(*places.resolve_province(body.q))


@router.post("/commune", response_model=PlaceOut)
def commune(body: CommuneQuery):
    try:
        return _out(*places.resolve_commune(body.province_code, body.q))
    except ValueError:
        return PlaceOut(found=False)
