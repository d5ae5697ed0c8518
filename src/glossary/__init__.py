"""glossary: a bilingual Arabic–English glossary and translation memory.

Every Arabic spelling of a name resolves to one canonical entity::

    from glossary import Glossary
    g = Glossary.open()                      # the per-user default store
    g.lookup("بيونج يانج")[0].english          # 'Pyongyang'

``import glossary`` loads no module of the package but this one: each public name
below is imported from its module the first time it is asked for (PEP 562), so a
program pays only for what it uses (``glossary --help`` loads neither the matcher
nor SQLite).  ``from glossary import X`` and ``glossary.X`` work as before.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Imported now, not on demand: ``glossary.normalize`` is this function, and a submodule of the
# same name, once imported, would otherwise take its place as the package's attribute (a few
# milliseconds: pyarabic's letter tables).
from .normalize import normalize

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time, __getattr__ below
    from ._version import __version__
    from .errors import GlossaryError, GlossaryWarning, InputError, NotFoundError, StoreError
    from .glossary import Glossary
    from .matching import DEFAULT_MIN_SCORE
    from .models import (
        Entity,
        FileResult,
        ImportReport,
        Match,
        Mention,
        MentionInfo,
        Name,
        NormalizeReport,
        NormalizeResult,
        TMHit,
        TMImportReport,
        TMUnit,
    )
    from .tm import TranslationMemory

#: Where each public name lives (a module of this package).  The value types the API returns
#: (``Entity``, ``Match``, ``Mention``, ``TMHit``, ``NormalizeReport`` …) are all in ``models``.
_LAZY = {
    "DEFAULT_MIN_SCORE": "matching",
    "Entity": "models",
    "FileResult": "models",
    "Glossary": "glossary",
    "GlossaryError": "errors",
    "GlossaryWarning": "errors",
    "ImportReport": "models",
    "InputError": "errors",
    "Match": "models",
    "Mention": "models",
    "MentionInfo": "models",
    "Name": "models",
    "NormalizeReport": "models",
    "NormalizeResult": "models",
    "NotFoundError": "errors",
    "StoreError": "errors",
    "TMHit": "models",
    "TMImportReport": "models",
    "TMUnit": "models",
    "TranslationMemory": "tm",
    "__version__": "_version",
}


if not TYPE_CHECKING:  # hidden from type checkers, which read the imports above instead

    def __getattr__(name: str) -> Any:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(import_module(f".{module}", __name__), name)
        globals()[name] = value  # the next access skips __getattr__
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "DEFAULT_MIN_SCORE",
    "Entity",
    "FileResult",
    "Glossary",
    "GlossaryError",
    "GlossaryWarning",
    "ImportReport",
    "InputError",
    "Match",
    "Mention",
    "MentionInfo",
    "Name",
    "NormalizeReport",
    "NormalizeResult",
    "NotFoundError",
    "StoreError",
    "TMHit",
    "TMImportReport",
    "TMUnit",
    "TranslationMemory",
    "__version__",
    "normalize",
]
