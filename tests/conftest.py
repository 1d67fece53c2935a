"""Shared fixtures."""

import os
from pathlib import Path

import numba
import pytest

from navfit.manifest import read_catalog


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


@pytest.fixture(scope="session")
def survey_dir() -> Path:
    """Labelled survey light curves: ``$NAVFIT_SURVEY``, default ``../shared/survey``."""
    default = Path(__file__).resolve().parents[1] / "../shared/survey"
    folder = Path(os.environ.get("NAVFIT_SURVEY", default)).resolve()
    missing = [p for p in ("truth.csv", "lc", "s82_ugriz") if not (folder / p).exists()]
    if missing:
        pytest.fail(
            f"survey set not found: {folder} has no {', '.join(missing)}. Point the environment "
            "variable NAVFIT_SURVEY at the shared survey folder (see its README.md)."
        )
    return folder


@pytest.fixture(scope="session")
def multiband_dir() -> Path:
    """Real multi-band photometry: ``$NAVFIT_MULTIBAND``, default ``../shared/multiband``."""
    default = Path(__file__).resolve().parents[1] / "../shared/multiband"
    folder = Path(os.environ.get("NAVFIT_MULTIBAND", default)).resolve()
    if not (folder / "catalog.csv").is_file():
        pytest.fail(
            f"multi-band photometry not found: {folder} has no catalog.csv. Point the "
            "environment variable NAVFIT_MULTIBAND at the shared multiband folder (see its "
            "MANIFEST.md)."
        )
    return folder


@pytest.fixture(scope="session")
def catalog(lightcurves_dir):
    """The curated light curves' ``catalog.csv`` (:func:`navfit.manifest.read_catalog`)."""
    return read_catalog(lightcurves_dir)


@pytest.fixture(params=[1, 2], ids=["1thread", "2threads"])
def threads(request):
    """Run the test with 1 and with 2 numba threads (as many as numba has, at most)."""
    old = numba.get_num_threads()
    numba.set_num_threads(min(request.param, numba.config.NUMBA_NUM_THREADS))
    yield request.param
    numba.set_num_threads(old)
