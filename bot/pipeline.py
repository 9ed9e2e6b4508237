"""The one inbound pipeline every platform's messages go through (app env).

accept (store, drop duplicates; before the platform gets its 2xx) → process: triage →
urgent path (case stored, then emergency reply) → a person owns the conversation? hand it
over : forward to Rasa → send replies through the same adapter, each reply stored before it
is sent and marked after.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot import urgent
from bot.channels.base import ChannelAdapter, InboundMessage, OutboundMessage
from bot.rasa_client import SERVICE_UNAVAILABLE_TEXT, BotReply, RasaClient, RasaUnavailable
from bot.triage import Lexicon, Verdict, assess
from hotline_console.events import EventBus
from hotline_console.models import Case, Contact, Conversation, Event, Message, utcnow

logger = logging.getLogger(__name__)

MAX_RASA_CHARS = 1000  # longer messages are triaged whole, but Rasa reads the start
TRANSCRIPT_LIMIT = 50
EMERGENCY_WINDOW = timedelta(hours=12)  # Decree 56/2017: emergency measures within 12 hours
RESEND_WINDOW = timedelta(hours=1)  # a reply older than this is stale: record it, don't send it

NON_TEXT_REPLIES = {
    "sticker": "Cảm ơn bạn! Mình chỉ đọc được chữ thôi. Bạn muốn hỏi gì, hãy nhắn cho mình nhé.",
    "photo": "Mình không xem được ảnh, và bạn không cần gửi ảnh cho mình. Bạn hãy kể bằng chữ nhé. "
    "Nếu cần giúp ngay, gọi 111 (miễn phí, 24/7).",
    "voice": "Mình chưa nghe được tin nhắn thoại. Bạn nhắn bằng chữ giúp mình nhé, "
    "hoặc gọi 111 để nói chuyện trực tiếp (miễn phí, 24/7).",
    "file": "Mình không mở được tệp. Bạn kể bằng chữ giúp mình nhé. Nếu cần giúp ngay, gọi 111.",
    "location": "Mình đã nhận được vị trí. Nếu bạn đang gặp nguy hiểm, hãy gọi ngay 113 hoặc 111.",
    "unsupported": "Mình chưa đọc được loại tin nhắn này. Bạn nhắn bằng chữ giúp mình nhé.",
    "empty": "Bạn muốn hỏi gì? Hãy nhắn cho mình nhé.",
}
# Media that may carry evidence of harm: kept only as a reference on the case.
EVIDENCE_KINDS = {"photo", "file", "voice"}


@dataclass
class Accepted:
    message_id: int | None
    duplicate: bool


class Pipeline:
    def __init__(
        self,
        *,
        sessions: sessionmaker,
        rasa: RasaClient,
        adapters: dict[str, ChannelAdapter],
        bus: EventBus,
        lexicon: Lexicon | None = None,
    ):
        self.sessions = sessions
        self.rasa = rasa
        self.adapters = adapters
        self.bus = bus
        self.lexicon = lexicon

    # ---- accept: runs before the platform gets its answer --------------------------------
    def accept(self, msg: InboundMessage) -> Accepted:
        """Store the message; a platform retry of the same message id is a duplicate.

        Database errors propagate: the webhook then answers 5xx and the platform retries.
        """
        with self.sessions() as db:
            contact = self._contact(db, msg)
            conversation = self._open_conversation(db, contact)
            row = Message(
                conversation_id=conversation.id,
                channel=msg.channel,
                direction="incoming",
                sender="user",
                kind=msg.kind,
                text=msg.text or "",
                payload={"button": msg.payload, "media_ref": msg.media_ref, **msg.extra}
                if (msg.payload or msg.media_ref or msg.extra)
                else None,
                platform_message_id=msg.platform_message_id,
                status="received",
            )
            db.add(row)
            contact.last_inbound_at = utcnow()
            try:
                db.commit()
            except IntegrityError:
                db.rollback()
                logger.info("duplicate delivery dropped (%s)", msg.channel)
                return Accepted(None, True)
            return Accepted(row.id, False)

    def _contact(self, db: Session, msg: InboundMessage) -> Contact:
        query = select(Contact).where(
            Contact.channel == msg.channel, Contact.platform_user_id == msg.platform_user_id
        )
        contact = db.scalars(query).first()
        if contact is None:
            contact = Contact(
                channel=msg.channel,
                platform_user_id=msg.platform_user_id,
                display_name=msg.display_name,
            )
            db.add(contact)
            try:
                db.flush()
            except IntegrityError:  # created concurrently by another request
                db.rollback()
                contact = db.scalars(query).one()
        return contact

    def _open_conversation(self, db: Session, contact: Contact) -> Conversation:
        conversation = db.scalars(
            select(Conversation)
            .where(Conversation.contact_id == contact.id, Conversation.status != "resolved")
            .order_by(Conversation.id.desc())
        ).first()
        if conversation is None:
            conversation = Conversation(contact_id=contact.id, status="pending")
            db.add(conversation)
            db.flush()
        return conversation

    # ---- process -----------------------------------------------------------------------
    async def process(self, message_id: int) -> None:
        """Triage and route one stored message. Safe to call twice: only 'received' runs."""
        with self.sessions() as db:
            msg = db.get(Message, message_id)
            if msg is None or msg.status != "received":
                return
            conversation = msg.conversation
            contact = conversation.contact
            context = [
                m.text
                for m in db.scalars(
                    select(Message)
                    .where(
                        Message.conversation_id == conversation.id,
                        Message.direction == "incoming",
                        Message.id < msg.id,
                    )
                    .order_by(Message.id.desc())
                    .limit(2)
                )
            ][::-1]
            if conversation.urgency == "urgent":
                context = []  # already escalated: only a new danger in this message re-alerts
            kind, text, button = (
                msg.kind,
                (msg.text or "").strip(),
                (msg.payload or {}).get("button"),
            )
            channel, user_id, sender_id = (
                contact.channel,
                contact.platform_user_id,
                contact.sender_id,
            )
            conversation_id = conversation.id

        if kind in EVIDENCE_KINDS or kind in ("sticker", "location", "unsupported"):
            await self._non_text(message_id, conversation_id, channel, user_id, kind)
            return
        if kind in ("follow", "unfollow") or (kind == "edited" and not text):
            self._mark(message_id, "answered")
            return
        if not text and not button:
            await self._send(
                conversation_id, channel, user_id, OutboundMessage(NON_TEXT_REPLIES["empty"])
            )
            self._mark(message_id, "answered")
            return

        verdict = Verdict()
        if text and not text.startswith("/"):
            verdict = assess(text, context=context, lexicon=self.lexicon)
            if verdict.is_urgent:
                await self._urgent(message_id, conversation_id, channel, user_id, verdict)
                return
            nlu = await self._parse(text[:MAX_RASA_CHARS])
            if nlu is not None:
                verdict = assess(text, nlu=nlu, context=context, lexicon=self.lexicon)
                if verdict.is_urgent:
                    await self._urgent(message_id, conversation_id, channel, user_id, verdict)
                    return
        self._record_triage(message_id, conversation_id, verdict)

        if await self._handed_over(message_id, conversation_id, channel, user_id):
            return
        try:
            replies = await self.rasa.send(sender_id, button or text[:MAX_RASA_CHARS])
        except RasaUnavailable as exc:
            logger.warning("Rasa unavailable (%s); message %s waits", exc, message_id)
            replies = []
        if not replies:
            # Recorded as waiting before the notice goes out: the retry loop owns it from here,
            # even if sending the notice fails or the process stops.
            self._mark(message_id, "waiting_bot")
            await self._send(
                conversation_id, channel, user_id, OutboundMessage(SERVICE_UNAVAILABLE_TEXT)
            )
            return
        for reply in replies:
            await self._send(conversation_id, channel, user_id, _outbound(reply))
        self._mark(message_id, "answered")

    async def retry_waiting(self, limit: int = 50) -> int:
        """Answer messages that waited while Rasa was down; returns how many were answered."""
        if not await self.rasa.is_ready():
            return 0
        with self.sessions() as db:
            waiting = list(
                db.scalars(
                    select(Message.id)
                    .where(Message.direction == "incoming", Message.status == "waiting_bot")
                    .order_by(Message.id)
                    .limit(limit)
                )
            )
        answered = 0
        for message_id in waiting:
            with self.sessions() as db:
                msg = db.get(Message, message_id)
                contact = msg.conversation.contact
                text = (msg.payload or {}).get("button") or msg.text
                args = (msg.conversation_id, contact.channel, contact.platform_user_id)
                sender_id = contact.sender_id
                owned = msg.conversation.status in ("queued", "open")
            if owned:
                self._mark(message_id, "handed_off")
                continue
            try:
                replies = await self.rasa.send(sender_id, text[:MAX_RASA_CHARS])
            except RasaUnavailable:
                break
            for reply in replies:
                await self._send(*args, _outbound(reply))
            self._mark(message_id, "answered")
            answered += 1
        return answered

    async def _parse(self, text: str) -> dict[str, Any] | None:
        try:
            return await self.rasa.parse(text)
        except RasaUnavailable:
            return None

    # ---- urgent path -------------------------------------------------------------------
    async def _urgent(
        self, message_id: int, conversation_id: int, channel: str, user_id: str, verdict: Verdict
    ) -> None:
        if await self._urgent_path(message_id, conversation_id, channel, user_id, verdict):
            return
        if not await self._handed_over(message_id, conversation_id, channel, user_id):
            # the case is open but the conversation is no longer with a person: never silence
            await self._send(conversation_id, channel, user_id, urgent.emergency_reply(verdict))

    async def _urgent_path(
        self, message_id: int, conversation_id: int, channel: str, user_id: str, verdict: Verdict
    ) -> bool:
        """Store the case with signals and transcript, publish, then reply — in that order.

        Returns True when the conversation's first alert was raised and answered. A further
        urgent message in an escalated conversation updates the case and its event (the
        operator sees it at once), repeats the emergency numbers only when the danger is of a
        new kind, and returns False: the caller then goes on with the safety questions. In a
        conversation an operator already has, the case and event are recorded and nothing is
        sent automatically: the operator answers."""
        first_alert = False
        new_kind = False
        with self.sessions() as db:
            msg = db.get(Message, message_id)
            msg.triage = verdict.as_dict()
            msg.status = "handed_off"
            conversation = db.get(Conversation, conversation_id)
            conversation.urgency = "urgent"
            operator_has_it = conversation.status == "open"
            if conversation.status == "pending":
                conversation.status = "queued"
            conversation.updated_at = utcnow()
            case = self._open_urgent_case(db, conversation_id)
            signals = [s for s in verdict.as_dict()["signals"]]
            if case is None:
                first_alert = True
                case = Case(
                    conversation_id=conversation_id,
                    source="triage",
                    urgency="urgent",
                    category=verdict.category or "other",
                    status="new",
                    signals=signals,
                    transcript=self._transcript(db, conversation_id),
                    emergency_due_at=utcnow() + EMERGENCY_WINDOW,
                )
                db.add(case)
            else:
                seen = {s.get("category") for s in case.signals} | {case.category}
                new_kind = (verdict.category or "other") not in seen
                case.signals = [*case.signals, *signals]
                case.transcript = self._transcript(db, conversation_id)
            db.flush()
            event = Event(
                kind="case.created" if first_alert else "case.updated",
                data={
                    "case_id": case.id,
                    "conversation_id": conversation_id,
                    "urgency": "urgent",
                    "category": case.category,
                    "channel": channel,
                },
            )
            db.add(event)
            db.commit()
            payload = {"id": event.id, "kind": event.kind, **event.data}
        await self.bus.publish(payload)
        if operator_has_it:
            return False  # an operator is talking with the child: the alert is theirs to act on
        if not first_alert:
            if new_kind:
                await self._send(conversation_id, channel, user_id, urgent.emergency_reply(verdict))
            return False
        await self._send(conversation_id, channel, user_id, urgent.emergency_reply(verdict))
        await self._send(conversation_id, channel, user_id, urgent.ALERTED)
        await self._send(
            conversation_id, channel, user_id, OutboundMessage(urgent.SAFETY_QUESTIONS[0])
        )
        with self.sessions() as db:
            db.get(Conversation, conversation_id).safety_step = 1
            db.commit()
        return True

    def _open_urgent_case(self, db: Session, conversation_id: int) -> Case | None:
        return db.scalars(
            select(Case).where(
                Case.conversation_id == conversation_id,
                Case.urgency == "urgent",
                Case.status != "closed",
            )
        ).first()

    def _transcript(self, db: Session, conversation_id: int) -> list[dict[str, Any]]:
        rows = db.scalars(
            select(Message)
            .where(Message.conversation_id == conversation_id, Message.private.is_(False))
            .order_by(Message.id.desc())
            .limit(TRANSCRIPT_LIMIT)
        ).all()
        return [
            {
                "id": m.id,
                "at": m.created_at.isoformat() if m.created_at else None,
                "sender": m.sender,
                "kind": m.kind,
                "text": m.text,
            }
            for m in reversed(rows)
        ]

    async def _handed_over(
        self, message_id: int, conversation_id: int, channel: str, user_id: str
    ) -> bool:
        """A person has (or is about to have) this conversation: don't forward to Rasa."""
        with self.sessions() as db:
            conversation = db.get(Conversation, conversation_id)
            if conversation.status not in ("queued", "open"):
                return False
            case = self._open_urgent_case(db, conversation_id)
            if case is not None:
                case.transcript = self._transcript(db, conversation_id)
            step = conversation.safety_step
            waiting_for_person = conversation.status == "queued"
            if waiting_for_person and conversation.urgency == "urgent":
                conversation.safety_step = step + 1
            msg = db.get(Message, message_id)
            msg.status = "handed_off"
            event = Event(
                kind="message.received",
                data={
                    "conversation_id": conversation_id,
                    "message_id": message_id,
                    "channel": channel,
                },
            )
            db.add(event)
            db.commit()
            payload = {"id": event.id, "kind": event.kind, **event.data}
        await self.bus.publish(payload)
        if waiting_for_person:
            if 0 < step < len(urgent.SAFETY_QUESTIONS):
                reply = OutboundMessage(urgent.SAFETY_QUESTIONS[step])
            else:
                reply = urgent.HOLDING
            await self._send(conversation_id, channel, user_id, reply)
        return True

    # ---- non-text --------------------------------------------------------------------------
    async def _non_text(
        self, message_id: int, conversation_id: int, channel: str, user_id: str, kind: str
    ) -> None:
        with self.sessions() as db:
            case = self._open_urgent_case(db, conversation_id)
            if case is not None and kind in EVIDENCE_KINDS:
                # restricted to the case an operator opens; never forwarded anywhere else
                case.transcript = self._transcript(db, conversation_id)
            db.commit()
        await self._send(conversation_id, channel, user_id, OutboundMessage(NON_TEXT_REPLIES[kind]))
        self._mark(message_id, "answered")

    # ---- storage helpers ---------------------------------------------------------------
    def _record_triage(self, message_id: int, conversation_id: int, verdict: Verdict) -> None:
        with self.sessions() as db:
            msg = db.get(Message, message_id)
            msg.triage = verdict.as_dict()
            msg.status = "triaged"
            if verdict.urgency == "concern":
                conversation = db.get(Conversation, conversation_id)
                if conversation.urgency == "none":
                    conversation.urgency = "concern"
            db.commit()

    def _mark(self, message_id: int, status: str) -> None:
        with self.sessions() as db:
            db.get(Message, message_id).status = status
            db.commit()

    async def _send(
        self, conversation_id: int, channel: str, user_id: str, message: OutboundMessage
    ) -> int:
        """Store the reply as pending, send it, then mark it sent, retry or failed."""
        with self.sessions() as db:
            row = Message(
                conversation_id=conversation_id,
                channel=channel,
                direction="outgoing",
                sender="bot",
                kind="text",
                text=message.text,
                payload={"buttons": message.buttons, "phone_buttons": message.phone_buttons}
                if (message.buttons or message.phone_buttons)
                else None,
                status="pending",
            )
            db.add(row)
            db.commit()
            row_id = row.id
        await self._deliver(row_id, channel, user_id, message)
        return row_id

    async def _deliver(
        self, row_id: int, channel: str, user_id: str, message: OutboundMessage
    ) -> bool:
        """One delivery attempt of a stored reply. A transient platform error (429, 5xx, network)
        leaves the row in 'retry' for resend_failed; a permanent one (blocked, window closed) in 'failed'."""
        adapter = self.adapters.get(channel)
        permanent = False
        if adapter is None:
            ok, error, platform_id = False, f"no adapter for {channel}", None
        else:
            try:
                result = await adapter.send(user_id, message)
                ok, error, platform_id = result.ok, result.error, result.platform_message_id
                permanent = result.permanent
            except Exception as exc:  # noqa: BLE001 - a platform failure must not lose the row
                logger.exception("sending on %s failed", channel)
                ok, error, platform_id = False, type(exc).__name__, None
        with self.sessions() as db:
            row = db.get(Message, row_id)
            row.status = "sent" if ok else ("failed" if permanent else "retry")
            row.error = (error or "")[:300] or None
            row.platform_message_id = platform_id
            db.commit()
        return ok

    async def resend_failed(self, *, max_age: timedelta = RESEND_WINDOW, limit: int = 50) -> int:
        """Send again the replies a platform refused for a passing reason (an emergency reply
        held up by a 429 or a 500 must still arrive). Older than ``max_age``: given up, 'failed'."""
        cutoff = utcnow() - max_age
        with self.sessions() as db:
            rows = list(
                db.scalars(
                    select(Message)
                    .where(Message.direction == "outgoing", Message.status == "retry")
                    .order_by(Message.id)
                    .limit(limit)
                )
            )
            jobs = []
            for row in rows:
                created = (
                    row.created_at
                    if row.created_at.tzinfo
                    else row.created_at.replace(tzinfo=cutoff.tzinfo)
                )
                if created < cutoff:
                    row.status = "failed"
                    continue
                payload = row.payload or {}
                contact = row.conversation.contact
                jobs.append(
                    (
                        row.id,
                        row.channel,
                        contact.platform_user_id,
                        OutboundMessage(
                            row.text,
                            buttons=payload.get("buttons", []),
                            phone_buttons=payload.get("phone_buttons", []),
                        ),
                    )
                )
            db.commit()
        sent = 0
        for job in jobs:
            sent += await self._deliver(*job)
        return sent


def _outbound(reply: BotReply) -> OutboundMessage:
    return OutboundMessage(text=reply.text, buttons=reply.buttons)
