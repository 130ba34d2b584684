"""`python -m generator` runs the CLI."""

from __future__ import annotations

import sys

from generator.cli import main

sys.exit(main())
