"""seccal: measure and act on the security calibration of code LLMs."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("seccal")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
