"""glossary: a bilingual Arabic–English glossary and translation memory.

Every Arabic spelling of a name resolves to one canonical entity::

    from glossary import Glossary
    g = Glossary.open()                      # the per-user default store
    g.lookup("بيونج يانج")[0].english          # 'Pyongyang'
"""

from ._version import __version__
from .batch import FileResult, NormalizeReport
from .errors import GlossaryError, InputError, NotFoundError, StoreError
from .exchange import GlossaryWarning, ImportReport
from .glossary import Glossary
from .matching import DEFAULT_MIN_SCORE
from .models import Entity, Match, Name
from .normalize import normalize
from .recognition import Mention, NormalizeResult
from .tm import TMHit, TMImportReport, TMUnit, TranslationMemory

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
