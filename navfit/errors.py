"""Exception and warning classes raised by navfit."""

__all__ = ["InputError", "NavfitError", "NavfitWarning"]


class NavfitError(ValueError):
    """Base class of every error navfit raises about its input.

    A subclass of :class:`ValueError`, so ``except ValueError`` keeps working.
    Messages name the file, column, row or argument at fault.
    """


class InputError(NavfitError):
    """Photometry that cannot be read or used (file, column, row or array at fault)."""


class NavfitWarning(UserWarning):
    """Non-fatal problems: ill-conditioned fits, unresolved eclipses, dropped rows."""
