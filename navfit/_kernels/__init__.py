"""Private numba kernels. Arrays in, arrays out; nothing here is public API.

Every kernel takes its JIT options from :mod:`navfit._kernels._config` and has a
slow NumPy twin in :mod:`navfit._kernels.reference` that the tests compare against.
"""
