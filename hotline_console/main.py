"""App factory: ``create_app(settings)`` gives every test its own app and database."""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from bot.channels.base import ChannelAdapter
from bot.channels.webchat import WebChatAdapter
from bot.pipeline import Pipeline
from bot.rasa_client import RasaClient
from bot.triage_model import default_model
from hotline_console.api.routes import cases, health, places, service, webchat, webhooks
from hotline_console.core.config import Settings
from hotline_console.db import make_engine, make_sessionmaker, run_migrations
from hotline_console.events import EventBus

logger = logging.getLogger(__name__)


def build_adapters(settings: Settings, sessions) -> dict[str, ChannelAdapter]:  # noqa: ANN001
    """One adapter per configured platform; the web chat is always on."""
    adapters: dict[str, ChannelAdapter] = {"webchat": WebChatAdapter()}
    if settings.telegram_bot_token and settings.telegram_mode != "off":
        from bot.channels.telegram import TelegramAdapter

        adapters["telegram"] = TelegramAdapter(
            token=settings.telegram_bot_token,
            sessions=sessions,
            api_base=settings.telegram_api_base,
            webhook_secret=settings.telegram_webhook_secret,
        )
    if settings.zalo_oa_app_id and settings.zalo_oa_secret_key:
        from bot.channels.zalo_oa import ZaloOAAdapter

        adapters["zalo_oa"] = ZaloOAAdapter(
            sessions=sessions,
            app_id=settings.zalo_oa_app_id,
            oa_secret_key=settings.zalo_oa_secret_key,
            app_secret=settings.zalo_app_secret or "",
            refresh_token=settings.zalo_oa_refresh_token,
            access_token=settings.zalo_oa_access_token,
            api_base=settings.zalo_oa_api_base,
            oauth_base=settings.zalo_oauth_base,
            signing_id=settings.zalo_oa_signing_id,
        )
    if settings.zalo_bot_token and settings.zalo_bot_mode != "off":
        from bot.channels.zalo_bot import ZaloBotAdapter

        adapters["zalo_bot"] = ZaloBotAdapter(
            token=settings.zalo_bot_token,
            api_base=settings.zalo_bot_api_base,
            webhook_secret=settings.zalo_bot_webhook_secret,
        )
    return adapters


def _mode(explicit: str | None, secret: str | None) -> str:
    return explicit or ("webhook" if secret else "polling")


def create_app(settings: Settings | None = None, *, migrate: bool = True) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if migrate:
            run_migrations(settings.database_url)
        # The triage model learns from data/triage in a few seconds: do it before the first
        # message, off the event loop, so no child waits for it.
        await asyncio.to_thread(default_model)
        await app.state.bus.start()
        await _start_channels(app, settings)
        retry = asyncio.create_task(_retry_loop(app, settings.retry_interval))
        yield
        retry.cancel()
        await app.state.background.drain()
        for adapter in app.state.adapters.values():
            await adapter.close()
        await app.state.bus.stop()
        app.state.engine.dispose()

    app = FastAPI(title="Hotline console", version="0.2.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.sessionmaker = make_sessionmaker(app.state.engine)
    app.state.rasa_client = RasaClient(settings.rasa_url, timeout=settings.rasa_timeout)
    app.state.bus = EventBus(settings.redis_url)
    app.state.background = webhooks.Background()
    app.state.adapters = build_adapters(settings, app.state.sessionmaker)
    app.state.pipeline = Pipeline(
        sessions=app.state.sessionmaker,
        rasa=app.state.rasa_client,
        adapters=app.state.adapters,
        bus=app.state.bus,
    )
    for router in (health, webchat, webhooks, service, cases, places):
        app.include_router(router.router)
    app.mount(
        "/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static"
    )
    return app


async def _start_channels(app: FastAPI, settings: Settings) -> None:
    adapters = app.state.adapters

    def handler(name: str):  # noqa: ANN202
        adapter = adapters[name]

        async def handle(update: dict) -> None:
            msg = adapter.parse(update)
            if msg is None:
                return
            accepted = app.state.pipeline.accept(msg)  # raises if not stored: update re-fetched
            if not accepted.duplicate:
                app.state.background.spawn(webhooks._process(app, msg, accepted.message_id))

        return handle

    if "telegram" in adapters:
        try:
            await adapters["telegram"].start()
        except Exception as exc:  # noqa: BLE001 - the web chat must run even if Telegram is down
            logger.error("Telegram not reachable at start-up: %s", type(exc).__name__)
        if _mode(settings.telegram_mode, settings.telegram_webhook_secret) == "polling":
            adapters["telegram"].start_polling(handler("telegram"))
            logger.info("Telegram: polling %s", settings.telegram_api_base)
    if (
        "zalo_bot" in adapters
        and _mode(settings.zalo_bot_mode, settings.zalo_bot_webhook_secret) == "polling"
    ):
        adapters["zalo_bot"].start_polling(handler("zalo_bot"))


async def _retry_loop(app: FastAPI, interval: float) -> None:
    """Resend replies a platform refused for a passing reason; answer messages that waited
    while Rasa was down, once it is back."""
    while True:
        await asyncio.sleep(interval)
        try:
            await app.state.pipeline.resend_failed()
            await app.state.pipeline.retry_waiting()
        except Exception:  # noqa: BLE001 - keep the loop alive; the next round retries
            logger.exception("retrying waiting messages failed")


def app_from_env() -> FastAPI:
    """Entry point for uvicorn: ``uvicorn --factory hotline_console.main:app_from_env``."""
    return create_app(Settings())
