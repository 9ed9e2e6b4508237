"""What the bot says at once when triage finds danger, and the short safety questions after.

Product rule 1: every message that signals danger gets the emergency numbers and the promise
that a person is being alerted, whatever else is down. Rule 3: no promise of secrecy.
"""

from __future__ import annotations

from bot.channels.base import OutboundMessage
from bot.triage import Verdict

DANGER_NOW = {
    "physical_violence",
    "sexual_violence",
    "trafficking",
    "missing_child",
    "online_sexual_abuse",
    "neglect",
    "bullying",
}


def emergency_numbers(verdict: Verdict) -> list[tuple[str, str]]:
    """(number, what for) in the order to show: 111 always; 113/115/114 as the danger fits."""
    numbers = [("111", "Tổng đài bảo vệ trẻ em – miễn phí, 24/7")]
    if verdict.category in DANGER_NOW:
        numbers.append(("113", "Công an – khi có người đang làm hại bạn"))
    if (
        verdict.category == "self_harm_suicide"
        or verdict.topic == "injury"
        or (verdict.category == "other" and verdict.topic not in ("drowning",))
    ):
        numbers.append(("115", "Cấp cứu – khi có người bị thương hoặc nguy hiểm đến tính mạng"))
    if verdict.topic == "drowning":
        numbers.append(("114", "Cứu nạn – đuối nước, cháy"))
        numbers.append(("115", "Cấp cứu"))
    return numbers


def emergency_reply(verdict: Verdict) -> OutboundMessage:
    lines = ["Mình rất lo cho bạn. Nếu bạn đang gặp nguy hiểm, hãy gọi ngay:"]
    lines += [f"• {number} – {what}" for number, what in emergency_numbers(verdict)]
    if verdict.category == "self_harm_suicide":
        lines.append(
            "Hãy ở gần một người lớn bạn tin tưởng, và tránh xa những thứ có thể làm bạn đau."
        )
    else:
        lines.append("Nếu có thể, hãy đến chỗ đông người hoặc ở cạnh một người lớn bạn tin tưởng.")
    phones = [{"title": f"Gọi {n}", "phone": n} for n, _ in emergency_numbers(verdict)[:2]]
    return OutboundMessage(text="\n".join(lines), phone_buttons=phones)


ALERTED = OutboundMessage(
    text="Mình đã báo cho tư vấn viên của tổng đài 111. Một người thật sẽ nhắn cho bạn "
    "ngay tại đây. Tư vấn viên có thể cần báo cho người có trách nhiệm để bảo vệ bạn, "
    "và sẽ nói với bạn trước."
)

SAFETY_QUESTIONS = (
    "Bây giờ bạn có đang ở chỗ an toàn không?",
    "Bạn đang ở đâu (tỉnh/thành phố, xã/phường)? Bạn không cần trả lời nếu không muốn.",
    "Bạn bao nhiêu tuổi?",
)

HOLDING = OutboundMessage(
    text="Tư vấn viên đã nhận được tin của bạn và sẽ trả lời sớm nhất. Nếu nguy hiểm, hãy gọi ngay "
    "113 hoặc 111 (miễn phí, 24/7)."
)
