"""contractkit.engine (work in progress)."""
