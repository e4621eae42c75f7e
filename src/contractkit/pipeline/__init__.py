"""contractkit.pipeline (work in progress)."""
