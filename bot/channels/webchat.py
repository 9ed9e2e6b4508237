"""Web chat: messages are stored and read back by the page, so "sending" always succeeds."""

from __future__ import annotations

import uuid

from bot.channels.base import ChannelAdapter, DeliveryResult, OutboundMessage


class WebChatAdapter(ChannelAdapter):
    name = "webchat"

    async def send(self, platform_user_id: str, message: OutboundMessage) -> DeliveryResult:
        # The outgoing row itself is the delivery: the page fetches it by polling.
        return DeliveryResult(ok=True, platform_message_id=f"web-{uuid.uuid4().hex[:12]}")
