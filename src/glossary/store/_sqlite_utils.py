"""sqlite-utils, imported without NumPy.

sqlite-utils imports NumPy and pandas when they are installed, to convert their
types in inserts.  The store never passes them, and importing NumPy was a third
of a CLI lookup's start-up.  They are hidden while sqlite-utils loads and stay
importable afterwards (the transliteration fit's fallback uses NumPy).
"""

from __future__ import annotations

import sys

_HIDDEN = [name for name in ("numpy", "pandas") if name not in sys.modules]
for _name in _HIDDEN:
    sys.modules[_name] = None  # type: ignore[assignment]
try:
    import sqlite_utils
    from sqlite_utils import Migrations
finally:
    for _name in _HIDDEN:
        del sys.modules[_name]

__all__ = ["Migrations", "sqlite_utils"]
