"""pilotbook: the TEM 43/2017 pilot evaluation rebuilt as a reproducible pipeline.

Data in ``data/`` is validated against the contracts in ``data_contracts/``,
analysed by the papermill-executed notebooks in ``notebooks/`` and published
as a Jupyter Book.  All logic lives in this package; notebooks only call it.
"""

import os as _os

# Great Expectations must never phone home (DESIGN: nothing downloads at run time).
_os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

__version__ = "0.1.0"
