"""Eclipse timing: times of minima and O-C diagrams, one concept per module.

Users import from the front modules :mod:`navfit.minima` and :mod:`navfit.oc`
(and the top-level ``navfit``); the work is done here:

======================  ============================================================
module                  holds
======================  ============================================================
``common``              the flags, :class:`~navfit.minima.MinimumTime`, the input
                        checks and coverage tests every timing method shares
``kvw``                 Kwee & van Woerden (1956) with Deeg's (2021) error
``nav_profile``         the time of one minimum from the NAV eclipse profile
``polynomial``          the time of one minimum from a polynomial (degree by BIC)
``template``            the NAV fit that times a light curve and its mean
                        residual profile around each eclipse
``minima_table``        :func:`~navfit.minima.times_of_minima`: every minimum of a
                        light curve, one table row per minimum and method
``oc_models``           :class:`~navfit.oc.OCModel` and the linear and quadratic
                        ephemerides
``ltte``                the light-travel-time delay and its O-C model
``oc_fit``              :func:`~navfit.oc.fit_oc` and its results
``oc_lines``            IBVS/CDS lines of minima, written and read back
``oc_plot``             the O-C diagram
======================  ============================================================
"""
