"""contractkit.diff (work in progress)."""
