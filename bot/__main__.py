"""`python -m bot`: Lantern's command line."""

from bot.cli import main

# Guarded: the chart workers (spawned processes) import this module as __mp_main__ and must not run the bot.
if __name__ == "__main__":
    raise SystemExit(main())
