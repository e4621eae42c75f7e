"""contractkit.synth (work in progress)."""
