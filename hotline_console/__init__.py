"""Hotline console web app: FastAPI app factory, settings, models, API and web chat."""
