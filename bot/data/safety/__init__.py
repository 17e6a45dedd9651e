"""The crisis detector's lexicon: words, patterns, cues and risk signs (see bot/services/crisis_lexicon.py)."""
