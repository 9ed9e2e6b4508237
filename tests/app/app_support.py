"""Constants and helpers shared by the app-env tests."""

from __future__ import annotations

import os

from hotline_console.core.config import Settings

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SERVICE_TOKEN = "test-service-token-0123456789abcdef"


def make_settings(database_url: str, **overrides) -> Settings:
    values = dict(
        environment="test",
        database_url=database_url,
        service_token=SERVICE_TOKEN,
        rasa_url="http://127.0.0.1:9",  # closed port unless a test starts Rasa
        rasa_timeout=3.0,
    )
    values.update(overrides)
    return Settings(**values)
