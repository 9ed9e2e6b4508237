"""Subscribe to and unsubscribe from seasonal safety tips, through the web app."""

from __future__ import annotations

import logging
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import webapp_client

logger = logging.getLogger(__name__)

FAILED = "Xin lỗi, mình chưa lưu được yêu cầu của bạn. Bạn thử lại sau ít phút nhé."


class ActionSubscribe(Action):
    def name(self) -> str:
        return "action_subscribe"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        payload = {
            "sender_id": tracker.sender_id,
            "audience": tracker.get_slot("audience"),
            "consent_text": "utter_ask_subscribe_confirm",
        }
        try:
            await webapp_client.call("POST", "/api/v1/subscriptions", payload)
        except webapp_client.WebAppUnavailable as exc:
            logger.error("subscription not stored: %s", exc)
            dispatcher.utter_message(text=FAILED)
            return []
        dispatcher.utter_message(
            text="Bạn đã đăng ký nhận lời khuyên an toàn. "
            'Nhắn "hủy đăng ký" bất cứ lúc nào để dừng.'
        )
        return []


class ActionUnsubscribe(Action):
    def name(self) -> str:
        return "action_unsubscribe"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        try:
            await webapp_client.call(
                "POST", "/api/v1/subscriptions/cancel", {"sender_id": tracker.sender_id}
            )
        except webapp_client.WebAppUnavailable as exc:
            logger.error("unsubscribe not stored: %s", exc)
            dispatcher.utter_message(text=FAILED)
            return []
        dispatcher.utter_message(text="Bạn đã hủy đăng ký. Mình sẽ không gửi tin nữa.")
        return []
