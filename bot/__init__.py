"""Lantern: a Discord bot for peer-support groups in recovery."""
