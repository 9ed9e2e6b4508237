"""App factory: ``create_app(settings)`` gives every test its own app and database."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from bot.rasa_client import RasaClient
from hotline_console.api.routes import health, service, webchat
from hotline_console.core.config import Settings
from hotline_console.db import make_engine, make_sessionmaker, run_migrations

logger = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, migrate: bool = True) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if migrate:
            run_migrations(settings.database_url)
        yield
        app.state.engine.dispose()

    app = FastAPI(title="Hotline console", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = make_engine(settings.database_url)
    app.state.sessionmaker = make_sessionmaker(app.state.engine)
    app.state.rasa_client = RasaClient(settings.rasa_url, timeout=settings.rasa_timeout)
    app.include_router(health.router)
    app.include_router(webchat.router)
    app.include_router(service.router)
    app.mount(
        "/static",
        StaticFiles(directory=str(Path(__file__).parent / "static")),
        name="static",
    )
    return app


def app_from_env() -> FastAPI:
    """Entry point for uvicorn: ``uvicorn --factory hotline_console.main:app_from_env``."""
    return create_app(Settings())
