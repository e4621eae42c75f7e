"""The vocabulary of checks: CPR rules (pure Python) and polars check expressions."""
