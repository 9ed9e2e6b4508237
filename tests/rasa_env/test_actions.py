"""Custom actions: trackers built from dicts, a CollectingDispatcher, exact events and texts."""

from __future__ import annotations

import pytest
from aiohttp import web
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionFallback
from actions.guidance import ActionGreet, ActionShowGuidance, ActionShowMenu
from actions.guidance_library import get_library
from actions.handoff import NOTIFIED, UNAVAILABLE, ActionRequestHuman
from actions.subscription import ActionSubscribe


def tracker(intent: str, *, text: str = "", slots=None, entities=None, events=None, ranking=None):
    return Tracker(
        sender_id="webchat:test1234",
        slots=slots or {},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "entities": entities or [],
            "intent_ranking": ranking or [],
        },
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def run(action, trk):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, trk, {})
    return dispatcher.messages, events


async def test_topic_shows_the_child_entry_with_sources_and_a_parent_button():
    messages, events = await run(ActionShowGuidance(), tracker("drowning"))
    article = get_library().entry("drowning", "child")
    assert [m["text"] for m in messages][:-1] == list(article.messages[:-1])
    assert messages[-1]["text"].startswith(article.messages[-1])
    assert "Nguồn:" in messages[-1]["text"]
    titles = [b["title"] for b in messages[-1]["buttons"]]
    assert titles[0] == "Dành cho phụ huynh" and titles[-1] == "Chủ đề khác"
    assert events == []


async def test_parent_gets_the_parent_version():
    messages, _ = await run(ActionShowGuidance(), tracker("traffic", slots={"audience": "parent"}))
    article = get_library().entry("traffic", "parent")
    assert messages[0]["text"].startswith(article.messages[0][:40])
    assert "Dành cho phụ huynh" not in [b["title"] for b in messages[-1]["buttons"]]


async def test_button_opens_a_deeper_article_and_clears_the_slot():
    library = get_library()
    entry = library.entry("injury", "child")
    target = entry.buttons[0].article
    trk = tracker(
        "show_article",
        entities=[{"entity": "article_id", "value": target}],
        slots={"article_id": target},
    )
    messages, events = await run(ActionShowGuidance(), trk)
    assert messages[0]["text"].startswith(library.articles[target].messages[0][:40])
    assert events == [SlotSet("article_id", None)]


async def test_unknown_article_falls_back_to_the_menu():
    trk = tracker("show_article", entities=[{"entity": "article_id", "value": "nope"}])
    messages, events = await run(ActionShowGuidance(), trk)
    assert "không tìm thấy" in messages[0]["text"]
    assert len(messages[0]["buttons"]) == 10


async def test_greeting_asks_who_is_talking_then_uses_the_audience():
    messages, _ = await run(ActionGreet(), tracker("greet"))
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/inform_child", "/inform_parent"]
    messages, _ = await run(ActionGreet(), tracker("greet", slots={"audience": "child"}))
    assert messages[0]["text"] == get_library().menu["greeting_child"]
    assert len(messages[1]["buttons"]) == 10


async def test_menu_lists_every_topic_and_a_person():
    messages, _ = await run(ActionShowMenu(), tracker("menu"))
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads[:2] == ["/drowning", "/traffic"] and payloads[-1] == "/ask_human"


async def test_fallback_rephrases_first_then_offers_menu_111_and_a_person():
    ranking = [{"name": "nlu_fallback"}, {"name": "injury"}, {"name": "greet"}, {"name": "traffic"}]
    messages, _ = await run(ActionFallback(), tracker("nlu_fallback", ranking=ranking))
    assert "nói cách khác" in messages[0]["text"] and "111" in messages[0]["text"]
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads == ["/injury", "/traffic", "/menu", "/ask_human"]

    history = [
        {"event": "user", "text": "abc"},
        {"event": "action", "name": "action_fallback"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "xyz"},
    ]
    messages, _ = await run(ActionFallback(), tracker("nlu_fallback", events=history))
    assert "vẫn chưa hiểu" in messages[0]["text"] and "111" in messages[0]["text"]
    assert messages[0]["buttons"][-1]["payload"] == "/ask_human"


@pytest.fixture
async def fake_webapp(aiohttp_unused_port, monkeypatch):
    """A local HTTP server standing in for the web app (the real one is tested in tests/app)."""
    received = []

    async def handoff(request):
        if request.headers.get("Authorization") != "Bearer secret-token":
            return web.json_response({"detail": "invalid service token"}, status=401)
        received.append(await request.json())
        return web.json_response({"id": 1}, status=201)

    app = web.Application()
    app.router.add_post("/api/v1/handoffs", handoff)
    app.router.add_post("/api/v1/subscriptions", handoff)
    runner = web.AppRunner(app)
    await runner.setup()
    port = aiohttp_unused_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    monkeypatch.setenv("WEBAPP_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("SERVICE_TOKEN", "secret-token")
    yield received
    await runner.cleanup()


@pytest.fixture
def aiohttp_unused_port():
    import socket

    def pick():
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    return pick


async def test_request_human_records_and_says_so(fake_webapp):
    trk = tracker("ask_human", text="cho em gặp người thật")
    messages, _ = await run(ActionRequestHuman(), trk)
    assert messages[0]["text"] == NOTIFIED
    assert fake_webapp == [
        {
            "sender_id": "webchat:test1234",
            "reason": "ask_human",
            "text": "cho em gặp người thật",
            "audience": None,
        }
    ]


async def test_request_human_when_webapp_is_down_gives_111(monkeypatch, aiohttp_unused_port):
    monkeypatch.setenv("WEBAPP_URL", f"http://127.0.0.1:{aiohttp_unused_port()}")
    monkeypatch.setattr("actions.webapp_client.RETRY_DELAYS", (0.01, 0.01))
    messages, _ = await run(ActionRequestHuman(), tracker("urgent_danger", text="cứu em"))
    assert messages[0]["text"] == UNAVAILABLE and "111" in UNAVAILABLE


async def test_wrong_token_is_not_retried_and_reported(fake_webapp, monkeypatch):
    monkeypatch.setenv("SERVICE_TOKEN", "wrong")
    messages, _ = await run(ActionSubscribe(), tracker("affirm"))
    assert "chưa lưu được" in messages[0]["text"]
    assert fake_webapp == []
