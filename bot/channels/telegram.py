"""Telegram through python-telegram-bot 22: webhook (secret token) or polling, one adapter."""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Any

from sqlalchemy.orm import sessionmaker
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.request import HTTPXRequest

from bot.channels import buttons
from bot.channels.base import ChannelAdapter, DeliveryResult, InboundMessage, OutboundMessage

logger = logging.getLogger(__name__)

MAX_TEXT = 4096
COMMANDS = {"/start": "/greet", "/help": "/menu", "/stop": "/unsubscribe", "/menu": "/menu"}
MAX_RETRY_AFTER = 10.0  # seconds we are willing to wait inline on a 429


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split at paragraph or line breaks so each part fits one Telegram message."""
    parts: list[str] = []
    while len(text) > limit:
        cut = max(
            text.rfind("\n\n", 0, limit), text.rfind("\n", 0, limit), text.rfind(" ", 0, limit)
        )
        cut = cut if cut > limit // 2 else limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    parts.append(text)
    return parts


def _seconds(value) -> float:  # noqa: ANN001 - int in PTB 22, timedelta in later releases
    return float(value.total_seconds() if hasattr(value, "total_seconds") else value)


class TelegramAdapter(ChannelAdapter):
    name = "telegram"

    def __init__(
        self,
        *,
        token: str,
        sessions: sessionmaker,
        api_base: str = "https://api.telegram.org",
        webhook_secret: str | None = None,
    ):
        self.sessions = sessions
        self.webhook_secret = webhook_secret
        base = api_base.rstrip("/")
        self.bot = Bot(
            token,
            base_url=f"{base}/bot",
            base_file_url=f"{base}/file/bot",
            request=HTTPXRequest(connection_pool_size=8, read_timeout=10, connect_timeout=5),
            get_updates_request=HTTPXRequest(read_timeout=40, connect_timeout=5),
        )
        self._polling: asyncio.Task | None = None

    async def start(self) -> None:
        await self.bot.initialize()

    async def close(self) -> None:
        if self._polling:
            self._polling.cancel()
        await self.bot.shutdown()

    # ---- inbound ----------------------------------------------------------------------
    def verify(self, header_value: str | None) -> bool:
        """Constant-time check of X-Telegram-Bot-Api-Secret-Token."""
        if not self.webhook_secret:
            return False  # webhook mode requires a secret
        return hmac.compare_digest((header_value or "").encode(), self.webhook_secret.encode())

    def parse(self, payload: dict[str, Any]) -> InboundMessage | None:
        """A Telegram update in the common form; None for updates we don't handle."""
        update = Update.de_json(payload, self.bot)
        if update is None:
            return None
        if update.callback_query is not None:
            query = update.callback_query
            data = query.data or ""
            return InboundMessage(
                channel=self.name,
                platform_user_id=str(query.from_user.id),
                kind="callback",
                platform_message_id=f"cb{query.id}",
                payload=buttons.recall(self.sessions, data)
                if data.startswith(buttons.PREFIX)
                else None,
                display_name=query.from_user.first_name,
                extra={"callback_query_id": query.id},
            )
        message = update.message or update.edited_message
        if message is None or message.chat.type != "private":
            return None  # channels, groups: not a conversation with a child
        user = message.from_user
        common = dict(
            channel=self.name,
            platform_user_id=str(message.chat.id),
            platform_message_id=f"{update.update_id}",
            display_name=user.first_name if user else None,
        )
        if update.edited_message is not None:
            return InboundMessage(kind="edited", text=message.text or "", **common)
        if message.text:
            command = message.text.split()[0].split("@")[0].lower()
            if command in COMMANDS:
                return InboundMessage(kind="command", payload=COMMANDS[command], text="", **common)
            return InboundMessage(kind="text", text=message.text, **common)
        if message.sticker:
            return InboundMessage(kind="sticker", **common)
        if message.photo:
            return InboundMessage(kind="photo", media_ref=message.photo[-1].file_id, **common)
        if message.voice or message.audio or message.video_note:
            media = message.voice or message.audio or message.video_note
            return InboundMessage(kind="voice", media_ref=media.file_id, **common)
        if message.document or message.video:
            media = message.document or message.video
            return InboundMessage(kind="file", media_ref=media.file_id, **common)
        if message.location:
            return InboundMessage(kind="location", **common)
        return InboundMessage(kind="unsupported", **common)

    async def acknowledge(self, msg: InboundMessage) -> None:
        """Stop the button's spinner; failures here must not block the reply."""
        query_id = msg.extra.get("callback_query_id")
        if query_id:
            try:
                await self.bot.answer_callback_query(query_id)
            except TelegramError as exc:
                logger.info("answerCallbackQuery failed: %s", type(exc).__name__)

    # ---- outbound ---------------------------------------------------------------------
    def _keyboard(self, message: OutboundMessage) -> InlineKeyboardMarkup | None:
        if not message.buttons:
            return None
        rows = [
            [
                InlineKeyboardButton(
                    b["title"][:64], callback_data=buttons.remember(self.sessions, b["payload"])
                )
            ]
            for b in message.buttons
        ]
        return InlineKeyboardMarkup(rows)

    async def send(self, platform_user_id: str, message: OutboundMessage) -> DeliveryResult:
        parts = split_text(message.text or " ")
        keyboard = self._keyboard(message)
        sent_id = None
        for i, part in enumerate(parts):
            markup = keyboard if i == len(parts) - 1 else None
            result = await self._send_one(platform_user_id, part, markup)
            if not result.ok:
                return result
            sent_id = result.platform_message_id
        return DeliveryResult(ok=True, platform_message_id=sent_id)

    async def _send_one(self, chat_id: str, text: str, markup) -> DeliveryResult:  # noqa: ANN001
        for attempt in range(2):
            try:
                sent = await self.bot.send_message(
                    chat_id=int(chat_id), text=text, reply_markup=markup
                )
                return DeliveryResult(ok=True, platform_message_id=str(sent.message_id))
            except RetryAfter as exc:
                wait = _seconds(exc.retry_after)
                if attempt == 0 and wait <= MAX_RETRY_AFTER:
                    await asyncio.sleep(wait)
                    continue
                return DeliveryResult(
                    ok=False, error=f"429 retry after {wait:g}s", retry_after=wait
                )
            except Forbidden as exc:
                return DeliveryResult(ok=False, error=f"403 {exc.message}"[:300], permanent=True)
            except BadRequest as exc:
                return DeliveryResult(ok=False, error=f"400 {exc.message}"[:300], permanent=True)
            except (TimedOut, NetworkError) as exc:
                if attempt == 0:
                    await asyncio.sleep(0.5)
                    continue
                return DeliveryResult(ok=False, error=f"network {type(exc).__name__}")
            except TelegramError as exc:
                return DeliveryResult(ok=False, error=f"telegram {exc.message}"[:300])
        return DeliveryResult(ok=False, error="not sent")

    # ---- polling ----------------------------------------------------------------------
    def start_polling(self, handle) -> None:  # noqa: ANN001
        """Poll getUpdates for deployments without public HTTPS; ``handle`` gets each update dict."""
        self._polling = asyncio.create_task(self._poll(handle))

    async def _poll(self, handle) -> None:  # noqa: ANN001
        await self.bot.delete_webhook()  # polling and webhook are mutually exclusive
        offset = None
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=offset,
                    timeout=30,
                    allowed_updates=["message", "edited_message", "callback_query"],
                )
            except RetryAfter as exc:
                await asyncio.sleep(_seconds(exc.retry_after))
                continue
            except (TimedOut, NetworkError):
                await asyncio.sleep(2)
                continue
            except TelegramError:
                logger.exception("getUpdates failed")
                await asyncio.sleep(5)
                continue
            for update in updates:
                try:
                    await handle(update.to_dict())
                except Exception:  # noqa: BLE001 - storage failed: do not confirm this update
                    logger.exception(
                        "update %s not stored; will be fetched again", update.update_id
                    )
                    break
                offset = update.update_id + 1
