"""End to end with the real Rasa server, the real action server and the real web app.

``make test-app`` passes RASA_PYTHON and RASA_MODEL (the cached trained model). Rasa takes
about a minute to load, so one stack serves the whole module; the last test stops Rasa.
"""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest
import uvicorn
import yaml
from app_support import IN_CI, SERVICE_TOKEN, make_settings
from platform_emulators import TelegramEmulator, ZaloBotEmulator, ZaloOAEmulator
from sqlalchemy import select

from hotline_console.main import create_app
from hotline_console.models import Case, HandoffRequest, Message, Subscription

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.rasa
TG_SECRET = "e2e-telegram-secret"
ZB_SECRET = "e2e-zalo-bot-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{url}: process exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise TimeoutError(url)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    rasa_python, model = os.environ.get("RASA_PYTHON"), os.environ.get("RASA_MODEL")
    if not (rasa_python and model and Path(model).exists()):
        reason = "RASA_PYTHON and RASA_MODEL are not set (run through 'make test-app')"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    rasa_bin = str(Path(rasa_python).with_name("rasa"))
    web_port, rasa_port, action_port = free_port(), free_port(), free_port()
    logs = tmp_path_factory.mktemp("logs")
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        RASA_TELEMETRY_ENABLED="false",
        WEBAPP_URL=f"http://127.0.0.1:{web_port}",
        SERVICE_TOKEN=SERVICE_TOKEN,
        ACTION_ENDPOINT_URL=f"http://127.0.0.1:{action_port}/webhook",
    )
    endpoints = logs / "endpoints.yml"
    endpoints.write_text(
        (ROOT / "endpoints.yml")
        .read_text(encoding="utf-8")
        .replace("http://127.0.0.1:5055/webhook", env["ACTION_ENDPOINT_URL"]),
        encoding="utf-8",
    )
    procs = {
        "actions": subprocess.Popen(
            [rasa_bin, "run", "actions", "--actions", "actions", "--port", str(action_port)],
            cwd=ROOT,
            env=env,
            stdout=open(logs / "actions.log", "w"),
            stderr=subprocess.STDOUT,
        ),
        "rasa": start_rasa(rasa_bin, model, rasa_port, endpoints, env, logs),
    }
    db_url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'e2e.db'}"
    telegram, zalo_oa, zalo_bot = (
        TelegramEmulator().start(),
        ZaloOAEmulator().start(),
        ZaloBotEmulator().start(),
    )
    app = create_app(
        make_settings(
            db_url,
            rasa_url=f"http://127.0.0.1:{rasa_port}",
            rasa_timeout=20,
            retry_interval=2,
            telegram_bot_token="42:E2E-token",
            telegram_api_base=telegram.base_url,
            telegram_webhook_secret=TG_SECRET,
            zalo_oa_app_id=zalo_oa.app_id,
            zalo_oa_secret_key=zalo_oa.oa_secret_key,
            zalo_app_secret=zalo_oa.app_secret,
            zalo_oa_refresh_token=zalo_oa.refresh_token,
            zalo_oa_access_token=zalo_oa.access_token,
            zalo_oa_api_base=zalo_oa.base_url,
            zalo_oauth_base=zalo_oa.base_url,
            zalo_bot_token="zb-e2e",
            zalo_bot_api_base=zalo_bot.base_url,
            zalo_bot_webhook_secret=ZB_SECRET,
        )
    )
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=web_port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_for(f"http://127.0.0.1:{web_port}/healthz", 30)
        wait_for(f"http://127.0.0.1:{action_port}/health", 120, procs["actions"])
        wait_for(f"http://127.0.0.1:{rasa_port}/status", 300, procs["rasa"])
        yield {
            "web": f"http://127.0.0.1:{web_port}", "app": app, "procs": procs, "logs": logs,
            "telegram": telegram, "zalo_oa": zalo_oa, "zalo_bot": zalo_bot,
            "restart_rasa": lambda: start_rasa(rasa_bin, model, rasa_port, endpoints, env, logs),
            "rasa_url": f"http://127.0.0.1:{rasa_port}",
        }  # fmt: skip
    finally:
        for emulator in (telegram, zalo_oa, zalo_bot):
            emulator.stop()
        server.should_exit = True
        thread.join(timeout=10)
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()


def start_rasa(rasa_bin, model, port, endpoints, env, logs) -> subprocess.Popen:  # noqa: ANN001
    return subprocess.Popen(
        [rasa_bin, "run", "--model", model, "--enable-api", "--port", str(port),
         "--interface", "127.0.0.1", "--endpoints", str(endpoints), "--credentials", "credentials.yml"],
        cwd=ROOT, env=env, stdout=open(logs / "rasa.log", "a"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def chat(stack, text: str, session: str | None = None) -> dict:
    session = session or uuid.uuid4().hex[:16]
    r = httpx.post(
        f"{stack['web']}/api/v1/webchat/messages",
        json={"session_id": session, "text": text},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    return r.json()


def wait_until(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def guidance(topic: str, audience: str = "child") -> str:
    doc = yaml.safe_load((ROOT / "data" / "guidance" / f"{topic}.yml").read_text(encoding="utf-8"))
    entry = next(a for a in doc["articles"] if a["audience"] == audience and a.get("entry"))
    return entry["messages"][0]


@pytest.mark.parametrize(
    "text",
    [
        "làm sao để không bị đuối nước khi đi bơi",
        "lam sao de khong bi duoi nuoc khi di boi",
        "e mun di tắm sông vs bn thì fải lm j để k bị chết đuối",
    ],
)
def test_three_orthographies_get_the_drowning_guidance(stack, text):
    body = chat(stack, text)
    assert body["degraded"] is False
    assert body["messages"][0]["text"] == guidance("drowning")
    assert "Nguồn:" in body["messages"][-1]["text"]


def test_parent_gets_the_parent_version_after_saying_who_they_are(stack):
    session = uuid.uuid4().hex[:16]
    reply = chat(stack, "tôi là phụ huynh có con học lớp 3", session)
    assert len(reply["messages"][0]["buttons"]) == 10
    reply = chat(stack, "con toi di xe dap den truong can chu y gi", session)
    assert reply["messages"][0]["text"] == guidance("traffic", "parent")


def test_button_payload_opens_the_deeper_article(stack):
    session = uuid.uuid4().hex[:16]
    first = chat(stack, "bị bỏng phải làm sao", session)
    button = first["messages"][-1]["buttons"][0]
    deeper = chat(stack, button["payload"], session)
    assert deeper["messages"][0]["text"] != first["messages"][0]["text"]
    assert "Nguồn:" in deeper["messages"][-1]["text"]


def test_urgent_message_gives_numbers_and_opens_an_urgent_case(stack):
    session = uuid.uuid4().hex[:16]
    body = chat(stack, "bo em dang danh em, cuu em voi", session)
    texts = [m["text"] for m in body["messages"]]
    assert "111" in texts[0] and "113" in texts[0]
    assert any("tư vấn viên" in t for t in texts)
    with stack["app"].state.sessionmaker() as db:
        case = db.scalars(select(Case).where(Case.source == "triage")).all()[-1]
        assert (
            case.urgency == "urgent"
            and case.transcript[-1]["text"] == "bo em dang danh em, cuu em voi"
        )


def test_asking_for_a_person_queues_the_conversation(stack):
    session = uuid.uuid4().hex[:16]
    chat(stack, "xin chào", session)
    body = chat(stack, "cho em nói chuyện với tư vấn viên", session)
    assert any("tư vấn viên" in m["text"] for m in body["messages"])
    with stack["app"].state.sessionmaker() as db:
        row = db.scalars(
            select(HandoffRequest).where(HandoffRequest.sender_id == f"webchat:{session}")
        ).one()
        assert row.reason == "ask_human"
    later = chat(stack, "em đợi ạ", session)  # now the hotline's, not the bot's
    assert later["messages"][0]["text"].startswith("Tư vấn viên đã nhận được tin")


def test_subscription_needs_consent_and_is_stored(stack):
    session = uuid.uuid4().hex[:16]
    ask = chat(stack, "mình muốn đăng ký nhận tin an toàn", session)
    assert [b["payload"] for b in ask["messages"][0]["buttons"]] == ["/affirm", "/deny"]
    done = chat(stack, "/affirm", session)
    assert "đã đăng ký" in done["messages"][0]["text"]
    with stack["app"].state.sessionmaker() as db:
        sub = db.scalars(
            select(Subscription).where(Subscription.sender_id == f"webchat:{session}")
        ).one()
        assert sub.active is True


def test_gibberish_gets_the_fallback_with_111(stack):
    body = chat(stack, "qwzx plorf vvv")
    assert any("111" in m["text"] for m in body["messages"])


def test_report_form_through_the_web_chat_creates_a_case(stack):
    session = uuid.uuid4().hex[:16]
    steps = [
        ("Tôi muốn báo cáo nhà hàng xóm thường xuyên đánh con", "hay với một trẻ khác"),
        ("một trẻ khác", "bao nhiêu tuổi"),
        ("25", "dưới 18"),
        ("9", "nam hay nữ"),
        ("bé trai", "tỉnh hoặc thành phố"),
        ("Bình Dương", "xã hoặc phường"),
        ("không biết", "chuyện gì đã xảy ra"),
        ("Cháu hay bị bố mẹ mắng và không cho đi học", "tiếp xúc được với trẻ"),
        ("vẫn còn", "Đã có ai làm gì"),
        ("chưa", "số điện thoại"),
        ("không", "gửi báo cáo này"),
        ("Gửi báo cáo", "Báo cáo số"),
    ]
    for text, expected in steps:
        body = chat(stack, text, session)
        joined = "\n".join(m["text"] for m in body["messages"])
        assert expected in joined, (text, joined)
    with stack["app"].state.sessionmaker() as db:
        case = db.scalars(select(Case).where(Case.source == "report_form")).one()
        assert case.intake["child_age"] == "9"
        assert case.intake["province"] == "Thành phố Hồ Chí Minh"  # Bình Dương merged in 2025
        assert case.intake["reporter_contact"] is None  # anonymous


def test_telegram_end_to_end(stack):
    telegram = stack["telegram"]
    r = telegram.post_webhook(
        f"{stack['web']}/webhooks/telegram",
        telegram.text_update(9001, "lam sao de khong bi duoi nuoc khi di boi"),
        secret_token=TG_SECRET,
    )
    assert r.status_code == 200
    telegram.wait_for_calls("sendMessage", count=1, timeout=20)
    assert wait_until(
        lambda: any(m["text"] == guidance("drowning") for m in telegram.messages_to(9001))
    )
    forged = telegram.post_webhook(
        f"{stack['web']}/webhooks/telegram", telegram.text_update(9001, "hi"), secret_token="forged"
    )
    assert forged.status_code == 403


def test_zalo_oa_end_to_end(stack):
    zalo_oa = stack["zalo_oa"]
    r = zalo_oa.post_webhook(
        f"{stack['web']}/webhooks/zalo-oa", zalo_oa.user_send_text("7001", "xin chào")
    )
    assert r.status_code == 200
    assert wait_until(lambda: len(zalo_oa.messages_to("7001")) >= 1, 20)
    forged = zalo_oa.post_webhook(
        f"{stack['web']}/webhooks/zalo-oa", zalo_oa.user_send_text("7001", "xin chào"), tamper=True
    )
    assert forged.status_code == 401


def test_zalo_bot_end_to_end(stack):
    zalo_bot = stack["zalo_bot"]
    r = zalo_bot.post_webhook(
        f"{stack['web']}/webhooks/zalo-bot", zalo_bot.text_update("z-1", "bị bỏng phải làm sao"),
        secret_token=ZB_SECRET,
    )  # fmt: skip
    assert r.status_code == 200
    assert wait_until(
        lambda: any(
            m["text"].startswith(guidance("injury")[:40]) for m in zalo_bot.messages_to("z-1")
        ),
        20,
    )


def test_rasa_stopped_then_back_answers_the_waiting_message(stack):
    """Runs last: stops Rasa, checks every channel still answers with 111 and keeps the
    message, then starts Rasa again and checks the waiting message gets its real answer."""
    rasa = stack["procs"]["rasa"]
    rasa.terminate()
    rasa.wait(timeout=30)
    body = chat(stack, "bo em dang danh em")
    assert "111" in body["messages"][0]["text"]  # the urgent path needs no Rasa
    telegram = stack["telegram"]
    telegram.post_webhook(
        f"{stack['web']}/webhooks/telegram",
        telegram.text_update(9002, "lam sao de day con boi an toan"),
        secret_token=TG_SECRET,
    )
    assert wait_until(lambda: any("111" in m["text"] for m in telegram.messages_to(9002)), 20)
    with stack["app"].state.sessionmaker() as db:
        waiting = db.scalars(select(Message).where(Message.status == "waiting_bot")).all()
        assert [m.text for m in waiting] == ["lam sao de day con boi an toan"]
    stack["procs"]["rasa"] = stack["restart_rasa"]()
    wait_for(f"{stack['rasa_url']}/status", 300, stack["procs"]["rasa"])

    # the web app's own retry loop (every 2 s here) answers the message that waited
    def still_waiting() -> list:
        with stack["app"].state.sessionmaker() as db:
            return db.scalars(select(Message).where(Message.status == "waiting_bot")).all()

    # (the reply is sent before the message is marked answered: wait for both)
    assert wait_until(lambda: not still_waiting(), 60)
    assert wait_until(lambda: len(telegram.messages_to(9002)) >= 2, 10)
