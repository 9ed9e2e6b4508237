import pytest
from pydantic import ValidationError

from hotline_console.core.config import Settings


def test_production_refuses_placeholder_token_and_sqlite():
    with pytest.raises(ValidationError, match="SERVICE_TOKEN"):
        Settings(environment="production", database_url="postgresql+psycopg://h/db")
    with pytest.raises(ValidationError, match="PostgreSQL"):
        Settings(environment="production", service_token="x" * 32)
    ok = Settings(
        environment="production", service_token="x" * 32, database_url="postgresql+psycopg://h/db"
    )
    assert ok.environment == "production"


def test_values_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("RASA_URL", "http://rasa.internal:5005")
    monkeypatch.setenv("MAX_MESSAGE_CHARS", "1000")
    settings = Settings()
    assert settings.rasa_url == "http://rasa.internal:5005"
    assert settings.max_message_chars == 1000
