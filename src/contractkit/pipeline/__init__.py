"""The delivery pipeline behind ``contractkit ci``.

For one period it runs dbt on the embedded warehouse, exports each outbound contract's
tables as delivery files (per municipality/region where the scope says so), validates them
with the same contract, writes a manifest, and releases or rejects each feed atomically.
"""
