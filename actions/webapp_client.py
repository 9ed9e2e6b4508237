"""Thin HTTP client from the action server to the web app's API (service token, retries)."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)

RETRY_DELAYS = (0.2, 0.6, 1.5)


class WebAppUnavailable(RuntimeError):
    """The web app did not accept the request after every retry."""


def _base_url() -> str:
    return os.environ.get("WEBAPP_URL", "http://127.0.0.1:8000").rstrip("/")


def _headers() -> dict[str, str]:
    token = os.environ.get("SERVICE_TOKEN", "")
    return {"Authorization": f"Bearer {token}"} if token else {}


async def call(method: str, path: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    """Send one request; retry on connection errors and 5xx; raise WebAppUnavailable at the end.

    A 4xx answer is not retried: it means the request itself is wrong.
    """
    url = f"{_base_url()}{path}"
    timeout = aiohttp.ClientTimeout(total=float(os.environ.get("WEBAPP_TIMEOUT", "3")))
    last_error: str = ""
    for attempt, delay in enumerate((0.0, *RETRY_DELAYS)):
        if delay:
            await asyncio.sleep(delay)
        try:
            async with aiohttp.ClientSession(timeout=timeout, headers=_headers()) as session:
                async with session.request(method, url, json=payload) as resp:
                    body = await resp.json(content_type=None) if resp.content_length != 0 else {}
                    if resp.status < 400:
                        return body or {}
                    last_error = f"HTTP {resp.status}"
                    if resp.status < 500:
                        raise WebAppUnavailable(f"{method} {path}: {last_error} {body}")
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            last_error = type(exc).__name__
        logger.warning(
            "web app %s %s failed (attempt %d): %s", method, path, attempt + 1, last_error
        )
    raise WebAppUnavailable(f"{method} {path}: {last_error}")
