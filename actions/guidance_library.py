"""Loads guidance content from data/guidance/ and picks the article for a topic and audience."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.topics import TOPICS

AUDIENCES = ("child", "parent")
MAX_MESSAGE_CHARS = 600


class GuidanceError(ValueError):
    """The guidance content is malformed; raised at load time so it never reaches a user."""


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str
    url: str


@dataclass(frozen=True)
class Button:
    title: str
    article: str


@dataclass(frozen=True)
class Article:
    id: str
    topic: str
    audience: str
    entry: bool
    title: str
    messages: tuple[str, ...]
    sources: tuple[Source, ...]
    buttons: tuple[Button, ...]


@dataclass
class Library:
    """All guidance articles, the menu texts and topic titles."""

    articles: dict[str, Article] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    menu: dict[str, Any] = field(default_factory=dict)

    def entry(self, topic: str, audience: str) -> Article:
        for article in self.articles.values():
            if article.topic == topic and article.audience == audience and article.entry:
                return article
        raise KeyError(f"no entry article for {topic}/{audience}")


def default_directory() -> Path:
    configured = os.environ.get("GUIDANCE_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent / "data" / "guidance"


def _require(mapping: dict, key: str, where: str) -> Any:
    if key not in mapping or mapping[key] in (None, ""):
        raise GuidanceError(f"{where}: missing '{key}'")
    return mapping[key]


def load_library(directory: Path | None = None) -> Library:
    """Parse and validate every topic file; raise GuidanceError on the first problem."""
    directory = directory or default_directory()
    library = Library()
    pending_buttons: list[tuple[str, str]] = []
    for topic in TOPICS:
        path = directory / f"{topic}.yml"
        if not path.exists():
            raise GuidanceError(f"missing guidance file {path}")
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if doc.get("topic") != topic:
            raise GuidanceError(f"{path}: topic must be '{topic}'")
        library.titles[topic] = _require(doc, "title", str(path))
        sources = {}
        for raw in doc.get("sources") or []:
            src = Source(
                id=_require(raw, "id", str(path)),
                publisher=_require(raw, "publisher", str(path)),
                title=_require(raw, "title", str(path)),
                url=_require(raw, "url", str(path)),
            )
            sources[src.id] = src
        entries = {a: 0 for a in AUDIENCES}
        for raw in _require(doc, "articles", str(path)):
            where = f"{path}:{raw.get('id')}"
            article_id = _require(raw, "id", where)
            if article_id in library.articles:
                raise GuidanceError(f"{where}: duplicate article id")
            audience = _require(raw, "audience", where)
            if audience not in AUDIENCES:
                raise GuidanceError(f"{where}: audience must be child or parent")
            messages = tuple(_require(raw, "messages", where))
            for message in messages:
                if not isinstance(message, str) or not message.strip():
                    raise GuidanceError(f"{where}: empty message")
                if len(message) > MAX_MESSAGE_CHARS:
                    raise GuidanceError(f"{where}: message longer than {MAX_MESSAGE_CHARS}")
            source_ids = _require(raw, "sources", where)
            missing = [s for s in source_ids if s not in sources]
            if missing:
                raise GuidanceError(f"{where}: unknown sources {missing}")
            buttons = tuple(
                Button(title=_require(b, "title", where), article=_require(b, "article", where))
                for b in raw.get("buttons") or []
            )
            pending_buttons.extend((where, b.article) for b in buttons)
            entry = bool(raw.get("entry", False))
            if entry:
                entries[audience] += 1
            library.articles[article_id] = Article(
                id=article_id,
                topic=topic,
                audience=audience,
                entry=entry,
                title=_require(raw, "title", where),
                messages=messages,
                sources=tuple(sources[s] for s in source_ids),
                buttons=buttons,
            )
        for audience, count in entries.items():
            if count != 1:
                raise GuidanceError(f"{path}: {count} entry articles for {audience}, need 1")
    for where, target in pending_buttons:
        if target not in library.articles:
            raise GuidanceError(f"{where}: button points to unknown article '{target}'")
    menu_path = directory / "menu.yml"
    library.menu = yaml.safe_load(menu_path.read_text(encoding="utf-8")) or {}
    for key in ("greeting_child", "greeting_parent", "greeting_unknown", "menu_text"):
        _require(library.menu, key, str(menu_path))
    return library


@lru_cache(maxsize=1)
def get_library() -> Library:
    """The library, loaded once per process on first use (never at import time)."""
    return load_library()


def sources_line(article: Article) -> str:
    publishers: list[str] = []
    for src in article.sources:
        if src.publisher not in publishers:
            publishers.append(src.publisher)
    return "Nguồn: " + "; ".join(publishers)


def render(article: Article) -> list[dict[str, Any]]:
    """Messages for the dispatcher: each text, the sources under the last, buttons on the last."""
    out: list[dict[str, Any]] = [{"text": m} for m in article.messages]
    out[-1] = {"text": f"{out[-1]['text']}\n\n{sources_line(article)}"}
    buttons = [
        {"title": b.title, "payload": f'/show_article{{"article_id":"{b.article}"}}'}
        for b in article.buttons
    ]
    buttons.append({"title": "Chủ đề khác", "payload": "/menu"})
    out[-1]["buttons"] = buttons
    return out
