"""The demo's calibrated facts and scaling arithmetic, importable under this name too: the module is
etl/demo/calibration.py."""

from etl.demo.calibration import *  # noqa: F403
from etl.demo.calibration import __all__  # noqa: F401
