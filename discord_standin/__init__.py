"""A local stand-in for Discord that an unmodified discord.py client connects to."""
