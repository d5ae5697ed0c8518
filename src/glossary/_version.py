"""The installed package's version, in a module of its own so that any module can import it.

It is read from the package's metadata on first use (``importlib.metadata`` takes a third of
``import glossary``'s time otherwise), then kept: ``from glossary._version import __version__``
and ``glossary.__version__`` both work, and only a caller that asks pays for it.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    __version__: str


@cache
def version() -> str:
    """The installed distribution's version, or ``0.0.0+source`` when running from a source tree."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("glossary")
    except PackageNotFoundError:  # running from a source tree
        return "0.0.0+source"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["__version__", "version"]
