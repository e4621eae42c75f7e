"""contractkit.report (work in progress)."""
