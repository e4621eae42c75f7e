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


_EXAMPLE_EXPORT_ODCS = """\b
Examples:
  contractkit export odcs contracts/dst-ledighed.yaml -o dst-ledighed.odcs.yaml
"""


@export_app.command("odcs", epilog=_EXAMPLE_EXPORT_ODCS)
def export_odcs(
    contract: Annotated[Path, typer.Argument(metavar="CONTRACT", help="The contract YAML file.")],
    output: _Out = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of YAML (default for "
                                                          "an -o ending in .json).")] = False,
) -> None:
    """Export CONTRACT as an ODCS v3.1.0 data contract (validated against the ODCS schema)."""
    from contractkit.interop import contract_to_odcs, odcs_problems
    from contractkit.loader import load_contract

    lc = load_contract(contract)
    misfits: list[str] = []
    doc = contract_to_odcs(lc.contract, misfits=misfits)
    for path in misfits:
        err_console.print(f"warning: odcs_extra {path!r} no longer fits the contract; left out",
                          markup=False, highlight=False)
    problems = odcs_problems(doc)
    if problems:  # a bug in the mapping, never the user's fault: refuse to write it
        loc, msg = problems[0]
        raise UsageError(f"{contract}: the ODCS export is invalid at {loc}: {msg}")
    use_json = as_json or (output is not None and output.suffix.lower() == ".json")
    text = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n") if use_json else _yaml_text(doc)
    _emit(text, output, (contract,))
    raise typer.Exit(EXIT_OK)


_EXAMPLE_EXPORT_TABLESCHEMA = """\b
Examples:
  contractkit export tableschema contracts/dst-ledighed.yaml -o schema.json
"""


@export_app.command("tableschema", epilog=_EXAMPLE_EXPORT_TABLESCHEMA)
def export_tableschema(
    contract: Annotated[Path, typer.Argument(metavar="CONTRACT", help="The contract YAML file.")],
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


_EXAMPLE_IMPORT_ODCS = """\b
Examples:
  contractkit import odcs dst-ledighed.odcs.yaml -o contracts/dst-ledighed.yaml
"""


@import_app.command("odcs", epilog=_EXAMPLE_IMPORT_ODCS)
def import_odcs(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="An ODCS v3 document (YAML or JSON).")],
    output: _Out = None,
) -> None:
    """Import an ODCS v3 document as contract YAML (exit 2 if it is not valid ODCS).

    What contractkit needs and ODCS lacks (recipient, legal basis, …) becomes a commented
    placeholder of a draft; what ODCS says and the contract language cannot is kept verbatim
    under odcs_extra. Both are listed on stderr.
    """
    from contractkit.interop import contract_to_yaml, load_odcs
    from contractkit.interop.odcs_import import PLACEHOLDERS, import_odcs

    document, positions = load_odcs(file)
    result = import_odcs(document, file, positions)
    hints = {name: need for name, (_, need) in PLACEHOLDERS.items()}
    _emit(contract_to_yaml(result.contract, hints=hints), output, (file,))
    _report_import(file, result)
    raise typer.Exit(EXIT_OK)


def _report_import(file: Path, result: Any) -> None:
    from contractkit.interop.odcs_import import NOTES

    def say(text: str) -> None:
        err_console.print(text, markup=False, highlight=False, soft_wrap=True)

    c = result.contract
    say(f"{file}: ODCS {result.api_version} document imported as contract {c.id} "
        f"{c.version} (status {c.status})")
    if result.placeholders:
        say(f"draft: {len(result.placeholders)} field(s) ODCS does not state; the steward must "
            "fill in (lint reports each as an error, ci refuses the contract until then):")
        for name, need in result.placeholders:
            say(f"  - {name}: {need}")
    for step in result.todo:
        say(f"  - {step}")
    if result.kept:
        say(f"kept aside under odcs_extra ({len(result.kept)}; export odcs writes them back):")
        for path, why in result.kept:
            say(f"  - {path}: {why}")
    for note in NOTES:
        say(f"note: {note}")
