"""Real-time events for the console: stored in the events table, then published.

In-process subscribers always get them; with REDIS_URL they also go through Redis pub/sub,
so every web app replica's subscribers hear every event.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

logger = logging.getLogger(__name__)
CHANNEL = "hotline:events"


class EventBus:
    def __init__(self, redis_url: str | None = None):
        self._queues: set[asyncio.Queue] = set()
        self._redis_url = redis_url
        self._redis = None
        self._listener: asyncio.Task | None = None

    async def start(self) -> None:
        if not self._redis_url:
            return
        from redis import asyncio as aioredis

        self._redis = aioredis.from_url(self._redis_url)
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(CHANNEL)
        self._listener = asyncio.create_task(self._listen(pubsub))

    async def _listen(self, pubsub) -> None:  # noqa: ANN001
        async for item in pubsub.listen():
            if item.get("type") != "message":
                continue
            try:
                self._fan_out(json.loads(item["data"]))
            except ValueError:
                logger.warning("ignored a malformed event on %s", CHANNEL)

    async def stop(self) -> None:
        if self._listener:
            self._listener.cancel()
        if self._redis is not None:
            await self._redis.aclose()

    def subscribe(self) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue(maxsize=1000)
        self._queues.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue) -> None:
        self._queues.discard(queue)

    def _fan_out(self, event: dict[str, Any]) -> None:
        for queue in list(self._queues):
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:
                logger.warning("a slow event subscriber dropped an event; it re-reads the table")

    async def publish(self, event: dict[str, Any]) -> None:
        """Call after the transaction that stored the event has committed."""
        if self._redis is not None:
            try:
                await self._redis.publish(CHANNEL, json.dumps(event, default=str))
                return
            except Exception as exc:  # noqa: BLE001 - fall back to local delivery
                logger.warning("Redis publish failed (%s); delivering locally", type(exc).__name__)
        self._fan_out(event)
