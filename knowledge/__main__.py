"""``python -m knowledge ...``: see knowledge/cli.py."""

from __future__ import annotations

import sys

from .cli import main

if hasattr(sys.stdout, "reconfigure"):
    sys.stdout.reconfigure(encoding="utf-8")
sys.exit(main())
