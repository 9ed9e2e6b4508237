"""Channel adapters against local emulators of the platforms' APIs (real HTTP, real PTB Bot).

Rasa is not running here (a closed port): replies are the pipeline's own — the hotline
numbers, the urgent path, the polite answers to stickers and photos. The same channels with
the real Rasa server are in test_e2e_rasa.py.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from app_support import make_settings
from fastapi.testclient import TestClient
from platform_emulators import TelegramEmulator, ZaloBotEmulator, ZaloOAEmulator
from sqlalchemy import select

from bot.channels.zalo_oa import reply_window
from hotline_console.main import create_app
from hotline_console.models import Case, Message, PlatformToken, utcnow

TG_TOKEN = "123456:TEST-token_abcdefghijklmnopqrstu"
TG_SECRET = "tg-secret_0123456789"
ZB_SECRET = "zalo-bot-secret-0123"


def wait_until(predicate, timeout=8.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def incoming(app):
    with app.state.sessionmaker() as db:
        return db.scalars(select(Message).where(Message.direction == "incoming")).all()


# ---- Telegram ------------------------------------------------------------------------------
@pytest.fixture
def telegram():
    with TelegramEmulator() as emu:
        yield emu


@pytest.fixture
def tg_app(telegram, database_url):
    settings = make_settings(
        database_url,
        telegram_bot_token=TG_TOKEN,
        telegram_api_base=telegram.base_url,
        telegram_webhook_secret=TG_SECRET,
    )
    app = create_app(settings)
    with TestClient(app) as client:
        yield app, client


def post_tg(client, update, secret=TG_SECRET):
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    return client.post("/webhooks/telegram", json=update, headers=headers)


def test_telegram_forged_secret_is_refused_and_nothing_stored(tg_app, telegram):
    app, client = tg_app
    update = telegram.text_update(501, "bo em dang danh em")
    assert post_tg(client, update, secret="wrong-secret").status_code == 403
    assert post_tg(client, update, secret=None).status_code == 403
    assert incoming(app) == []
    assert telegram.calls_to("sendMessage") == []


def test_telegram_urgent_message_gets_numbers_and_a_case(tg_app, telegram):
    app, client = tg_app
    r = post_tg(client, telegram.text_update(502, "bo em dang danh em, cuu em"))
    assert r.status_code == 200
    telegram.wait_for_calls("sendMessage", count=3)
    texts = [m["text"] for m in telegram.messages_to(502)]
    assert "111" in texts[0] and "113" in texts[0]
    with app.state.sessionmaker() as db:
        assert db.scalars(select(Case)).one().category == "physical_violence"


def test_telegram_duplicate_update_is_processed_once(tg_app, telegram):
    app, client = tg_app
    update = telegram.text_update(503, "xin chào")
    assert post_tg(client, update).status_code == 200
    assert post_tg(client, update).json()["duplicate"] is True
    telegram.wait_for_calls("sendMessage", count=1)
    time.sleep(0.3)
    assert len(telegram.messages_to(503)) == 1
    assert len(incoming(app)) == 1


def test_telegram_rasa_down_reply_has_111_and_message_waits(tg_app, telegram):
    app, client = tg_app
    post_tg(client, telegram.text_update(504, "lam sao de day con boi"))
    telegram.wait_for_calls("sendMessage", count=1)
    assert "111" in telegram.messages_to(504)[0]["text"]
    assert wait_until(lambda: incoming(app)[0].status == "waiting_bot")


@pytest.mark.parametrize(
    ("builder", "expected"),
    [("sticker_update", "chỉ đọc được chữ"), ("photo_update", "không cần gửi ảnh"),
     ("voice_update", "tin nhắn thoại"), ("location_update", "113"), ("document_update", "tệp")],
)  # fmt: skip
def test_telegram_non_text_gets_a_defined_answer(tg_app, telegram, builder, expected):
    app, client = tg_app
    assert post_tg(client, getattr(telegram, builder)(505)).status_code == 200
    telegram.wait_for_calls("sendMessage", count=1)
    assert expected in telegram.messages_to(505)[0]["text"]


def test_telegram_malformed_body_is_a_clear_400(tg_app):
    app, client = tg_app
    r = client.post(
        "/webhooks/telegram",
        content=b"{not json",
        headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET},
    )
    assert r.status_code == 400
    assert post_tg(client, {"hello": 1}).status_code == 400
    assert incoming(app) == []


def test_telegram_buttons_use_short_ids_and_map_back(tg_app, telegram):
    app, client = tg_app
    from bot.channels.base import OutboundMessage

    adapter = app.state.adapters["telegram"]
    long_payload = '/show_article{"article_id":"drowning_child_rescue_when_a_friend_is_in_water"}'
    message = OutboundMessage("Chọn:", buttons=[{"title": "Xem thêm", "payload": long_payload}])
    result = client.portal.call(adapter.send, "506", message)
    assert result.ok
    markup = telegram.calls_to("sendMessage")[-1].params_decoded["reply_markup"]
    data = markup["inline_keyboard"][0][0]["callback_data"]
    assert len(data.encode()) <= 64 and data != long_payload
    parsed = adapter.parse(telegram.callback_update(506, data))
    assert parsed.kind == "callback" and parsed.payload == long_payload


def test_telegram_429_is_waited_out_and_403_is_recorded(tg_app, telegram):
    app, client = tg_app
    from bot.channels.base import OutboundMessage

    adapter = app.state.adapters["telegram"]
    telegram.fail_next("sendMessage", status=429, retry_after=1)
    started = time.monotonic()
    assert client.portal.call(adapter.send, "507", OutboundMessage("xin chào")).ok
    assert time.monotonic() - started >= 0.9
    telegram.block_chat(508)
    blocked = client.portal.call(adapter.send, "508", OutboundMessage("xin chào"))
    assert not blocked.ok and blocked.permanent and blocked.error.startswith("403")


def test_telegram_long_reply_is_split_under_4096(tg_app, telegram):
    app, client = tg_app
    from bot.channels.base import OutboundMessage

    adapter = app.state.adapters["telegram"]
    text = ("Một đoạn hướng dẫn an toàn. " * 400).strip()
    assert client.portal.call(adapter.send, "509", OutboundMessage(text)).ok
    parts = telegram.messages_to(509)
    assert len(parts) >= 3 and all(len(p["text"]) <= 4096 for p in parts)


def test_telegram_polling_mode(telegram, database_url):
    settings = make_settings(
        database_url, telegram_bot_token=TG_TOKEN, telegram_api_base=telegram.base_url
    )
    app = create_app(settings)
    with TestClient(app):
        telegram.inject_update(telegram.text_update(510, "/start"))
        telegram.wait_for_calls("sendMessage", count=1, timeout=10)
        assert telegram.messages_to(510)
        assert incoming(app)[0].kind == "command"


# ---- Zalo OA -------------------------------------------------------------------------------
@pytest.fixture
def zalo_oa():
    with ZaloOAEmulator() as emu:
        yield emu


@pytest.fixture
def oa_app(zalo_oa, database_url):
    settings = make_settings(
        database_url,
        zalo_oa_app_id=zalo_oa.app_id,
        zalo_oa_secret_key=zalo_oa.oa_secret_key,
        zalo_app_secret=zalo_oa.app_secret,
        zalo_oa_refresh_token=zalo_oa.refresh_token,
        zalo_oa_access_token=zalo_oa.access_token,
        zalo_oa_api_base=zalo_oa.base_url,
        zalo_oauth_base=zalo_oa.base_url,
    )
    app = create_app(settings)
    with TestClient(app) as client:
        yield app, client


def post_oa(client, zalo_oa, event, *, tamper=False, secret=None):
    raw, headers = zalo_oa.signed_event(event, oa_secret_key=secret)
    if tamper:
        raw = raw.replace(b"chao", b"chuo")
    return client.post(
        "/webhooks/zalo-oa", content=raw, headers={**headers, "Content-Type": "application/json"}
    )


def test_zalo_oa_signed_event_is_answered_with_a_call_button(oa_app, zalo_oa):
    app, client = oa_app
    r = post_oa(client, zalo_oa, zalo_oa.user_send_text("8001", "bo em dang danh em"))
    assert r.status_code == 200
    zalo_oa.wait_for_calls("/v3.0/oa/message/cs", count=1)
    first = zalo_oa.messages_to("8001")[0]["message"]
    assert "111" in first["text"]
    phone = [b for b in first["attachment"]["payload"]["buttons"] if b["type"] == "oa.open.phone"]
    assert phone[0]["payload"] == {"phone_code": "111"}


def test_zalo_oa_forged_or_tampered_signature_is_refused(oa_app, zalo_oa):
    app, client = oa_app
    assert (
        post_oa(
            client, zalo_oa, zalo_oa.user_send_text("8002", "xin chao"), secret="forged"
        ).status_code
        == 401
    )
    assert (
        post_oa(
            client, zalo_oa, zalo_oa.user_send_text("8002", "xin chao"), tamper=True
        ).status_code
        == 401
    )
    r = client.post(
        "/webhooks/zalo-oa", content=b"not json", headers={"X-ZEvent-Signature": "mac=00"}
    )
    assert r.status_code == 401
    assert incoming(app) == []


def test_zalo_oa_echo_events_are_ignored_and_duplicates_dropped(oa_app, zalo_oa):
    app, client = oa_app
    assert post_oa(client, zalo_oa, zalo_oa.oa_send_text("8003", "tin của OA")).json()["ignored"]
    event = zalo_oa.user_send_text("8003", "xin chao", msg_id="m-8003")
    post_oa(client, zalo_oa, event)
    assert post_oa(client, zalo_oa, event).json()["duplicate"] is True
    assert len(incoming(app)) == 1


def test_zalo_oa_expired_token_is_refreshed_and_the_rotation_stored(oa_app, zalo_oa):
    app, client = oa_app
    old_refresh = zalo_oa.refresh_token
    zalo_oa.expire_access_tokens()
    post_oa(client, zalo_oa, zalo_oa.user_send_text("8004", "xin chao"))
    zalo_oa.wait_for_calls("/v3.0/oa/message/cs", count=2)
    assert zalo_oa.messages_to("8004")
    assert zalo_oa.refresh_count == 1 and old_refresh in zalo_oa.used_refresh_tokens
    with app.state.sessionmaker() as db:
        stored = db.get(PlatformToken, "zalo_oa")
        assert stored.refresh_token == zalo_oa.refresh_token and stored.version == 2


def test_zalo_oa_window_closed_error_is_permanent(oa_app, zalo_oa):
    app, client = oa_app
    from bot.channels.base import OutboundMessage

    zalo_oa.fail_next("/v3.0/oa/message/cs", error=-230)
    result = client.portal.call(app.state.adapters["zalo_oa"].send, "8005", OutboundMessage("chào"))
    assert not result.ok and result.permanent and "-230" in result.error


def test_reply_window_of_a_user_follows_their_last_message(oa_app, zalo_oa):
    from bot.channels.zalo_oa import window_for_user

    app, client = oa_app
    assert window_for_user(app.state.sessionmaker, "8006").open is False  # never wrote
    post_oa(client, zalo_oa, zalo_oa.user_send_text("8006", "xin chao"))
    window = window_for_user(app.state.sessionmaker, "8006")
    assert window.open and window.until > utcnow() + timedelta(days=6)


def test_reply_window():
    now = utcnow()
    assert reply_window(None).open is False
    recent = reply_window(now - timedelta(days=2), now=now)
    assert recent.open and recent.until == now - timedelta(days=2) + timedelta(days=7)
    assert reply_window(now - timedelta(days=8), now=now).open is False


# ---- Zalo Bot ------------------------------------------------------------------------------
@pytest.fixture
def zalo_bot():
    with ZaloBotEmulator() as emu:
        yield emu


def test_zalo_bot_webhook(zalo_bot, database_url):
    settings = make_settings(
        database_url, zalo_bot_token="zb-token", zalo_bot_api_base=zalo_bot.base_url,
        zalo_bot_webhook_secret=ZB_SECRET,
    )  # fmt: skip
    app = create_app(settings)
    with TestClient(app) as client:
        update = zalo_bot.text_update("c-1", "em khong muon song nua")
        bad = client.post(
            "/webhooks/zalo-bot", json=update, headers={"X-Bot-Api-Secret-Token": "nope"}
        )
        assert bad.status_code == 403 and incoming(app) == []
        wrapped = {"ok": True, "result": update}
        ok = client.post(
            "/webhooks/zalo-bot", json=wrapped, headers={"X-Bot-Api-Secret-Token": ZB_SECRET}
        )
        assert ok.status_code == 200
        zalo_bot.wait_for_calls("sendMessage", count=1)
        text = zalo_bot.messages_to("c-1")[0]["text"]
        assert "111" in text and "115" in text


def test_zalo_bot_polling(zalo_bot, database_url):
    settings = make_settings(
        database_url, zalo_bot_token="zb-token", zalo_bot_api_base=zalo_bot.base_url
    )
    app = create_app(settings)
    with TestClient(app):
        zalo_bot.inject_update(zalo_bot.sticker_update("c-2"))
        zalo_bot.wait_for_calls("sendMessage", count=1, timeout=10)
        assert "chữ" in zalo_bot.messages_to("c-2")[0]["text"]


def test_telegram_webhook_with_the_database_down_asks_for_a_retry(telegram, tmp_path):
    settings = make_settings(
        f"sqlite:///{tmp_path / 'empty.db'}",
        telegram_bot_token=TG_TOKEN,
        telegram_api_base=telegram.base_url,
        telegram_webhook_secret=TG_SECRET,
    )
    app = create_app(settings, migrate=False)  # no tables: every insert fails
    with TestClient(app) as client:
        r = post_tg(client, telegram.text_update(520, "cuu em"))
        assert r.status_code == 503  # not acknowledged: Telegram retries the update
        assert telegram.calls_to("sendMessage") == []


def test_edited_message_is_triaged_again(tg_app, telegram):
    app, client = tg_app
    post_tg(client, telegram.edited_message_update(521, "bố em đang đánh em"))
    telegram.wait_for_calls("sendMessage", count=1)
    assert "113" in telegram.messages_to(521)[0]["text"]
