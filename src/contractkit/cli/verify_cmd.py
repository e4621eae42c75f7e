"""``contractkit verify`` commands (registered on the shared typer app when implemented)."""
