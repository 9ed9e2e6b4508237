"""One settings class for the web app; every value comes from the environment."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEV_SERVICE_TOKEN = "dev-service-token-change-me"


class Settings(BaseSettings):
    """Web app settings. Secrets have development defaults that production refuses."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        "development", description="ENVIRONMENT: production refuses placeholder secrets."
    )
    database_url: str = Field(
        f"sqlite:///{PROJECT_ROOT / 'var' / 'hotline.db'}",
        description="DATABASE_URL: SQLAlchemy URL; PostgreSQL in production "
        "(postgresql+psycopg://user:pass@host/db).",
    )
    redis_url: str | None = Field(None, description="REDIS_URL: optional, for pub/sub.")
    rasa_url: str = Field("http://127.0.0.1:5005", description="RASA_URL: the Rasa server.")
    rasa_timeout: float = Field(
        8.0, description="RASA_TIMEOUT: seconds to wait for Rasa before the fallback reply."
    )
    service_token: str = Field(
        DEV_SERVICE_TOKEN,
        description="SERVICE_TOKEN: shared secret the action server uses to call this API.",
    )
    retry_interval: float = Field(
        15.0, description="RETRY_INTERVAL: seconds between retries of messages Rasa did not answer."
    )
    max_message_chars: int = Field(
        4096, description="MAX_MESSAGE_CHARS: longest accepted chat message."
    )

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> Settings:
        if self.environment == "production":
            if self.service_token == DEV_SERVICE_TOKEN or len(self.service_token) < 24:
                raise ValueError("SERVICE_TOKEN must be set to a random value of 24+ characters")
            if self.database_url.startswith("sqlite"):
                raise ValueError("DATABASE_URL must point to PostgreSQL in production")
        return self
