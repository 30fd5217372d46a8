"""sfdesk: a desktop playground for the SiliconFlow model API."""

from __future__ import annotations

import sys

__version__ = "0.1.0"

# `import httpx` also imports its optional command line (httpx._main), which loads click and
# Pygments before giving up on a missing `rich`: ~35 ms and a few MB on every run, for a command
# sfdesk never runs (docs/performance.md, start-up). A None entry in sys.modules makes that one
# import fail at once, and httpx falls back exactly as when those packages are not installed.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
