"""`python -m bot`: Lantern's command line."""

from bot.cli import main

raise SystemExit(main())
