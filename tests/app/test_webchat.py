"""Web chat without Rasa: the page, validation, and the hotline reply when Rasa is down."""


def test_page_is_served(client):
    r = client.get("/chat")
    assert r.status_code == 200
    assert "111" in r.text and "/static/chat.js" in r.text
    assert client.get("/static/chat.js").status_code == 200


def test_rasa_down_still_gives_the_hotline(client):
    r = client.post(
        "/api/v1/webchat/messages", json={"session_id": "abcd1234", "text": "bo em dang danh em"}
    )
    assert r.status_code == 200
    body = r.json()
    assert body["degraded"] is True
    assert "111" in body["messages"][0]["text"]


def test_bad_session_id_and_overlong_text_are_rejected(client):
    r = client.post("/api/v1/webchat/messages", json={"session_id": "x", "text": "hi"})
    assert r.status_code == 422
    r = client.post("/api/v1/webchat/messages", json={"session_id": "abcd1234", "text": "a" * 5000})
    assert r.status_code == 422
    assert "4096" in r.text


def test_blank_text_gets_a_prompt(client):
    r = client.post("/api/v1/webchat/messages", json={"session_id": "abcd1234", "text": "   "})
    assert r.status_code == 200
    assert r.json()["degraded"] is False
