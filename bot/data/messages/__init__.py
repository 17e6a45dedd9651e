"""Message catalogues: what members read, per language, as data."""
