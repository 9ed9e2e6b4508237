"""validate_report_form, the read-back and the submission (with a local stand-in web app)."""

from __future__ import annotations

import json

import pytest
from aiohttp import web
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.report import (
    ActionAskConfirmReport,
    ActionSubmitReport,
    ValidateReportForm,
    intake_of,
)
from actions.report_parsing import parse_age, parse_confirm, parse_sex


def tracker(slots=None, sender="telegram:42"):
    return Tracker(sender, slots or {}, {"intent": {"name": "inform"}, "entities": []}, [], False,
                   None, {"name": "report_form"}, "action_listen")  # fmt: skip


@pytest.mark.parametrize(
    ("text", "age"),
    [("12", 12), ("em 12 tuổi", 12), ("muoi hai tuoi", 12), ("khoảng 7 tuổi", 7), ("không biết", "unknown"),
     ("25", None), ("abc", None), ("-3", 3)],
)  # fmt: skip
def test_parse_age(text, age):
    assert parse_age(text) == age


def test_parse_sex_and_confirm():
    assert [parse_sex(t) for t in ("nam", "bé gái", "ko bit", "xyz")] == [
        "male",
        "female",
        "unknown",
        None,
    ]
    assert [parse_confirm(t) for t in ("Gửi báo cáo", "Không gửi", "đừng gửi", "dung gui")] == [
        "yes", "no", "no", None,
    ]  # fmt: skip


async def test_invalid_age_is_asked_again():
    dispatcher = CollectingDispatcher()
    result = ValidateReportForm().validate_child_age("25", dispatcher, tracker(), {})
    assert result == {"child_age": None}
    assert dispatcher.messages[0]["response"] == "utter_invalid_age"


async def test_contact_is_only_asked_with_consent():
    form = ValidateReportForm()
    without = await form.required_slots(
        [], CollectingDispatcher(), tracker({"contact_consent": "no"}), {}
    )
    with_consent = await form.required_slots(
        [], CollectingDispatcher(), tracker({"contact_consent": "yes"}), {}
    )
    assert "reporter_contact" not in without and "reporter_contact" in with_consent
    assert without[-1] == with_consent[-1] == "confirm_report"


def test_intake_drops_the_contact_without_consent():
    intake = intake_of(tracker({"contact_consent": "no", "reporter_contact": "0912345678"}))
    assert intake["reporter_contact"] is None and intake["reporter_consent"] is False


@pytest.fixture
async def webapp(monkeypatch, tmp_path):
    """A local HTTP server standing in for the web app's places and cases API."""
    state = {"cases": [], "fail": 0}

    async def province(request):
        q = (await request.json())["q"].lower()
        if "nghệ an" in q or "nghe an" in q:
            return web.json_response(
                {"found": True, "code": 40, "name": "Tỉnh Nghệ An", "note": ""}
            )
        return web.json_response({"found": False, "suggestions": []})

    async def cases(request):
        if state["fail"]:
            state["fail"] -= 1
            return web.json_response({"detail": "down"}, status=503)
        body = await request.json()
        state["cases"].append(body)
        return web.json_response({"id": len(state["cases"])}, status=201)

    app = web.Application()
    app.router.add_post("/api/v1/places/province", province)
    app.router.add_post("/api/v1/cases", cases)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    monkeypatch.setenv("WEBAPP_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("REPORT_SPOOL_DIR", str(tmp_path / "spool"))
    monkeypatch.setattr("actions.webapp_client.RETRY_DELAYS", (0.01,))
    yield state
    await runner.cleanup()


async def test_unknown_province_is_asked_again_and_a_known_one_is_named(webapp):
    form = ValidateReportForm()
    dispatcher = CollectingDispatcher()
    assert await form.validate_province("Thành phố Mặt Trăng", dispatcher, tracker(), {}) == {
        "province": None
    }
    assert "34 tỉnh" in dispatcher.messages[0]["text"]
    ok = await form.validate_province("nghe an", CollectingDispatcher(), tracker(), {})
    assert ok == {"province": "Tỉnh Nghệ An", "province_code": "40"}


async def test_province_lookup_down_keeps_the_answer(monkeypatch):
    monkeypatch.setenv("WEBAPP_URL", "http://127.0.0.1:9")
    monkeypatch.setattr("actions.webapp_client.RETRY_DELAYS", (0.01,))
    result = await ValidateReportForm().validate_province(
        "Nghệ An", CollectingDispatcher(), tracker(), {}
    )
    assert result == {"province": "Nghệ An", "province_code": None}


FULL = {
    "report_subject": "other", "child_age": "9", "child_sex": "male", "province": "Tỉnh Nghệ An",
    "commune": "unknown", "incident": "bị đánh thường xuyên", "perpetrator_access": "yes",
    "actions_taken": "chưa", "contact_consent": "no", "confirm_report": "yes", "report_id": "abc123456",
}  # fmt: skip


async def test_read_back_shows_every_field():
    dispatcher = CollectingDispatcher()
    await ActionAskConfirmReport().run(dispatcher, tracker(FULL), {})
    text = dispatcher.messages[0]["text"]
    assert "9 tuổi" in text and "Tỉnh Nghệ An" in text and "ẩn danh" in text
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["Gửi báo cáo", "Không gửi"]


async def test_submit_sends_once_and_resets_the_form(webapp):
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitReport().run(dispatcher, tracker(FULL), {})
    assert len(webapp["cases"]) == 1
    sent = webapp["cases"][0]
    assert sent["idempotency_key"] == "abc123456" and sent["intake"]["child_age"] == "9"
    assert "Báo cáo số 1" in dispatcher.messages[0]["text"]
    assert all(e["value"] is None for e in events)


async def test_web_app_down_spools_the_report_and_sends_it_later(webapp, tmp_path):
    webapp["fail"] = 10
    dispatcher = CollectingDispatcher()
    await ActionSubmitReport().run(dispatcher, tracker(FULL), {})
    assert "đã được lưu lại" in dispatcher.messages[0]["text"]
    spooled = list((tmp_path / "spool").glob("*.json"))
    assert (
        len(spooled) == 1 and json.loads(spooled[0].read_text())["idempotency_key"] == "abc123456"
    )
    webapp["fail"] = 0
    await ActionSubmitReport().run(
        CollectingDispatcher(), tracker({**FULL, "report_id": "second999"}), {}
    )
    assert [c["idempotency_key"] for c in webapp["cases"]] == ["abc123456", "second999"]
    assert list((tmp_path / "spool").glob("*.json")) == []


async def test_declined_read_back_sends_nothing(webapp):
    dispatcher = CollectingDispatcher()
    await ActionSubmitReport().run(dispatcher, tracker({**FULL, "confirm_report": "no"}), {})
    assert webapp["cases"] == [] and dispatcher.messages[0]["response"] == "utter_report_cancelled"
