"""``contractkit synth`` commands (registered on the shared typer app when implemented)."""
