"""``contractkit dbt generate|drift``: dbt YAML from the contracts, and drift against dbt."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contractkit.cli._app import EXIT_FINDINGS, EXIT_OK, app, console

__all__ = ["drift", "generate"]

dbt_app = typer.Typer(help="dbt integration: generated model contracts and drift.",
                      no_args_is_help=True)
app.add_typer(dbt_app, name="dbt")

ContractsOpt = Annotated[Path, typer.Option("--contract", "-c", help="Contracts folder.")]
ProjectOpt = Annotated[Path, typer.Option(help="The dbt project folder.")]


_EXAMPLE_GENERATE = """\b
Examples:
  contractkit dbt generate
  contractkit dbt generate --check -c contracts/
"""


@dbt_app.command(epilog=_EXAMPLE_GENERATE)
def generate(
    contracts: ContractsOpt = Path("contracts"),
    project_dir: ProjectOpt = Path("."),
    check: Annotated[bool, typer.Option(help="Exit 1 if a generated file is stale.")] = False,
) -> None:
    """Write models/deliveries/_<contract id>.contract.yml for every outbound contract."""
    from contractkit.atomic import atomic_write_text
    from contractkit.dbt.generate import generate_files, stale_files
    from contractkit.pipeline.ci import load_outbound

    loaded, lists = load_outbound(contracts)
    wanted = generate_files(loaded, lists, project_dir)
    stale = stale_files(wanted, project_dir)
    if check:
        for p in stale:
            console.print(f"stale: {p} (run `contractkit dbt generate`)", markup=False)
        if not stale:
            console.print(f"{len(wanted)} generated file(s) up to date", markup=False)
        raise typer.Exit(EXIT_FINDINGS if stale else EXIT_OK)
    texts = {f.path: f.text for f in wanted}
    for p in stale:
        if p in texts:
            atomic_write_text(p, texts[p])
            console.print(f"wrote {p}", markup=False)
        else:
            p.unlink()
            console.print(f"removed {p} (no contract)", markup=False)
    if not stale:
        console.print(f"{len(wanted)} generated file(s) up to date", markup=False)
    raise typer.Exit(EXIT_OK)


_EXAMPLE_DRIFT = """\b
Examples:
  contractkit dbt drift --parse
"""


@dbt_app.command(epilog=_EXAMPLE_DRIFT)
def drift(
    contracts: ContractsOpt = Path("contracts"),
    project_dir: ProjectOpt = Path("."),
    manifest: Annotated[Path | None, typer.Option(
        help="dbt manifest (default <project>/target/manifest.json).")] = None,
    parse: Annotated[bool, typer.Option(help="Run `dbt parse` first.")] = False,
) -> None:
    """Compare the dbt manifest's delivery models with the contracts (exit 1 on drift)."""
    from contractkit.dbt.drift import find_drift, read_manifest_models
    from contractkit.pipeline.ci import load_outbound

    loaded, _ = load_outbound(contracts)
    target = project_dir / "target"
    path = manifest or target / "manifest.json"
    if parse:
        from contractkit.dbt.runner import DbtSettings, run_dbt

        run_dbt(["parse"], DbtSettings(project_dir, project_dir,
                                       project_dir / "warehouse/dsdw.duckdb", path.parent))
    found = find_drift(loaded, read_manifest_models(path))
    for d in found:
        detail = f" expected {d.expected}" if d.expected else ""
        detail += f" found {d.found}" if d.found else ""
        col = f".{d.column}" if d.column else ""
        console.print(f"drift: {d.contract}: {d.model}{col}: {d.kind}{detail}", markup=False)
    if not found:
        console.print(f"no drift: {len(loaded)} contract(s) match {path}", markup=False)
    raise typer.Exit(EXIT_FINDINGS if found else EXIT_OK)
