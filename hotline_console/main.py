"""App factory: ``create_app(settings)`` gives every test its own app and database."""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from bot.channels.webchat import WebChatAdapter
from bot.pipeline import Pipeline
from bot.rasa_client import RasaClient
from hotline_console.api.routes import cases, health, places, service, webchat
from hotline_console.core.config import Settings
from hotline_console.db import make_engine, make_sessionmaker, run_migrations
from hotline_console.events import EventBus

logger = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, migrate: bool = True) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if migrate:
            run_migrations(settings.database_url)
        await app.state.bus.start()
        retry = asyncio.create_task(_retry_loop(app, settings.retry_interval))
        yield
        retry.cancel()
        await app.state.bus.stop()
        app.state.engine.dispose()

    app = FastAPI(title="Hotline console", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.sessionmaker = make_sessionmaker(app.state.engine)
    app.state.rasa_client = RasaClient(settings.rasa_url, timeout=settings.rasa_timeout)
    app.state.bus = EventBus(settings.redis_url)
    app.state.adapters = {"webchat": WebChatAdapter()}
    app.state.pipeline = Pipeline(
        sessions=app.state.sessionmaker,
        rasa=app.state.rasa_client,
        adapters=app.state.adapters,
        bus=app.state.bus,
    )
    app.include_router(health.router)
    app.include_router(webchat.router)
    app.include_router(service.router)
    app.include_router(cases.router)
    app.include_router(places.router)
    app.mount(
        "/static",
        StaticFiles(directory=str(Path(__file__).parent / "static")),
        name="static",
    )
    return app


async def _retry_loop(app: FastAPI, interval: float) -> None:
    """Answer messages that waited while Rasa was down, once it is back."""
    while True:
        await asyncio.sleep(interval)
        try:
            await app.state.pipeline.retry_waiting()
        except Exception:  # noqa: BLE001 - keep the loop alive; the next round retries
            logger.exception("retrying waiting messages failed")


def app_from_env() -> FastAPI:
    """Entry point for uvicorn: ``uvicorn --factory hotline_console.main:app_from_env``."""
    return create_app(Settings())
