"""dbt integration: generate dbt model contracts and tests from data contracts, run dbt.

The only package that imports dbt. ``generate`` writes ``models/**/_<feed>.contract.yml``
(checked for staleness in CI), ``runner`` invokes dbt in-process via ``dbtRunner``, and
``drift`` compares the data contracts with the models in ``target/manifest.json``.
"""
