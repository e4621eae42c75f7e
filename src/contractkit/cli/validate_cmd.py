"""``contractkit validate`` commands (registered on the shared typer app when implemented)."""
