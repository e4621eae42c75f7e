"""contractkit.dbt (work in progress)."""
