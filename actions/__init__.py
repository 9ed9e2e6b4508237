"""Custom Rasa actions (Rasa env). Imports rasa_sdk, never rasa or hotline_console."""
