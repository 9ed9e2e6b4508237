"""The Mẫu 01 report form (Decree 56/2017): validation, read-back, submission with retries."""

from __future__ import annotations

import json
import logging
import os
import uuid
from pathlib import Path
from typing import Any, Dict, List

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import webapp_client
from actions.report_parsing import (
    UNKNOWN,
    parse_access,
    parse_age,
    parse_confirm,
    parse_phone,
    parse_sex,
    parse_subject,
    parse_yes_no,
)

logger = logging.getLogger(__name__)

BASE_SLOTS = [
    "report_subject",
    "child_age",
    "child_sex",
    "province",
    "commune",
    "incident",
    "perpetrator_access",
    "actions_taken",
    "contact_consent",
]
FORM_SLOTS = [*BASE_SLOTS, "reporter_contact", "confirm_report", "province_code", "report_id"]
LABELS = {
    "self": "chính người báo tin",
    "other": "một trẻ khác",
    "male": "nam",
    "female": "nữ",
    "yes": "có",
    "no": "không",
    UNKNOWN: "không rõ",
}


def spool_dir() -> Path:
    return Path(
        os.environ.get("REPORT_SPOOL_DIR", Path(__file__).resolve().parent.parent / "var" / "spool")
    )


class ValidateReportForm(FormValidationAction):
    def name(self) -> str:
        return "validate_report_form"

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        slots = list(BASE_SLOTS)
        if tracker.get_slot("contact_consent") == "yes":
            slots.append("reporter_contact")  # only with the reporter's consent (Mẫu 01)
        slots.append("confirm_report")
        return slots

    def validate_report_subject(self, value, dispatcher, tracker, domain):  # noqa: ANN001
        subject = parse_subject(str(value))
        if subject is None:
            dispatcher.utter_message(
                text="Bạn chọn giúp mình: chuyện xảy ra với chính bạn, hay với một trẻ khác?"
            )
        return {"report_subject": subject}

    def validate_child_age(self, value, dispatcher, tracker, domain):  # noqa: ANN001
        age = parse_age(str(value))
        if age is None:
            dispatcher.utter_message(response="utter_invalid_age")
            return {"child_age": None}
        return {"child_age": str(age)}

    def validate_child_sex(self, value, dispatcher, tracker, domain):  # noqa: ANN001
        sex = parse_sex(str(value))
        if sex is None:
            dispatcher.utter_message(text="Bạn chọn giúp mình: nam, nữ, hoặc không rõ.")
        return {"child_sex": sex}

    async def validate_province(self, value, dispatcher, tracker, domain):  # noqa: ANN001
        text = str(value).strip()
        if parse_age(text) == UNKNOWN:
            return {"province": UNKNOWN, "province_code": None}
        try:
            found = await webapp_client.call("POST", "/api/v1/places/province", {"q": text[:100]})
        except webapp_client.WebAppUnavailable:
            # never block a report on the lookup: keep what was typed, unvalidated
            return {"province": text[:100], "province_code": None}
        if not found.get("found"):
            hint = ", ".join(found.get("suggestions") or [])
            dispatcher.utter_message(
                text="Mình chưa tìm thấy tỉnh/thành phố này trong danh sách 34 tỉnh, thành hiện nay."
                + (f" Có phải bạn muốn nói: {hint}?" if hint else "")
                + ' Bạn nhập lại giúp mình, hoặc nhắn "không biết".'
            )
            return {"province": None}
        if found.get("note"):
            dispatcher.utter_message(text=f"Mình ghi nhận: {found['note']}.")
        return {"province": found["name"], "province_code": str(found["code"])}

    async def validate_commune(self, value, dispatcher, tracker, domain):  # noqa: ANN001
        text = str(value).strip()
        code = tracker.get_slot("province_code")
        if parse_age(text) == UNKNOWN or not code:
            return {"commune": UNKNOWN if parse_age(text) == UNKNOWN else text[:100]}
        try:
            found = await webapp_client.call(
                "POST", "/api/v1/places/commune", {"province_code": int(code), "q": text[:100]}
            )
        except webapp_client.WebAppUnavailable:
            return {"commune": text[:100]}
        if not found.get("found"):
            hint = ", ".join(found.get("suggestions") or [])
            dispatcher.utter_message(
                text=f"Mình chưa tìm thấy xã/phường này ở {tracker.get_slot('province')}."
                + (f" Có phải: {hint}?" if hint else "")
                + ' Bạn nhập lại, hoặc nhắn "không biết".'
            )
            return {"commune": None}
        return {"commune": found["name"]}

    def validate_incident(self, value, dispatcher, tracker, domain):  # noqa: ANN001
        text = str(value).strip()
        if len(text) < 3:
            dispatcher.utter_message(text="Bạn kể thêm một chút giúp mình nhé.")
            return {"incident": None}
        return {"incident": text[:4000]}

    def validate_perpetrator_access(self, value, dispatcher, tracker, domain):  # noqa: ANN001
        answer = parse_access(str(value))
        if answer is None:
            dispatcher.utter_message(text="Bạn trả lời giúp mình: còn, không còn, hoặc không biết.")
        return {"perpetrator_access": answer}

    def validate_actions_taken(self, value, dispatcher, tracker, domain):  # noqa: ANN001
        return {"actions_taken": str(value).strip()[:2000] or UNKNOWN}

    def validate_contact_consent(self, value, dispatcher, tracker, domain):  # noqa: ANN001
        answer = parse_yes_no(str(value))
        if answer is None:
            dispatcher.utter_message(text="Bạn chọn giúp mình: có hoặc không (ẩn danh).")
        return {"contact_consent": "no" if answer == UNKNOWN else answer}

    def validate_reporter_contact(self, value, dispatcher, tracker, domain):  # noqa: ANN001
        text = str(value).strip()
        if parse_yes_no(text) == "no":
            return {"reporter_contact": None, "contact_consent": "no"}
        phone = parse_phone(text)
        if phone is None:
            dispatcher.utter_message(
                text='Số điện thoại chưa đúng (ví dụ 0912345678). Bạn nhập lại, hoặc nhắn "không" để ẩn danh.'
            )
            return {"reporter_contact": None}
        return {"reporter_contact": phone}

    def validate_confirm_report(self, value, dispatcher, tracker, domain):  # noqa: ANN001
        answer = parse_confirm(str(value))
        if answer is None:
            dispatcher.utter_message(text='Bạn chọn "Gửi báo cáo" hoặc "Không gửi" giúp mình nhé.')
        return {"confirm_report": answer}


def intake_of(tracker: Tracker) -> Dict[str, Any]:
    """The Mẫu 01 fields collected; the reporter's contact only with consent."""
    consent = tracker.get_slot("contact_consent") == "yes"
    return {
        "form": "Mẫu số 01 (Nghị định 56/2017/NĐ-CP)",
        "source_channel": tracker.sender_id.split(":", 1)[0],
        "report_subject": tracker.get_slot("report_subject"),
        "child_age": tracker.get_slot("child_age"),
        "child_sex": tracker.get_slot("child_sex"),
        "province": tracker.get_slot("province"),
        "province_code": tracker.get_slot("province_code"),
        "commune": tracker.get_slot("commune"),
        "incident": tracker.get_slot("incident"),
        "perpetrator_access": tracker.get_slot("perpetrator_access"),
        "actions_taken": tracker.get_slot("actions_taken"),
        "reporter_consent": consent,
        "reporter_contact": tracker.get_slot("reporter_contact") if consent else None,
    }


def summary(intake: Dict[str, Any]) -> str:
    def label(value: str | None) -> str:
        return LABELS.get(value or UNKNOWN, value or "không rõ")

    age = intake["child_age"]
    lines = [
        "Mình đọc lại thông tin bạn báo:",
        f"• Trẻ gặp chuyện: {label(intake['report_subject'])}",
        f"• Tuổi: {'không rõ' if age in (None, UNKNOWN) else age + ' tuổi'}; giới tính: {label(intake['child_sex'])}",
        f"• Nơi xảy ra: {label(intake['commune'])}, {label(intake['province'])}",
        f"• Chuyện xảy ra: {intake['incident']}",
        f"• Người gây hại còn tiếp xúc được với trẻ: {label(intake['perpetrator_access'])}",
        f"• Đã làm gì: {label(intake['actions_taken'])}",
        "• Liên hệ: " + (intake["reporter_contact"] or "ẩn danh"),
        "Bạn có muốn gửi báo cáo này tới tổng đài 111 không?",
    ]
    return "\n".join(lines)


class ActionAskConfirmReport(Action):
    def name(self) -> str:
        return "action_ask_confirm_report"

    async def run(self, dispatcher, tracker, domain):  # noqa: ANN001
        dispatcher.utter_message(
            text=summary(intake_of(tracker)),
            buttons=[
                {"title": "Gửi báo cáo", "payload": "Gửi báo cáo"},
                {"title": "Không gửi", "payload": "Không gửi"},
            ],
        )
        return []


def _spool(report: Dict[str, Any]) -> None:
    directory = spool_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{report['idempotency_key']}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)  # atomic: a half-written report is never picked up


async def flush_spool() -> int:
    """Send reports that could not be sent earlier; the idempotency key prevents duplicates."""
    sent = 0
    directory = spool_dir()
    if not directory.exists():
        return 0
    for path in sorted(directory.glob("*.json")):
        report = json.loads(path.read_text(encoding="utf-8"))
        try:
            await webapp_client.call("POST", "/api/v1/cases", report)
        except webapp_client.WebAppUnavailable:
            break
        path.unlink()
        sent += 1
    return sent


class ActionSubmitReport(Action):
    def name(self) -> str:
        return "action_submit_report"

    async def run(self, dispatcher, tracker, domain):  # noqa: ANN001
        reset = [SlotSet(slot, None) for slot in FORM_SLOTS]
        if tracker.get_slot("confirm_report") != "yes":
            dispatcher.utter_message(response="utter_report_cancelled")
            return reset
        report = {
            "idempotency_key": tracker.get_slot("report_id") or uuid.uuid4().hex,
            "sender_id": tracker.sender_id,
            "urgency": "concern",
            "category": "other",
            "intake": intake_of(tracker),
        }
        try:
            await flush_spool()
            created = await webapp_client.call("POST", "/api/v1/cases", report)
        except webapp_client.WebAppUnavailable as exc:
            logger.error("report spooled, web app unavailable: %s", exc)
            _spool(report)
            dispatcher.utter_message(
                text="Cảm ơn bạn. Hệ thống đang bận nên báo cáo đã được lưu lại và sẽ tự động gửi tới "
                "tổng đài khi hệ thống hoạt động trở lại. Nếu trẻ đang gặp nguy hiểm, hãy gọi ngay 111 hoặc 113."
            )
            return reset
        dispatcher.utter_message(
            text=f"Cảm ơn bạn đã báo tin. Báo cáo số {created.get('id')} đã được gửi tới tổng đài 111; "
            "tư vấn viên sẽ xem xét và phối hợp với người có trách nhiệm ở địa phương để bảo vệ trẻ. "
            "Nếu trẻ đang gặp nguy hiểm, hãy gọi ngay 111 hoặc 113."
        )
        return reset


class ActionStartReport(Action):
    """Gives the report an id before the first question, so retries of its submission are idempotent."""

    def name(self) -> str:
        return "action_start_report"

    async def run(self, dispatcher, tracker, domain):  # noqa: ANN001
        return [SlotSet("report_id", uuid.uuid4().hex)]
