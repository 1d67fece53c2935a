r"""The trigonometric polynomial's parameters, named once.

The TP of order s (NAV_SPEC §1) is

.. math:: m(t) = c_0 + \sum_{j=1}^{s} \left[a_j \cos(2\pi j\phi) + b_j \sin(2\pi j\phi)\right],

with :math:`2s + 1` coefficients named here for the fits, the tables and the
lmfit adapter.
"""

from __future__ import annotations

__all__ = ["tp_names"]


def tp_names(order: int) -> list[str]:
    """Coefficient names ``c0, a1, b1, ..., as, bs``.

    Examples
    --------
    >>> tp_names(2)
    ['c0', 'a1', 'b1', 'a2', 'b2']
    """
    names = ["c0"]
    for j in range(1, order + 1):
        names += [f"a{j}", f"b{j}"]
    return names
