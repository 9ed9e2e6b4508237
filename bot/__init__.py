"""Channel adapters, inbound pipeline and Vietnamese text helpers.

Keep this package import-light: the Rasa env imports ``bot.text`` and ``bot.nlu``.
"""
