"""Synthetic deliveries: seeded generators, hypothesis strategies and rule-breaking mutants."""
