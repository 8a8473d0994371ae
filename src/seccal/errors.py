"""Exceptions shared across seccal.

Every error a user can cause (bad input file, bad column, bad config) is a
:class:`SeccalError`; the CLI prints its message without a traceback.
"""


class SeccalError(Exception):
    """An error caused by the user's input, reported without a traceback."""


class InputError(SeccalError):
    """Bad input data: the message names the file, column/field and row/line."""


class ConfigError(SeccalError):
    """A study or tool configuration that cannot be used."""
