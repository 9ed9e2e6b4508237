"""Fixtures of the app env: a fresh database per test (SQLite, and PostgreSQL for real)."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
for path in (ROOT, ROOT / "tests" / "emulators"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from app_support import IN_CI, PG_ADMIN_URL, SERVICE_TOKEN, make_settings  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from hotline_console.main import create_app  # noqa: E402


def _need(what: str, reason: str) -> None:
    """Skip with a reason on a laptop without the server; under CI=true, fail instead."""
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true: {reason}")
    pytest.skip(f"{what} not reachable: {reason}")


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'hotline.db'}"


@pytest.fixture
def postgres_url():
    """A new, empty PostgreSQL database, dropped afterwards."""
    from sqlalchemy import create_engine, text

    name = f"hotline_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        _need("PostgreSQL", str(exc).splitlines()[0])
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request) -> str:
    """Run a test on SQLite (the default) and on PostgreSQL (production)."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def client(database_url):
    app = create_app(make_settings(database_url))
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {SERVICE_TOKEN}"}
