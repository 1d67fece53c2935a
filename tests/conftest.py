"""Shared fixtures."""

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def lightcurves_dir() -> Path:
    """Folder of real light curves: ``$NAVFIT_LIGHTCURVES``, default ``../shared/lightcurves``."""
    default = Path(__file__).resolve().parents[1] / "../shared/lightcurves"
    folder = Path(os.environ.get("NAVFIT_LIGHTCURVES", default)).resolve()
    if not folder.is_dir():
        pytest.fail(
            f"real light curves not found: {folder} is not a folder. Point the environment "
            "variable NAVFIT_LIGHTCURVES at the shared lightcurves folder (see its MANIFEST.md)."
        )
    return folder
