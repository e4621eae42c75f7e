"""contractkit.delivery (work in progress)."""
