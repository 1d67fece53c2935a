"""Exception and warning classes raised by navfit."""

__all__ = ["InputError", "NavfitError", "NavfitWarning"]


class NavfitError(ValueError):
    """Base class of every error navfit raises about its input.

    A subclass of :class:`ValueError`, so ``except ValueError`` keeps working.
    Messages name the file, column, row or argument at fault.

    Attributes
    ----------
    dropped : dict or None
        For a light curve refused after cleaning (too few usable points, every row
        dropped, values that make a fit meaningless): the rows dropped before the
        refusal, reason -> count, as in ``LightCurve.meta["dropped"]``; else None.
    """

    dropped: dict | None = None


class InputError(NavfitError):
    """Photometry that cannot be read or used (file, column, row or array at fault)."""


class NavfitWarning(UserWarning):
    """Non-fatal problems: ill-conditioned fits, unresolved eclipses, dropped rows."""
