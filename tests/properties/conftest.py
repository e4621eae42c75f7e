"""Property-test plumbing: deterministic hypothesis profiles.

Profiles (both deterministic: derandomised, no example database):
  * ``default`` — quick, few examples per contract (the suite stays fast on 2 cores);
  * ``thorough`` — many more examples: ``HYPOTHESIS_PROFILE=thorough pytest tests/properties``.
Helpers shared by the property tests live in ``synthcase.py``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]
# Validation costs ~0.2 s an example, so the quick profile reports the first failing
# example as drawn instead of shrinking it for minutes; the thorough profile shrinks.
settings.register_profile("default", max_examples=3, derandomize=True, database=None,
                          deadline=None, suppress_health_check=_QUIET, print_blob=False,
                          phases=(Phase.explicit, Phase.generate))
settings.register_profile("thorough", max_examples=60, derandomize=True, database=None,
                          deadline=None, suppress_health_check=_QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
