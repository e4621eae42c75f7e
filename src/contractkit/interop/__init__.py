"""contractkit.interop (work in progress)."""
