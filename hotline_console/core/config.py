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

    # ---- channels (every secret from the environment) -----------------------------
    telegram_bot_token: str | None = Field(None, description="TELEGRAM_BOT_TOKEN from @BotFather.")
    telegram_api_base: str = Field("https://api.telegram.org", description="TELEGRAM_API_BASE.")
    telegram_webhook_secret: str | None = Field(
        None,
        description="TELEGRAM_WEBHOOK_SECRET: set it to use webhook mode (1-256 of A-Za-z0-9_-).",
    )
    telegram_mode: Literal["polling", "webhook", "off"] | None = Field(
        None, description="TELEGRAM_MODE: default webhook when a secret is set, else polling."
    )
    zalo_oa_app_id: str | None = Field(None, description="ZALO_OA_APP_ID: the Zalo app id.")
    zalo_oa_secret_key: str | None = Field(
        None, description="ZALO_OA_SECRET_KEY: the OA secret key that signs webhooks."
    )
    zalo_app_secret: str | None = Field(None, description="ZALO_APP_SECRET: app secret for OAuth.")
    zalo_oa_refresh_token: str | None = Field(
        None,
        description="ZALO_OA_REFRESH_TOKEN: first refresh token; rotated tokens live in the database.",
    )
    zalo_oa_access_token: str | None = Field(
        None, description="ZALO_OA_ACCESS_TOKEN: optional first access token."
    )
    zalo_oa_api_base: str = Field("https://openapi.zalo.me", description="ZALO_OA_API_BASE.")
    zalo_oauth_base: str = Field("https://oauth.zaloapp.com", description="ZALO_OAUTH_BASE.")
    zalo_oa_signing_id: str | None = Field(
        None,
        description="ZALO_OA_SIGNING_ID: id prefixed to the signed body; defaults to the app id.",
    )
    zalo_bot_token: str | None = Field(None, description="ZALO_BOT_TOKEN: Zalo Bot Platform token.")
    zalo_bot_api_base: str = Field(
        "https://bot-api.zaloplatforms.com", description="ZALO_BOT_API_BASE."
    )
    zalo_bot_webhook_secret: str | None = Field(
        None, description="ZALO_BOT_WEBHOOK_SECRET: set it to use webhook mode."
    )
    zalo_bot_mode: Literal["polling", "webhook", "off"] | None = Field(
        None, description="ZALO_BOT_MODE: default webhook when a secret is set, else polling."
    )

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> Settings:
        if self.environment == "production":
            if self.service_token == DEV_SERVICE_TOKEN or len(self.service_token) < 24:
                raise ValueError("SERVICE_TOKEN must be set to a random value of 24+ characters")
            if self.database_url.startswith("sqlite"):
                raise ValueError("DATABASE_URL must point to PostgreSQL in production")
        return self
