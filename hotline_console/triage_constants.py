"""Case categories (Child Helpline International framework), shared with bot/triage.py."""

from bot.triage import CATEGORIES, TOPICS, URGENCY_LEVELS

__all__ = ["CATEGORIES", "TOPICS", "URGENCY_LEVELS"]
