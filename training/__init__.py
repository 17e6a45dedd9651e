"""Offline training tools for Lantern's models (not part of the installed bot)."""
