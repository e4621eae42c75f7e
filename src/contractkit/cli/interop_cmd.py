"""``contractkit export odcs|tableschema`` and ``contractkit import odcs``: standard formats."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Annotated, Any

import typer

from contractkit.atomic import atomic_write_text
from contractkit.cli._app import EXIT_OK, app, err_console
from contractkit.errors import UsageError

__all__ = ["export_app", "import_app"]

export_app = typer.Typer(help="Export a contract in a standard format (ODCS v3, Table Schema).",
                         no_args_is_help=True)
import_app = typer.Typer(help="Import a contract from a standard format (ODCS v3).",
                         no_args_is_help=True)
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")

_Out = Annotated[Path | None, typer.Option("--output", "-o", help="Write here (default: stdout).")]


def _yaml_text(data: Any) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)  # round-trip dumper: keeps key order
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    yaml.dump(data, buf)
    return buf.getvalue()


def _emit(text: str, output: Path | None, inputs: tuple[Path, ...]) -> None:
    if output is None:
        typer.echo(text, nl=False)
        return
    if any(output.resolve() == p.resolve() for p in inputs):
        raise UsageError(f"{output}: refusing to overwrite an input file")
    atomic_write_text(output, text)
    err_console.print(f"wrote {output}", markup=False, highlight=False)


@export_app.command("odcs")
def export_odcs(
    contract: Annotated[Path, typer.Argument(help="The contract YAML file.")],
    output: _Out = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of YAML (default for "
                                                          "an -o ending in .json).")] = False,
) -> None:
    """Export CONTRACT as an ODCS v3.1.0 data contract (validated against the ODCS schema)."""
    from contractkit.interop import contract_to_odcs, odcs_problems
    from contractkit.loader import load_contract

    lc = load_contract(contract)
    doc = contract_to_odcs(lc.contract)
    problems = odcs_problems(doc)
    if problems:  # a bug in the mapping, never the user's fault: refuse to write it
        loc, msg = problems[0]
        raise UsageError(f"{contract}: the ODCS export is invalid at {loc}: {msg}")
    use_json = as_json or (output is not None and output.suffix.lower() == ".json")
    text = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n") if use_json else _yaml_text(doc)
    _emit(text, output, (contract,))
    raise typer.Exit(EXIT_OK)


@export_app.command("tableschema")
def export_tableschema(
    contract: Annotated[Path, typer.Argument(help="The contract YAML file.")],
    table: Annotated[str | None, typer.Option(help="Only this table.")] = None,
    output: _Out = None,
    period: Annotated[str | None, typer.Option(
        help="List column-family members for this delivery period, e.g. 2024-03.")] = None,
) -> None:
    """Export CONTRACT as a Frictionless Table Schema (several tables: a Tabular Data Package)."""
    from contractkit.interop import contract_to_datapackage, contract_to_tableschema
    from contractkit.loader import default_codelist_dir, load_codelists, load_contract

    lc = load_contract(contract)
    codelists, _ = load_codelists(default_codelist_dir(lc.path))
    if table is None and len(lc.contract.tables) > 1:
        doc = contract_to_datapackage(lc.contract, codelists, period)
    else:
        doc = contract_to_tableschema(lc.contract, table, codelists, period)
    _emit(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", output, (contract,))
    raise typer.Exit(EXIT_OK)


@import_app.command("odcs")
def import_odcs(
    file: Annotated[Path, typer.Argument(help="An ODCS v3 document (YAML or JSON).")],
    output: _Out = None,
) -> None:
    """Import an ODCS v3 document as contract YAML (exit 2 if it cannot be a contract)."""
    from contractkit.interop import contract_to_yaml, load_odcs, odcs_to_contract

    contract = odcs_to_contract(load_odcs(file), file)
    _emit(contract_to_yaml(contract), output, (file,))
    raise typer.Exit(EXIT_OK)
