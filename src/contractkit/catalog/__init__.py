"""contractkit.catalog (work in progress)."""
