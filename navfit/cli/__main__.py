"""``python -m navfit.cli``: the ``navfit`` command."""

import sys

from . import main

if __name__ == "__main__":
    sys.exit(main())
