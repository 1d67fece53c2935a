"""The result of :func:`navfit.decide`: period, model and type, with reasons and confidence."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .gcvs_types import Classification

__all__ = ["Decision"]


@dataclass(frozen=True, eq=False)
class Decision:
    """Period, model and type of a star, with reasons, runner-up and confidence.

    Attributes
    ----------
    period : float
        Orbital period for eclipsers, the photometric period otherwise (d).
    photometric_period : float
        The period at which the light curve repeats (the search's ``P``).
    fit : FitResult
        The fit the catalogue values come from (NAV for eclipsers, else TP).
    nav, tp : FitResult or None
        NAV and optimal TP at :attr:`period`; no NAV where rules 1 and 2
        decided (no significant period, a pulsator's asymmetric minimum).
    type : str
        ``EA``, ``EB``, ``EW``, ``ELL`` or ``"not an eclipsing binary"``.
    uncertain : bool
        GCVS ":" (confidence of the type below one sigma).
    nature : str or None
        For non-eclipsers, what the evidence points to where it is clear:
        ``"pulsating"``, ``"long-period"``, ``"constant or no significant
        period"`` or ``"unclassified"``.
    reasons : tuple of str
        Every rule that decided, in order.
    runner_up : dict
        The alternative that came second: ``period``, ``type`` and ``why``.
    confidence : dict
        ``period`` and ``type``, each in [0, 1].
    metrics : dict
        Name -> ``(value, error)`` of every quantity a rule read.
    classification : Classification
        The type as a :class:`~navfit.gcvs_types.Classification`.
    """

    period: float
    photometric_period: float
    fit: object = field(repr=False)
    nav: object = field(repr=False)
    tp: object = field(repr=False)
    type: str
    uncertain: bool
    nature: str | None
    reasons: tuple
    runner_up: dict
    confidence: dict
    metrics: dict = field(repr=False)
    classification: Classification = field(repr=False)

    @property
    def gcvs(self) -> str:
        """Type as GCVS writes it (``"EA:"``, ``"not an eclipsing binary"``)."""
        return self.classification.gcvs

    def summary(self) -> str:
        """One line per reason, then the runner-up and the confidence."""
        head = (
            f"{self.gcvs}, P = {self.period:.9g} d (confidence: period "
            f"{self.confidence['period']:.2f}, type {self.confidence['type']:.2f})"
        )
        lines = [head]
        lines += [f"  - {r}" for r in self.reasons]
        if self.runner_up:
            lines.append(
                f"  runner-up: {self.runner_up.get('type')} at P = "
                f"{self.runner_up.get('period', math.nan):.9g} d ({self.runner_up.get('why')})"
            )
        return "\n".join(lines)
