"""The nine guidance topics: Rasa intents, guidance files and triage topics share these names."""

TOPICS = (
    "drowning",
    "traffic",
    "abuse_prevention",
    "online_safety",
    "injury",
    "bullying",
    "mental_health",
    "rights",
    "emergency_contacts",
)
