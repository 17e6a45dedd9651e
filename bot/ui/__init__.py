"""Shared user-interface pieces: replies that always answer, and the words used everywhere."""
