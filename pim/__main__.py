"""Command line: `python -m pim validate [ROOT]`."""

from .cli import main

raise SystemExit(main())
