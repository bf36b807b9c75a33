"""Command line: arguments -> Config -> engine.scan() -> reporter. Nothing else lives here."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from analyzer import __version__
from analyzer.config import ConfigError, load

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False)


@app.command("model")
def model_command(
    path: Annotated[Path, typer.Argument(help="worktree to model")],
    output_format: Annotated[str, typer.Option("--format", help="json")] = "json",
) -> None:
    """Print the neutral model of a worktree (resources, names, suffix provenance, edges)."""
    from analyzer.engine import scan
    from analyzer.report.model_view import project_data

    if not path.is_dir():
        raise ConfigError(f"not a directory: {path}")
    config = load(path)
    result = scan([path], config)
    data = [project_data(item.project, item.graph) for item in result.projects]
    typer.echo(json.dumps(data, indent=2, sort_keys=False))


def main() -> None:
    try:
        app()
    except ConfigError as error:
        typer.echo(f"iacscan: error: {error}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()


_ = __version__
