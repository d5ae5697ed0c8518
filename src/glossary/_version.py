"""The installed package's version, in a module of its own so that any module can import it."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("glossary")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0+source"
