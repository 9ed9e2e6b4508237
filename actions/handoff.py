"""Asks the web app to put the conversation in front of a hotline operator."""

from __future__ import annotations

import logging
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import webapp_client

logger = logging.getLogger(__name__)

NOTIFIED = (
    "Mình đã chuyển yêu cầu của bạn tới tư vấn viên của tổng đài. Tư vấn viên sẽ nhắn cho bạn "
    "ngay tại đây khi có thể. Nếu bạn cần nói chuyện ngay, hãy gọi 111 (miễn phí, 24/7)."
)
UNAVAILABLE = (
    "Mình chưa kết nối được với tư vấn viên lúc này. Hãy gọi 111 (miễn phí, 24/7) để nói "
    "chuyện ngay với một người thật. Nếu có nguy hiểm, gọi 113; cần cấp cứu, gọi 115."
)


class ActionRequestHuman(Action):
    def name(self) -> str:
        return "action_request_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        payload = {
            "sender_id": tracker.sender_id,
            "reason": intent or "ask_human",
            "text": tracker.latest_message.get("text") or "",
            "audience": tracker.get_slot("audience"),
        }
        try:
            await webapp_client.call("POST", "/api/v1/handoffs", payload)
        except webapp_client.WebAppUnavailable as exc:
            logger.error("handoff not recorded: %s", exc)
            dispatcher.utter_message(text=UNAVAILABLE)
            return []
        dispatcher.utter_message(text=NOTIFIED)
        return []
