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
from sqlalchemy import select

from hotline_console.main import create_app
from hotline_console.models import HandoffRequest, Subscription

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.rasa


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
        "rasa": subprocess.Popen(
            [
                rasa_bin,
                "run",
                "--model",
                model,
                "--enable-api",
                "--port",
                str(rasa_port),
                "--interface",
                "127.0.0.1",
                "--endpoints",
                str(endpoints),
                "--credentials",
                "credentials.yml",
            ],
            cwd=ROOT,
            env=env,
            stdout=open(logs / "rasa.log", "w"),
            stderr=subprocess.STDOUT,
        ),
    }
    db_url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'e2e.db'}"
    app = create_app(
        make_settings(db_url, rasa_url=f"http://127.0.0.1:{rasa_port}", rasa_timeout=20)
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
        yield {"web": f"http://127.0.0.1:{web_port}", "app": app, "procs": procs, "logs": logs}
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()


def chat(stack, text: str, session: str | None = None) -> dict:
    session = session or uuid.uuid4().hex[:16]
    r = httpx.post(
        f"{stack['web']}/api/v1/webchat/messages",
        json={"session_id": session, "text": text},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    return r.json()


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


def test_urgent_message_gives_numbers_and_records_a_request_for_a_person(stack):
    session = uuid.uuid4().hex[:16]
    body = chat(stack, "bo em dang danh em, cuu em voi", session)
    texts = [m["text"] for m in body["messages"]]
    assert "111" in texts[0] and "113" in texts[0]
    assert any("tư vấn viên" in t for t in texts)
    with stack["app"].state.sessionmaker() as db:
        row = db.scalars(
            select(HandoffRequest).where(HandoffRequest.sender_id == f"webchat:{session}")
        ).one()
        assert row.reason == "urgent_danger" and "bo em dang danh em" in row.text


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


def test_rasa_stopped_still_gives_the_hotline(stack):
    """Runs last: stops the Rasa server and checks the web chat still answers with 111."""
    rasa = stack["procs"]["rasa"]
    rasa.terminate()
    rasa.wait(timeout=30)
    body = chat(stack, "bo em dang danh em")
    assert body["degraded"] is True
    assert "111" in body["messages"][0]["text"]
