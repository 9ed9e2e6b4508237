"""The inbound pipeline with Rasa stopped: triage, the urgent path, storage, hand-over."""

from __future__ import annotations

import pytest
from app_support import make_settings
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.channels.base import ChannelAdapter, DeliveryResult, InboundMessage, OutboundMessage
from hotline_console.main import create_app
from hotline_console.models import Case, Conversation, Event, Message


class RecordingAdapter(ChannelAdapter):
    """Stands in for a platform; at each send it snapshots what the database holds."""

    name = "test"

    def __init__(self, sessions):
        self.sessions = sessions
        self.sent: list[tuple[str, OutboundMessage, int]] = []

    async def send(self, platform_user_id, message):
        with self.sessions() as db:
            cases = len(db.scalars(select(Case)).all())
        self.sent.append((platform_user_id, message, cases))
        return DeliveryResult(ok=True, platform_message_id=f"p{len(self.sent)}")


@pytest.fixture
def app(database_url):
    app = create_app(make_settings(database_url))
    with TestClient(app):
        adapter = RecordingAdapter(app.state.sessionmaker)
        app.state.adapters["test"] = adapter
        app.state.adapter = adapter
        yield app


def inbound(text, user="u1", mid=None, kind="text", **kw):
    return InboundMessage(
        channel="test", platform_user_id=user, text=text, platform_message_id=mid, kind=kind, **kw
    )


async def deliver(app, msg):
    accepted = app.state.pipeline.accept(msg)
    if accepted.message_id:
        await app.state.pipeline.process(accepted.message_id)
    return accepted


@pytest.mark.parametrize(
    "text",
    ["bố em đang đánh em", "bo em dang danh em", "bme e dag đánh e 😭", "em khong muon song nua"],
)
async def test_urgent_case_is_stored_before_the_reply_is_sent(app, text):
    await deliver(app, inbound(text, mid="1"))
    sent = app.state.adapter.sent
    first_user, first_reply, cases_at_first_send = sent[0]
    assert cases_at_first_send == 1  # the case existed when the emergency reply left
    assert "111" in first_reply.text
    assert any("tư vấn viên" in m.text for _, m, _ in sent)
    with app.state.sessionmaker() as db:
        case = db.scalars(select(Case)).one()
        assert case.urgency == "urgent" and case.signals
        assert case.signals[0]["source"] == "lexicon"
        assert case.transcript[-1]["text"] == text
        assert case.emergency_due_at is not None
        assert db.scalars(select(Event).where(Event.kind == "case.created")).one()
        conversation = db.scalars(select(Conversation)).one()
        assert conversation.status == "queued" and conversation.urgency == "urgent"


async def test_numbers_fit_the_danger(app):
    await deliver(app, inbound("em vừa uống hết vỉ thuốc ngủ, em muốn chết", user="a"))
    text = app.state.adapter.sent[0][1].text
    assert "111" in text and "115" in text


async def test_after_an_alert_the_child_gets_safety_questions_not_the_bot(app):
    await deliver(app, inbound("bo em dang danh em", mid="1"))
    before = len(app.state.adapter.sent)
    await deliver(app, inbound("em đang trốn trong nhà tắm", mid="2"))
    await deliver(app, inbound("ở Hà Nội", mid="3"))
    replies = [m.text for _, m, _ in app.state.adapter.sent[before:]]
    assert replies[0].startswith("Bạn đang ở đâu")
    assert replies[1].startswith("Bạn bao nhiêu tuổi")
    with app.state.sessionmaker() as db:
        case = db.scalars(select(Case)).one()
        assert [t["text"] for t in case.transcript if t["sender"] == "user"][-1] == "ở Hà Nội"
        statuses = {
            m.status for m in db.scalars(select(Message).where(Message.direction == "incoming"))
        }
        assert statuses == {"handed_off"}


async def test_a_story_that_turns_urgent_over_messages_raises_the_conversation(app):
    await deliver(app, inbound("em kể chị nghe chuyện nhà em", user="s", mid="1"))
    with app.state.sessionmaker() as db:
        assert db.scalars(select(Case)).all() == []
    await deliver(app, inbound("ông ấy cầm dao", user="s", mid="2"))
    with app.state.sessionmaker() as db:
        case = db.scalars(select(Case)).one()
        assert case.category == "physical_violence"
        assert [t["text"] for t in case.transcript if t["sender"] == "user"] == [
            "em kể chị nghe chuyện nhà em",
            "ông ấy cầm dao",
        ]


async def test_an_urgent_message_in_an_operator_conversation_alerts_without_bot_replies(app):
    await _conversation_held_by_an_operator(app, user="q")
    before = len(app.state.adapter.sent)
    await deliver(app, inbound("bố em đang cầm dao đuổi đánh em", user="q", mid="2"))
    assert len(app.state.adapter.sent) == before  # the operator talks, the bot does not
    with app.state.sessionmaker() as db:
        case = db.scalars(select(Case)).one()
        assert case.urgency == "urgent" and case.signals
        assert db.scalars(select(Event).where(Event.kind == "case.created")).one()


async def test_negation_and_fiction_are_not_urgent(app):
    for i, text in enumerate(["bố em không bao giờ đánh em", "phim này có cảnh đánh nhau hay lắm"]):
        await deliver(app, inbound(text, user=f"n{i}"))
    with app.state.sessionmaker() as db:
        assert db.scalars(select(Case)).all() == []


async def test_duplicate_delivery_is_stored_and_answered_once(app):
    first = await deliver(app, inbound("xin chào", mid="dup-1"))
    second = await deliver(app, inbound("xin chào", mid="dup-1"))
    assert not first.duplicate and second.duplicate
    with app.state.sessionmaker() as db:
        assert len(db.scalars(select(Message).where(Message.direction == "incoming")).all()) == 1
    assert len(app.state.adapter.sent) == 1


@pytest.mark.parametrize("kind", ["sticker", "photo", "voice", "file", "location", "unsupported"])
async def test_non_text_gets_a_polite_answer_and_photos_are_not_asked_for(app, kind):
    await deliver(app, inbound("", kind=kind, media_ref="file-123" if kind == "photo" else None))
    [(_, reply, _)] = app.state.adapter.sent
    assert reply.text
    assert "gửi ảnh cho mình" not in reply.text.replace("không cần gửi ảnh cho mình", "")


async def test_very_long_message_is_stored_whole_and_still_triaged(app):
    text = ("em kể chuyện này dài lắm " * 200) + " bố em đang đánh em"
    assert len(text) > 4000
    await deliver(app, inbound(text))
    with app.state.sessionmaker() as db:
        assert db.scalars(select(Message).where(Message.direction == "incoming")).one().text == text
        assert db.scalars(select(Case)).one()


async def test_operator_owned_conversation_is_not_sent_to_the_bot(app):
    await _conversation_held_by_an_operator(app, user="o")
    before = len(app.state.adapter.sent)
    await deliver(app, inbound("chị ơi em sợ lắm", user="o", mid="2"))
    assert len(app.state.adapter.sent) == before  # the operator answers, not the bot
    with app.state.sessionmaker() as db:
        msg = db.scalars(select(Message).where(Message.platform_message_id == "2")).one()
        assert msg.status == "handed_off"
        assert db.scalars(select(Event).where(Event.kind == "message.received")).all()


async def test_failed_platform_send_is_recorded_not_lost(app):
    class Failing(ChannelAdapter):
        name = "test"

        async def send(self, platform_user_id, message):
            return DeliveryResult(ok=False, error="403 blocked", permanent=True)

    app.state.adapters["test"] = Failing()
    await deliver(app, inbound("xin chao"))
    with app.state.sessionmaker() as db:
        out = db.scalars(select(Message).where(Message.direction == "outgoing")).one()
        assert out.status == "failed" and out.error == "403 blocked"


def test_database_down_refuses_instead_of_acknowledging(tmp_path):
    app = create_app(make_settings(f"sqlite:///{tmp_path / 'x.db'}"), migrate=False)
    with TestClient(app) as client:  # no tables: every insert fails
        r = client.post(
            "/api/v1/webchat/messages", json={"session_id": "abcd1234", "text": "cứu em"}
        )
        assert r.status_code == 503
        assert "111" in r.json()["detail"]


async def test_an_emergency_reply_refused_for_a_passing_reason_is_sent_again(app):
    class Flaky(ChannelAdapter):
        name = "test"

        def __init__(self):
            self.calls = 0
            self.delivered: list[str] = []

        async def send(self, platform_user_id, message):
            self.calls += 1
            if self.calls <= 3:  # the platform answers 500 / 429 at first
                return DeliveryResult(ok=False, error="HTTP 500")
            self.delivered.append(message.text)
            return DeliveryResult(ok=True, platform_message_id=str(self.calls))

    flaky = Flaky()
    app.state.adapters["test"] = flaky
    await deliver(app, inbound("bo em dang danh em"))
    with app.state.sessionmaker() as db:
        statuses = [
            m.status for m in db.scalars(select(Message).where(Message.direction == "outgoing"))
        ]
    assert statuses == ["retry", "retry", "retry"]
    assert await app.state.pipeline.resend_failed() == 3
    assert "111" in flaky.delivered[0]
    with app.state.sessionmaker() as db:
        statuses = {
            m.status for m in db.scalars(select(Message).where(Message.direction == "outgoing"))
        }
    assert statuses == {"sent"}


async def test_stale_and_permanent_failures_are_not_resent(app):
    from datetime import timedelta

    class Down(ChannelAdapter):
        name = "test"

        async def send(self, platform_user_id, message):
            return DeliveryResult(ok=False, error="HTTP 503")

    app.state.adapters["test"] = Down()
    await deliver(app, inbound("xin chao"))
    assert await app.state.pipeline.resend_failed(max_age=timedelta(seconds=-1)) == 0
    with app.state.sessionmaker() as db:
        out = db.scalars(select(Message).where(Message.direction == "outgoing")).one()
        assert out.status == "failed"  # given up after the window, still recorded


async def _conversation_held_by_an_operator(app, *, user: str) -> None:
    """A conversation that has started and that an operator has taken over."""
    await deliver(app, inbound("xin chào", user=user, mid="1"))
    with app.state.sessionmaker() as db:
        conv = db.scalars(select(Conversation)).one()
        conv.status, conv.assignee = "open", "operator-1"
        db.commit()
