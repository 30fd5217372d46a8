"""sfdesk: a desktop playground for the SiliconFlow model API."""

from __future__ import annotations

__version__ = "0.1.0"
