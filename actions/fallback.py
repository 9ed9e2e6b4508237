"""Two-step fallback: first ask to rephrase with suggestions, then the menu, 111 and a person."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.guidance import HUMAN_BUTTON, menu_buttons
from actions.guidance_library import TOPICS, get_library

IGNORED_ACTIONS = {"action_listen", "action_session_start", "action_extract_slots"}
SAFETY_LINE = "Nếu bạn đang gặp nguy hiểm, hãy gọi ngay 111 (miễn phí, 24/7)."


def previous_bot_action(tracker: Tracker) -> str | None:
    """Name of the last action before the current user message, skipping bookkeeping actions."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                continue
            seen_user = True
            continue
        if seen_user and event.get("event") == "action":
            name = event.get("name")
            if name not in IGNORED_ACTIONS:
                return name
    return None


class ActionFallback(Action):
    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        if previous_bot_action(tracker) == "action_fallback":
            dispatcher.utter_message(
                text="Mình vẫn chưa hiểu được. Bạn có thể chọn một chủ đề bên dưới, "
                "hoặc nói chuyện với tư vấn viên. " + SAFETY_LINE,
                buttons=menu_buttons(),
            )
            return []
        titles = get_library().titles
        ranking = tracker.latest_message.get("intent_ranking") or []
        suggestions = [r["name"] for r in ranking if r.get("name") in TOPICS][:2]
        buttons = [{"title": titles[t], "payload": f"/{t}"} for t in suggestions]
        buttons.append({"title": "Xem các chủ đề", "payload": "/menu"})
        buttons.append(HUMAN_BUTTON)
        text = "Xin lỗi, mình chưa hiểu rõ. Bạn có thể nói cách khác được không?"
        if suggestions:
            text += " Hoặc có phải bạn muốn hỏi về một trong các chủ đề dưới đây?"
        dispatcher.utter_message(text=f"{text}\n{SAFETY_LINE}", buttons=buttons)
        return []
