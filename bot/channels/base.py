"""The interface every channel adapter implements, and the common message shapes."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

# Kinds of inbound message the pipeline knows how to answer.
KINDS = (
    "text",
    "callback",
    "command",
    "sticker",
    "photo",
    "voice",
    "file",
    "location",
    "edited",
    "unsupported",
    "follow",
    "unfollow",
)


@dataclass
class InboundMessage:
    """A platform message parsed into the common form."""

    channel: str
    platform_user_id: str
    kind: str = "text"
    text: str = ""
    platform_message_id: str | None = None
    display_name: str | None = None
    payload: str | None = None  # a button's payload (callback) — sent to Rasa instead of text
    media_ref: str | None = None  # platform file id of a photo/file/voice; never downloaded
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class OutboundMessage:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)  # {title, payload}
    phone_buttons: list[dict[str, str]] = field(default_factory=list)  # {title, phone}


@dataclass
class DeliveryResult:
    """What the platform said. ``permanent`` errors (blocked, window closed) are not retried."""

    ok: bool
    platform_message_id: str | None = None
    error: str | None = None
    retry_after: float | None = None
    permanent: bool = False


class ChannelAdapter(ABC):
    """Parse inbound, verify, send outbound; report platform errors as DeliveryResult."""

    name: str = ""

    @abstractmethod
    async def send(self, platform_user_id: str, message: OutboundMessage) -> DeliveryResult:
        """Deliver one message to a user of this platform."""

    async def close(self) -> None:  # pragma: no cover - optional
        return None
