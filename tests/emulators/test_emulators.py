"""The platform emulators behave like the real APIs, as seen by the real clients."""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from platform_emulators import (
    TelegramEmulator,
    ZaloBotEmulator,
    ZaloOAEmulator,
    zalo_oa_mac,
)
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

TOKEN = "123456:TEST-token_abc"


# ---- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def tg():
    with TelegramEmulator() as emu:
        yield emu


@pytest.fixture
def oa():
    with ZaloOAEmulator() as emu:
        yield emu


@pytest.fixture
def zbot():
    with ZaloBotEmulator(max_poll_timeout=2.0) as emu:
        yield emu


class _Receiver:
    """A tiny webhook receiver (stdlib HTTP server in a thread) that records what it gets."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - stdlib naming
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver.requests.append((self.path, headers, body))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def receiver():
    r = _Receiver()
    yield r
    r.close()


def _retry_seconds(exc: RetryAfter) -> float:
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


# ---- lifecycle ------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [TelegramEmulator, ZaloOAEmulator, ZaloBotEmulator])
def test_each_emulator_starts_fast_and_stops(cls):
    started = time.monotonic()
    emu = cls().start()
    try:
        assert time.monotonic() - started < 1.0
        assert emu.base_url.startswith("http://127.0.0.1:")
        assert emu.start() is emu  # idempotent
    finally:
        emu.stop()
    with pytest.raises(httpx.TransportError):
        httpx.post(f"{emu.base_url}/bot{TOKEN}/getMe", timeout=1)


def test_stop_releases_a_pending_long_poll():
    emu = TelegramEmulator(max_poll_timeout=5).start()
    results: list[int] = []

    def poll() -> None:
        try:
            r = httpx.post(f"{emu.base_url}/bot{TOKEN}/getUpdates", json={"timeout": 5}, timeout=10)
            results.append(r.status_code)
        except httpx.TransportError:
            results.append(-1)

    t = threading.Thread(target=poll)
    t.start()
    emu.wait_for_calls("getUpdates")
    started = time.monotonic()
    emu.stop()
    t.join(timeout=5)
    assert time.monotonic() - started < 3
    assert results


# ---- Telegram with python-telegram-bot --------------------------------------------------------


async def test_ptb_initialize_uses_get_me(tg):
    async with Bot(TOKEN, base_url=tg.ptb_base_url) as bot:
        assert bot.username == tg.bot_username
        assert bot.bot.is_bot is True
        assert bot.id == tg.bot_id
    call = tg.last_call("getMe")
    assert call.token == TOKEN
    assert call.method == "getMe"


async def test_ptb_send_message_with_inline_keyboard(tg):
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Gọi 111", callback_data="hotline")],
            [InlineKeyboardButton("Đọc thêm", url="https://example.org/an-toan")],
        ]
    )
    async with Bot(TOKEN, base_url=tg.ptb_base_url) as bot:
        message = await bot.send_message(
            chat_id=4242, text="Em an toàn chứ?", reply_markup=keyboard
        )
    assert message.text == "Em an toàn chứ?"
    assert message.chat.id == 4242
    assert message.from_user.id == tg.bot_id
    assert message.reply_markup.inline_keyboard[0][0].callback_data == "hotline"

    call = tg.last_call("sendMessage")
    assert call.params["chat_id"] == "4242"  # PTB posts form fields as strings
    assert isinstance(call.params["reply_markup"], str)
    assert call.params_decoded["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Gọi 111", "callback_data": "hotline"}],
            [{"text": "Đọc thêm", "url": "https://example.org/an-toan"}],
        ]
    }
    assert call.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert [m["message_id"] for m in tg.messages_to(4242)] == [message.message_id]


async def test_ptb_message_ids_increment(tg):
    async with Bot(TOKEN, base_url=tg.ptb_base_url) as bot:
        first = await bot.send_message(1, "một")
        second = await bot.send_message(1, "hai")
    assert second.message_id == first.message_id + 1


# PTB 22 itself warns, when raising RetryAfter, that retry_after will become a timedelta.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_ptb_gets_retry_after_then_forbidden_then_succeeds(tg):
    tg.fail_next("sendMessage", 429, retry_after=3)
    tg.fail_next("sendMessage", 403)
    async with Bot(TOKEN, base_url=tg.ptb_base_url) as bot:
        with pytest.raises(RetryAfter) as retry:
            await bot.send_message(42, "xin chào")
        assert _retry_seconds(retry.value) == 3
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(42, "xin chào")
        assert (await bot.send_message(42, "xin chào")).text == "xin chào"
    statuses = [c.status for c in tg.calls_to("sendMessage")]
    assert statuses == [429, 403, 200]
    assert tg.calls_to("sendMessage")[0].response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }


async def test_ptb_blocked_chat_and_bad_requests(tg):
    tg.block_chat(77)
    async with Bot(TOKEN, base_url=tg.ptb_base_url) as bot:
        with pytest.raises(Forbidden):
            await bot.send_message(77, "xin chào")
        with pytest.raises(BadRequest, match="(?i)too long"):
            await bot.send_message(1, "a" * 4097)
        too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
        with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
            await bot.send_message(1, "x", reply_markup=too_long)


async def test_ptb_invalid_token_is_rejected():
    with TelegramEmulator(valid_token=TOKEN) as emu:
        with pytest.raises(InvalidToken):
            await Bot("999:wrong", base_url=emu.ptb_base_url).initialize()
        async with Bot(TOKEN, base_url=emu.ptb_base_url) as bot:
            assert bot.username == emu.bot_username


async def test_ptb_get_updates_returns_injected_update_and_confirms_by_offset(tg):
    injected = tg.inject_update(tg.text_update(555, "Em bị bắt nạt ở trường"))
    async with Bot(TOKEN, base_url=tg.ptb_base_url) as bot:
        updates = await bot.get_updates(timeout=0)
        assert [u.update_id for u in updates] == [injected["update_id"]]
        assert updates[0].message.text == "Em bị bắt nạt ở trường"
        assert updates[0].effective_user.language_code == "vi"
        assert updates[0].effective_chat.type == "private"
        # not confirmed yet: handed out again
        assert len(await bot.get_updates(timeout=0)) == 1
        assert await bot.get_updates(offset=injected["update_id"] + 1, timeout=0) == ()
    assert tg.pending_updates == []


async def test_ptb_long_poll_wakes_up_when_an_update_arrives(tg):
    timer = threading.Timer(0.3, lambda: tg.inject_update(tg.text_update(9, "alo")))
    async with Bot(TOKEN, base_url=tg.ptb_base_url) as bot:
        started = time.monotonic()
        timer.start()
        updates = await bot.get_updates(timeout=3)
        elapsed = time.monotonic() - started
    assert [u.message.text for u in updates] == ["alo"]
    assert 0.2 < elapsed < 2.5
    assert tg.last_call("getUpdates").params["timeout"] == "3"


async def test_ptb_long_poll_times_out_empty(tg):
    async with Bot(TOKEN, base_url=tg.ptb_base_url) as bot:
        started = time.monotonic()
        assert await bot.get_updates(timeout=1) == ()
        assert 0.9 < time.monotonic() - started < 2.5


async def test_ptb_application_polling_roundtrip(tg):
    """A whole PTB Application polls the emulator and answers through it."""

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(f"Đã nhận: {update.message.text}")

    app = ApplicationBuilder().token(TOKEN).base_url(tg.ptb_base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await app.start()
        tg.inject_update(tg.text_update(808, "Em cần giúp"))
        await tg.await_calls("sendMessage")
        await app.updater.stop()
        await app.stop()
    assert tg.messages_to(808)[0]["text"] == "Đã nhận: Em cần giúp"
    assert tg.calls_to("deleteWebhook")  # start_polling clears any webhook first
    assert tg.pending_updates == []  # PTB confirmed the update with a higher offset


async def test_update_builders_parse_with_ptb(tg):
    bot = Bot(TOKEN, base_url=tg.ptb_base_url)
    built = {
        "command": tg.text_update(10, "/start"),
        "sticker": tg.sticker_update(10),
        "photo": tg.photo_update(10, caption="ảnh"),
        "edited": tg.edited_message_update(10, "sửa lại"),
        "location": tg.location_update(10),
        "voice": tg.voice_update(10),
        "document": tg.document_update(10),
        "callback": tg.callback_update(10, "hotline"),
        "blocked": tg.my_chat_member_update(10),
        "group": tg.text_update(-1001234567890, "chào nhóm", user_id=11),
    }
    ids = [u["update_id"] for u in built.values()]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    parsed = {name: Update.de_json(json.loads(json.dumps(u)), bot) for name, u in built.items()}
    assert parsed["command"].message.entities[0].type == "bot_command"
    assert parsed["sticker"].message.sticker.emoji
    assert parsed["photo"].message.photo[-1].width == 1280
    assert parsed["photo"].message.caption == "ảnh"
    assert parsed["edited"].edited_message.edit_date is not None
    assert parsed["location"].message.location.latitude == pytest.approx(21.028511)
    assert parsed["voice"].message.voice.mime_type == "audio/ogg"
    assert parsed["document"].message.document.file_name == "bai_tap.pdf"
    assert parsed["callback"].callback_query.data == "hotline"
    assert parsed["callback"].callback_query.message.from_user.is_bot
    assert parsed["blocked"].my_chat_member.new_chat_member.status == "kicked"
    assert parsed["group"].effective_chat.type == "supergroup"


async def test_callback_flow_answer_and_edit_markup(tg):
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Có", callback_data="yes")]])
    async with Bot(TOKEN, base_url=tg.ptb_base_url) as bot:
        sent = await bot.send_message(31, "Em có muốn gặp tư vấn viên?", reply_markup=keyboard)
        update = Update.de_json(tg.callback_update(31, "yes", message_id=sent.message_id), bot)
        query = update.callback_query
        assert query.message.reply_markup.inline_keyboard[0][0].callback_data == "yes"
        assert await bot.answer_callback_query(query.id, text="Đã nhận") is True
        with pytest.raises(BadRequest, match="(?i)query id is invalid"):
            await bot.answer_callback_query(query.id)
        edited = await bot.edit_message_reply_markup(31, sent.message_id, reply_markup=None)
        assert edited.reply_markup is None
        with pytest.raises(BadRequest, match="(?i)not modified"):
            await bot.edit_message_reply_markup(31, sent.message_id, reply_markup=None)
        with pytest.raises(BadRequest, match="(?i)not found"):
            await bot.edit_message_reply_markup(31, 999_999, reply_markup=None)
    assert tg.answered_callback_queries[query.id]["text"] == "Đã nhận"
    assert "reply_markup" not in tg.get_message(31, sent.message_id)


async def test_webhook_set_info_conflict_and_delete(tg, receiver):
    async with Bot(TOKEN, base_url=tg.ptb_base_url) as bot:
        assert await bot.set_webhook(receiver.url, secret_token="s3cr3t_Token-1") is True
        info = await bot.get_webhook_info()
        assert info.url == receiver.url
        assert tg.webhook["secret_token"] == "s3cr3t_Token-1"
        with pytest.raises(Conflict):
            await bot.get_updates(timeout=0)
        with pytest.raises(BadRequest):
            await bot.set_webhook(receiver.url, secret_token="not allowed!")
        await asyncio.to_thread(tg.deliver_update, tg.text_update(5, "qua webhook"))
        assert await bot.delete_webhook(drop_pending_updates=True) is True
        assert (await bot.get_webhook_info()).url == ""
        await bot.set_my_commands([("start", "Bắt đầu"), ("help", "Trợ giúp")])
        await bot.send_chat_action(5, "typing")
    assert tg.commands == [
        {"command": "start", "description": "Bắt đầu"},
        {"command": "help", "description": "Trợ giúp"},
    ]
    path, headers, body = receiver.requests[-1]
    assert path == "/hook"
    assert headers["x-telegram-bot-api-secret-token"] == "s3cr3t_Token-1"
    assert json.loads(body)["message"]["text"] == "qua webhook"


def test_post_webhook_with_and_without_secret(tg, receiver):
    update = tg.text_update(5, "xin chào")
    assert tg.post_webhook(receiver.url, update, secret_token="abc").status_code == 200
    assert tg.post_webhook(receiver.url, update).status_code == 200
    (_, with_secret, body), (_, without, _) = receiver.requests
    assert with_secret["x-telegram-bot-api-secret-token"] == "abc"
    assert "x-telegram-bot-api-secret-token" not in without
    assert with_secret["content-type"] == "application/json"
    assert json.loads(body) == update


def test_plain_http_clients_json_form_and_multipart(tg):
    url = f"{tg.base_url}/bot{TOKEN}"
    assert httpx.post(f"{url}/sendMessage", json={"chat_id": 1, "text": "json"}).json()["ok"]
    assert httpx.post(f"{url}/sendMessage", data={"chat_id": "1", "text": "form"}).json()["ok"]
    assert httpx.get(f"{url}/sendMessage", params={"chat_id": "1", "text": "query"}).json()["ok"]
    r = httpx.post(
        f"{url}/sendMessage",
        data={"chat_id": "1", "text": "multipart"},
        files={"attachment": ("a.txt", b"hello", "text/plain")},
    )
    assert r.json()["ok"]
    assert [c.params["text"] for c in tg.calls_to("SENDMESSAGE")] == [
        "json",
        "form",
        "query",
        "multipart",
    ]
    assert tg.last_call().params["attachment"]["size"] == 5
    unknown = httpx.post(f"{url}/noSuchMethod")
    assert unknown.status_code == 404 and unknown.json()["ok"] is False


def test_scripted_failures_any_method_times_and_plain_bodies(tg):
    url = f"{tg.base_url}/bot{TOKEN}"
    tg.fail_next("*", 502, body="<html>Bad Gateway</html>", times=2)
    assert httpx.post(f"{url}/getMe").status_code == 502
    assert httpx.post(f"{url}/getMe").text == "<html>Bad Gateway</html>"
    assert httpx.post(f"{url}/getMe").status_code == 200
    tg.fail_next("getMe", 500, times=None)
    for _ in range(3):
        assert httpx.post(f"{url}/getMe").json()["error_code"] == 500
    tg.clear_failures()
    assert httpx.post(f"{url}/getMe").status_code == 200
    tg.slow_next("getMe", 0.3)
    started = time.monotonic()
    assert httpx.post(f"{url}/getMe").status_code == 200
    assert time.monotonic() - started >= 0.3


# ---- Zalo OA --------------------------------------------------------------------------------


def _refresh(oa: ZaloOAEmulator, refresh_token: str | None, secret: str | None = None) -> dict:
    r = httpx.post(
        f"{oa.base_url}/v4/oa/access_token",
        headers={"secret_key": secret if secret is not None else oa.app_secret},
        data={"app_id": oa.app_id, "grant_type": "refresh_token", "refresh_token": refresh_token},
    )
    assert r.status_code == 200
    return r.json()


def _send_cs(oa: ZaloOAEmulator, token: str, user_id: str, text: str = "Chào em") -> dict:
    r = httpx.post(
        f"{oa.base_url}/v3.0/oa/message/cs",
        headers={"access_token": token},
        json={"recipient": {"user_id": user_id}, "message": {"text": text}},
    )
    assert r.status_code == 200
    return r.json()


def test_zalo_oa_refresh_rotates_tokens_and_rejects_reuse(oa):
    first_refresh, first_access = oa.refresh_token, oa.access_token
    answer = _refresh(oa, first_refresh)
    assert set(answer) == {"access_token", "refresh_token", "expires_in"}
    assert answer["expires_in"] == "90000"
    assert answer["access_token"] != first_access
    assert answer["refresh_token"] != first_refresh
    assert oa.refresh_token == answer["refresh_token"]

    reused = _refresh(oa, first_refresh)
    assert reused["error"] == -14014
    assert "access_token" not in reused

    again = _refresh(oa, answer["refresh_token"])
    assert again["refresh_token"] not in (first_refresh, answer["refresh_token"])
    assert oa.refresh_count == 2
    assert oa.used_refresh_tokens == [first_refresh, answer["refresh_token"]]

    assert _refresh(oa, oa.refresh_token, secret="wrong")["error"] < 0
    call = oa.calls_to("/v4/oa/access_token")[0]
    assert call.params["grant_type"] == "refresh_token"
    assert call.headers["secret_key"] == oa.app_secret


def test_zalo_oa_authorization_code_is_single_use(oa):
    code = oa.issue_authorization_code()
    form = {"app_id": oa.app_id, "grant_type": "authorization_code", "code": code}
    url = f"{oa.base_url}/v4/oa/access_token"
    headers = {"secret_key": oa.app_secret}
    assert "access_token" in httpx.post(url, headers=headers, data=form).json()
    assert httpx.post(url, headers=headers, data=form).json()["error"] < 0


def test_zalo_oa_send_checks_access_token(oa):
    ok = _send_cs(oa, oa.access_token, "8412345678901234567", "Em có thể gọi 111")
    assert ok["error"] == 0 and ok["message"] == "Success"
    assert ok["data"]["user_id"] == "8412345678901234567"
    second = _send_cs(oa, oa.access_token, "8412345678901234567")
    assert second["data"]["message_id"] != ok["data"]["message_id"]

    assert _send_cs(oa, "made-up", "1")["error"] == -216
    oa.expire_access_tokens()
    assert _send_cs(oa, oa.access_token, "1")["error"] == -216
    fresh = _refresh(oa, oa.refresh_token)["access_token"]
    assert _send_cs(oa, fresh, "1")["error"] == 0
    assert [m["message"]["text"] for m in oa.messages_to("8412345678901234567")] == [
        "Em có thể gọi 111",
        "Chào em",
    ]
    assert oa.last_call("v3.0/oa/message/cs").headers["access_token"] == fresh


def test_zalo_oa_scripted_errors_come_as_http_200(oa):
    oa.fail_next("/v3.0/oa/message/cs", error=-230)
    oa.fail_next("/v3.0/oa/message/cs", error=-32, times=2)
    codes = [_send_cs(oa, oa.access_token, "42")["error"] for _ in range(4)]
    assert codes == [-230, -32, -32, 0]
    first = oa.calls_to("/v3.0/oa/message/cs")[0].response
    assert first["message"] and first["error"] == -230


def test_zalo_oa_validation_buttons_and_transaction_path(oa):
    url = f"{oa.base_url}/v3.0/oa/message/cs"
    headers = {"access_token": oa.access_token}
    empty = httpx.post(url, headers=headers, json={"recipient": {"user_id": "1"}, "message": {}})
    assert empty.json()["error"] == -201
    buttons = {
        "text": "Cần giúp ngay?",
        "attachment": {
            "type": "template",
            "payload": {
                "buttons": [
                    {"title": "Gọi 111", "type": "oa.open.phone", "payload": {"phone_code": "111"}},
                    {"title": "Tư vấn", "type": "oa.query.show", "payload": "#tu_van"},
                ]
            },
        },
    }
    body = {"recipient": {"user_id": "1"}, "message": buttons}
    assert httpx.post(url, headers=headers, json=body).json()["error"] == 0
    bad = json.loads(json.dumps(body))
    bad["message"]["attachment"]["payload"]["buttons"][0]["type"] = "oa.call"
    assert httpx.post(url, headers=headers, json=bad).json()["error"] == -201
    tx = httpx.post(f"{oa.base_url}/v3.0/oa/message/transaction", headers=headers, json=body)
    assert tx.json()["error"] == 0
    info = httpx.get(f"{oa.base_url}/v2.0/oa/getoa", headers=headers).json()
    assert info["data"]["oa_id"] == oa.oa_id


def test_zalo_oa_interaction_window():
    with ZaloOAEmulator(window_days=7) as oa:
        assert _send_cs(oa, oa.access_token, "100")["error"] == -230
        oa.user_send_text("100", "chào")
        assert _send_cs(oa, oa.access_token, "100")["error"] == 0
        eight_days_ago = int(time.time() * 1000) - 8 * 86_400_000
        oa.user_send_text("200", "cũ", timestamp_ms=eight_days_ago)
        assert _send_cs(oa, oa.access_token, "200")["error"] == -230


def test_zalo_oa_signed_event_verifies_with_the_documented_formula(oa):
    event = oa.user_send_text("8412345678901234567", "Em sợ lắm", msg_id="abc123")
    raw, headers = oa.signed_event(event, "oa-secret", "app-777")
    expected = hashlib.sha256(
        b"app-777" + raw + event["timestamp"].encode() + b"oa-secret"
    ).hexdigest()
    assert headers["X-ZEvent-Signature"] == f"mac={expected}"
    assert zalo_oa_mac("app-777", raw, event["timestamp"], "oa-secret") == expected
    assert json.loads(raw) == event
    assert "Em sợ lắm".encode() in raw  # raw UTF-8, not \u escapes
    _, other = oa.signed_event(event, "another-secret", "app-777")
    assert other["X-ZEvent-Signature"] != headers["X-ZEvent-Signature"]


def test_zalo_oa_post_webhook_sends_raw_signed_body(oa, receiver):
    event = oa.user_send_text("1", "Cứu em")
    assert oa.post_webhook(receiver.url, event).status_code == 200
    assert oa.post_webhook(receiver.url, event, tamper=True).status_code == 200
    (_, headers, body), (_, tampered_headers, tampered) = receiver.requests
    mac = zalo_oa_mac(oa.app_id, body, event["timestamp"], oa.oa_secret_key)
    assert headers["x-zevent-signature"] == f"mac={mac}"
    tampered_mac = zalo_oa_mac(oa.app_id, tampered, event["timestamp"], oa.oa_secret_key)
    assert tampered_headers["x-zevent-signature"] != f"mac={tampered_mac}"


def test_zalo_oa_event_builders_have_the_real_shape(oa):
    user = "8412345678901234567"
    events = [
        oa.user_send_text(user, "xin chào"),
        oa.user_send_image(user),
        oa.user_send_sticker(user),
        oa.user_send_location(user),
        oa.user_send_file(user),
        oa.user_send_audio(user),
    ]
    for event in events:
        assert event["app_id"] == oa.app_id
        assert event["sender"]["id"] == user
        assert event["recipient"]["id"] == oa.oa_id
        assert event["timestamp"].isdigit() and len(event["timestamp"]) == 13
        assert event["message"]["msg_id"]
        assert event["user_id_by_app"].isdigit()
    assert [e["event_name"] for e in events] == [
        "user_send_text",
        "user_send_image",
        "user_send_sticker",
        "user_send_location",
        "user_send_file",
        "user_send_audio",
    ]
    assert events[0]["message"]["text"] == "xin chào"
    assert events[1]["message"]["attachments"][0]["type"] == "image"
    assert "coordinates" in events[3]["message"]["attachments"][0]["payload"]
    assert len({e["message"]["msg_id"] for e in events}) == len(events)
    follow, unfollow = oa.follow(user), oa.unfollow(user)
    assert (follow["event_name"], follow["follower"]["id"]) == ("follow", user)
    assert unfollow["event_name"] == "unfollow" and unfollow["oa_id"] == oa.oa_id
    echo = oa.oa_send_text(user, "Chào em")
    assert echo["sender"]["id"] == oa.oa_id and echo["recipient"]["id"] == user


# ---- Zalo Bot Platform ----------------------------------------------------------------------


def _zb(emu: ZaloBotEmulator, method: str, token: str = TOKEN, **body) -> httpx.Response:
    return httpx.post(f"{emu.base_url}/bot{token}/{method}", json=body, timeout=10)


def test_zalo_bot_get_updates_returns_one_update_then_408(zbot):
    first = zbot.inject_update(zbot.text_update("6ede9afa66b88fe6d6a9", "Xin chào"))
    second = zbot.inject_update(zbot.image_update("6ede9afa66b88fe6d6a9", caption="ảnh"))
    r1 = _zb(zbot, "getUpdates", timeout="30")
    assert r1.status_code == 200
    assert r1.json() == {"ok": True, "result": first}
    assert r1.json()["result"]["message"]["text"] == "Xin chào"
    assert _zb(zbot, "getUpdates", timeout="30").json()["result"] == second

    started = time.monotonic()
    empty = _zb(zbot, "getUpdates", timeout=0.4)
    assert 0.35 < time.monotonic() - started < 1.5
    assert empty.status_code == 408
    assert empty.json() == {"ok": False, "error_code": 408, "description": "Request timeout"}


def test_zalo_bot_long_poll_wakes_on_inject(zbot):
    timer = threading.Timer(0.2, lambda: zbot.inject_update(zbot.text_update("u1", "alo")))
    timer.start()
    started = time.monotonic()
    r = _zb(zbot, "getUpdates", timeout=30)  # capped at max_poll_timeout (2 s)
    assert r.status_code == 200 and r.json()["result"]["message"]["text"] == "alo"
    assert time.monotonic() - started < 1.5


def test_zalo_bot_send_methods_and_get_me(zbot):
    me = _zb(zbot, "getMe").json()
    assert me["ok"] and me["result"]["id"] == zbot.bot_id
    sent = _zb(zbot, "sendMessage", chat_id="abc.xyz", text="Chào em").json()
    assert sent["ok"] is True
    assert set(sent["result"]) >= {"message_id", "date"}
    again = _zb(zbot, "sendMessage", chat_id="abc.xyz", text="Lần hai").json()
    assert again["result"]["message_id"] != sent["result"]["message_id"]
    assert _zb(zbot, "sendMessage", chat_id="abc.xyz", text="").status_code == 400
    assert _zb(zbot, "sendMessage", chat_id="abc.xyz", text="a" * 2001).status_code == 400
    photo = _zb(zbot, "sendPhoto", chat_id="abc.xyz", photo="https://x/y.jpg", caption="c")
    assert photo.json()["ok"]
    assert _zb(zbot, "sendChatAction", chat_id="abc.xyz", action="typing").json() == {"ok": True}
    assert [m["method"] for m in zbot.messages_to("abc.xyz")] == [
        "sendMessage",
        "sendMessage",
        "sendPhoto",
    ]
    assert zbot.last_call("sendMessage").params == {"chat_id": "abc.xyz", "text": "a" * 2001}
    assert zbot.last_call("sendMessage").token == TOKEN


def test_zalo_bot_invalid_token_and_scripted_failure():
    with ZaloBotEmulator(valid_token=TOKEN) as emu:
        bad = _zb(emu, "getMe", token="1:wrong")
        assert bad.status_code == 401 and bad.json()["error_code"] == 401
        emu.fail_next("sendMessage", 429)
        limited = _zb(emu, "sendMessage", chat_id="u", text="x")
        assert limited.status_code == 429
        assert limited.json() == {"ok": False, "error_code": 429, "description": "Quota exceeded"}
        assert _zb(emu, "sendMessage", chat_id="u", text="x").json()["ok"] is True


def test_zalo_bot_webhook_roundtrip(zbot, receiver):
    assert _zb(zbot, "setWebhook", url=receiver.url, secret_token="short").status_code == 400
    r = _zb(zbot, "setWebhook", url=receiver.url, secret_token="mykey-abcxyz")
    assert r.json()["result"]["url"] == receiver.url
    assert _zb(zbot, "getWebhookInfo").json()["result"]["url"] == receiver.url
    assert _zb(zbot, "getUpdates", timeout=0).status_code == 409

    update = zbot.text_update("u1", "qua webhook")
    assert zbot.deliver_update(update).status_code == 200
    zbot.post_webhook(receiver.url, update, "mykey-abcxyz", envelope=False)
    (_, headers, body), (_, _, bare) = receiver.requests
    assert headers["x-bot-api-secret-token"] == "mykey-abcxyz"
    assert json.loads(body) == {"ok": True, "result": update}
    assert json.loads(bare) == update

    assert _zb(zbot, "deleteWebhook").json()["result"]["url"] == ""
    assert _zb(zbot, "getUpdates", timeout=0).status_code == 408


def test_zalo_bot_update_builders(zbot):
    updates = [
        zbot.text_update("c1", "chào"),
        zbot.image_update("c1"),
        zbot.sticker_update("c1"),
        zbot.unsupported_update("c1", display_name="Bé"),
    ]
    assert [u["event_name"] for u in updates] == [
        "message.text.received",
        "message.image.received",
        "message.sticker.received",
        "message.unsupported.received",
    ]
    for u in updates:
        m = u["message"]
        assert m["chat"] == {"id": "c1", "chat_type": "PRIVATE"}
        assert m["from"]["id"] == "c1" and m["from"]["is_bot"] is False
        assert isinstance(m["date"], int) and m["date"] > 1_600_000_000_000
        assert m["message_id"]
    assert updates[3]["message"]["from"]["display_name"] == "Bé"
    assert len({u["message"]["message_id"] for u in updates}) == 4


async def test_emulators_are_usable_from_async_code(zbot, oa):
    async with httpx.AsyncClient() as client:
        zbot.inject_update(zbot.text_update("u", "async"))
        r = await client.post(f"{zbot.base_url}/bot{TOKEN}/getUpdates", json={"timeout": 1})
        assert r.json()["result"]["message"]["text"] == "async"
        sent = await client.post(
            f"{oa.base_url}/v3.0/oa/message/cs",
            headers={"access_token": oa.access_token},
            json={"recipient": {"user_id": "9"}, "message": {"text": "hi"}},
        )
        assert sent.json()["error"] == 0
    calls = await oa.await_calls("/v3.0/oa/message/cs")
    assert calls[0].params_decoded["recipient"] == {"user_id": "9"}
