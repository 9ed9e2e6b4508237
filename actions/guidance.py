"""Greeting, main menu and guidance articles, rendered from data/guidance/."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.guidance_library import TOPICS, get_library, render

ROLE_BUTTONS = [
    {"title": "Mình là trẻ em, học sinh", "payload": "/inform_child"},
    {"title": "Tôi là phụ huynh, người lớn", "payload": "/inform_parent"},
]
HUMAN_BUTTON = {"title": "Gặp tư vấn viên", "payload": "/ask_human"}


def menu_buttons() -> List[Dict[str, str]]:
    library = get_library()
    buttons = [{"title": library.titles[t], "payload": f"/{t}"} for t in TOPICS]
    buttons.append(HUMAN_BUTTON)
    return buttons


class ActionGreet(Action):
    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        menu = get_library().menu
        audience = tracker.get_slot("audience")
        if audience in ("child", "parent"):
            dispatcher.utter_message(text=menu[f"greeting_{audience}"])
            dispatcher.utter_message(text=menu["menu_text"], buttons=menu_buttons())
        else:
            dispatcher.utter_message(text=menu["greeting_unknown"], buttons=ROLE_BUTTONS)
        return []


class ActionShowMenu(Action):
    def name(self) -> str:
        return "action_show_menu"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        dispatcher.utter_message(text=get_library().menu["menu_text"], buttons=menu_buttons())
        return []


class ActionShowGuidance(Action):
    """Shows the article for the asked topic, in the child or parent version."""

    def name(self) -> str:
        return "action_show_guidance"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        library = get_library()
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        audience = tracker.get_slot("audience")
        events: List[Dict[str, Any]] = []
        if intent == "show_article":
            article_id = next(tracker.get_latest_entity_values("article_id"), None)
            if not article_id:
                dispatcher.utter_message(text=library.menu["menu_text"], buttons=menu_buttons())
                return events
            article = library.articles.get(article_id)
            if article is None:
                dispatcher.utter_message(
                    text="Xin lỗi, mình không tìm thấy nội dung này.", buttons=menu_buttons()
                )
                return [SlotSet("article_id", None)]
            events.append(SlotSet("article_id", None))
        elif intent in TOPICS:
            article = library.entry(
                intent, audience if audience in ("child", "parent") else "child"
            )
        else:
            dispatcher.utter_message(text=library.menu["menu_text"], buttons=menu_buttons())
            return events

        messages = render(article)
        if audience not in ("child", "parent") and article.audience == "child" and article.entry:
            parent = library.entry(article.topic, "parent")
            messages[-1]["buttons"].insert(
                0,
                {
                    "title": "Dành cho phụ huynh",
                    "payload": f'/show_article{{"article_id":"{parent.id}"}}',
                },
            )
        for message in messages:
            dispatcher.utter_message(**message)
        return events
