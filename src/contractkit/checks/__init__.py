"""contractkit.checks (work in progress)."""
