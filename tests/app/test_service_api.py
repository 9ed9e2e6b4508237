"""The action server's API: token required, requests stored, urgent first."""

from sqlalchemy import select

from hotline_console.models import HandoffRequest, Subscription


def test_token_is_required(client):
    body = {"sender_id": "webchat:abc12345", "reason": "ask_human"}
    assert client.post("/api/v1/handoffs", json=body).status_code == 401
    forged = {"Authorization": "Bearer not-the-token"}
    assert client.post("/api/v1/handoffs", json=body, headers=forged).status_code == 401
    with client.app.state.sessionmaker() as db:
        assert db.scalars(select(HandoffRequest)).all() == []


def test_handoff_is_stored_and_urgent_comes_first(client, auth):
    r1 = client.post(
        "/api/v1/handoffs",
        json={"sender_id": "webchat:aaaa1111", "reason": "ask_human", "text": "cho em gặp người"},
        headers=auth,
    )
    assert r1.status_code == 201
    r2 = client.post(
        "/api/v1/handoffs",
        json={"sender_id": "webchat:bbbb2222", "reason": "urgent_danger", "text": "cứu em"},
        headers=auth,
    )
    assert r2.status_code == 201
    queue = client.get("/api/v1/handoffs", headers=auth).json()
    assert [h["sender_id"] for h in queue] == ["webchat:bbbb2222", "webchat:aaaa1111"]
    with client.app.state.sessionmaker() as db:
        stored = db.scalars(select(HandoffRequest).order_by(HandoffRequest.id)).all()
        assert [h.text for h in stored] == ["cho em gặp người", "cứu em"]


def test_second_request_reuses_the_open_one_and_urgent_raises_it(client, auth):
    for reason, text in (("ask_human", "gặp người thật"), ("urgent_danger", "bố đang đánh em")):
        client.post(
            "/api/v1/handoffs",
            json={"sender_id": "webchat:cccc3333", "reason": reason, "text": text},
            headers=auth,
        )
    queue = client.get("/api/v1/handoffs", headers=auth).json()
    assert len(queue) == 1 and queue[0]["reason"] == "urgent_danger"


def test_bad_input_is_rejected_clearly(client, auth):
    r = client.post("/api/v1/handoffs", json={"sender_id": "", "reason": "x"}, headers=auth)
    assert r.status_code == 422
    r = client.post(
        "/api/v1/subscriptions",
        json={"sender_id": "webchat:x1234567", "audience": "robot", "consent_text": "c"},
        headers=auth,
    )
    assert r.status_code == 422


def test_subscribe_then_unsubscribe(client, auth):
    sender = "webchat:dddd4444"
    r = client.post(
        "/api/v1/subscriptions",
        json={
            "sender_id": sender,
            "audience": "parent",
            "consent_text": "utter_ask_subscribe_confirm",
        },
        headers=auth,
    )
    assert r.status_code == 201 and r.json()["active"] is True
    r = client.post("/api/v1/subscriptions/cancel", json={"sender_id": sender}, headers=auth)
    assert r.status_code == 200 and r.json()["active"] is False
    with client.app.state.sessionmaker() as db:
        sub = db.scalars(select(Subscription)).one()
        assert sub.active is False and sub.cancelled_at is not None
    # subscribing again re-activates the same row
    client.post(
        "/api/v1/subscriptions",
        json={"sender_id": sender, "audience": "parent", "consent_text": "again"},
        headers=auth,
    )
    with client.app.state.sessionmaker() as db:
        assert db.scalars(select(Subscription)).one().active is True


def test_health_reports_database(client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "up"}


def test_places_resolve_current_units_and_map_old_provinces(client, auth):
    r = client.post("/api/v1/places/province", json={"q": "ha noi"}, headers=auth).json()
    assert r["found"] and r["name"] == "Thành phố Hà Nội"
    old = client.post("/api/v1/places/province", json={"q": "Bình Dương"}, headers=auth).json()
    assert old["name"] == "Thành phố Hồ Chí Minh" and "nay thuộc" in old["note"]
    none = client.post("/api/v1/places/province", json={"q": "Mặt Trăng"}, headers=auth).json()
    assert none["found"] is False
    ward = client.post(
        "/api/v1/places/commune",
        json={"province_code": r["code"], "q": "phuong ba dinh"},
        headers=auth,
    ).json()
    assert ward["name"] == "Phường Ba Đình"
    assert client.post("/api/v1/places/province", json={"q": "ha noi"}).status_code == 401
