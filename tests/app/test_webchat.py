"""Web chat without Rasa: the page, validation, and the hotline reply when Rasa is down."""

from sqlalchemy import select

from hotline_console.models import Case, Message


def test_page_is_served(client):
    r = client.get("/chat")
    assert r.status_code == 200
    assert "111" in r.text and "/static/chat.js" in r.text
    assert client.get("/static/chat.js").status_code == 200


def test_rasa_down_still_gives_the_hotline(client):
    r = client.post(
        "/api/v1/webchat/messages",
        json={"session_id": "abcd1234", "text": "lam sao de day con boi an toan"},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["degraded"] is True
    assert "111" in body["messages"][0]["text"]
    with client.app.state.sessionmaker() as db:
        incoming = db.scalars(select(Message).where(Message.direction == "incoming")).one()
        assert incoming.status == "waiting_bot"  # kept, answered when Rasa is back


def test_urgent_message_with_rasa_down_gets_numbers_and_opens_a_case(client):
    r = client.post(
        "/api/v1/webchat/messages", json={"session_id": "abcd1234", "text": "bo em dang danh em"}
    )
    texts = [m["text"] for m in r.json()["messages"]]
    assert "111" in texts[0] and "113" in texts[0]
    assert r.json()["messages"][0]["phone_buttons"][0] == {"title": "Gọi 111", "phone": "111"}
    assert any("tư vấn viên" in t for t in texts)
    with client.app.state.sessionmaker() as db:
        case = db.scalars(select(Case)).one()
        assert case.urgency == "urgent" and case.category == "physical_violence"


def test_duplicate_client_message_id_is_processed_once(client):
    body = {"session_id": "abcd1234", "text": "xin chao", "client_message_id": "m-1"}
    first = client.post("/api/v1/webchat/messages", json=body).json()
    second = client.post("/api/v1/webchat/messages", json=body).json()
    assert first["messages"] and second["messages"] == []
    with client.app.state.sessionmaker() as db:
        assert len(db.scalars(select(Message).where(Message.direction == "incoming")).all()) == 1


def test_poll_returns_messages_after_an_id(client):
    client.post("/api/v1/webchat/messages", json={"session_id": "poll1234", "text": "xin chao"})
    everything = client.get("/api/v1/webchat/messages", params={"session_id": "poll1234"}).json()
    assert everything["messages"]
    last = everything["last_id"]
    later = client.get(
        "/api/v1/webchat/messages", params={"session_id": "poll1234", "after": last}
    ).json()
    assert later["messages"] == []


def test_bad_session_id_and_overlong_text_are_rejected(client):
    r = client.post("/api/v1/webchat/messages", json={"session_id": "x", "text": "hi"})
    assert r.status_code == 422
    r = client.post("/api/v1/webchat/messages", json={"session_id": "abcd1234", "text": "a" * 5000})
    assert r.status_code == 422
    assert "4096" in r.text


def test_blank_text_gets_a_prompt(client):
    r = client.post("/api/v1/webchat/messages", json={"session_id": "abcd1234", "text": "   "})
    assert r.status_code == 200
    assert "Bạn muốn hỏi gì" in r.json()["messages"][0]["text"]
