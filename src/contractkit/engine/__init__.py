"""The validation engine: compile a contract into pandera checks, read files, report.

Only this package imports pandera. Data problems come back as a
:class:`~contractkit.report.model.Report`; exceptions mean "cannot judge".
"""

from contractkit._gc import paused as _paused

with _paused():  # imports: many objects, no cycles to collect
    from contractkit.engine.api import validate_file, validate_paths

__all__ = ["validate_file", "validate_paths"]
