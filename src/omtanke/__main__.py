"""``python -m omtanke`` runs the CLI."""

from .cli import main

raise SystemExit(main())
