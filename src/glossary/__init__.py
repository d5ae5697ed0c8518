"""glossary: a bilingual Arabic–English glossary and translation memory.

Every Arabic spelling of a name resolves to one canonical entity::

    from glossary import Glossary
    g = Glossary.open()                      # the per-user default store
    g.lookup("بيونج يانج")[0].english          # 'Pyongyang'
"""

from importlib.metadata import PackageNotFoundError, version

from .batch import FileResult, NormalizeReport
from .errors import GlossaryError, InputError, NotFoundError, StoreError
from .exchange import GlossaryWarning, ImportReport
from .glossary import Glossary
from .matching import DEFAULT_MIN_SCORE
from .models import Entity, Match, Name
from .normalize import normalize
from .recognition import Mention, NormalizeResult

try:
    __version__ = version("glossary")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0+source"

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
    "__version__",
    "normalize",
]
