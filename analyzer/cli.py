"""Command line: arguments -> Config -> engine.scan() -> reporter. Nothing else lives here.

``iacscan PATH...`` scans (the ``scan`` subcommand is implied when the first argument is not a
subcommand); ``iacscan rules``, ``iacscan explain IAC003``, ``iacscan graph PATH`` and
``iacscan model PATH`` inspect.
Exit codes: 0 nothing at or above ``--fail-on``, 1 findings, 2 a usage, configuration or internal
error (one line on stderr; ``--debug`` adds the traceback), 130/143 interrupted by SIGINT/SIGTERM.

Heavy libraries (libcst, cfn-lint, networkx, rich, jsonschema) are imported only on the code paths
that use them, so ``iacscan --version`` answers at once."""

import contextlib
import json
import os
import re
import signal
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from analyzer import __version__
from analyzer.config import Config, ConfigError, load

if TYPE_CHECKING:
    from analyzer.cache import ScanCache
    from analyzer.engine import ScanResult
    from analyzer.findings import Severity

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_SIGINT, EXIT_SIGTERM = 130, 143
OUTPUT_FORMATS = ("text", "json", "sarif", "github", "line", "markdown")

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Find deployment blockers in Pulumi Python, AWS CDK Python and CloudFormation worktrees.",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"iacscan {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Find deployment blockers in Pulumi Python, AWS CDK Python and CloudFormation worktrees.

    `iacscan PATH...` scans; it is short for `iacscan scan PATH...`."""


@app.command("scan")
def scan_command(
    paths: Annotated[list[Path], typer.Argument(help="Worktrees to scan (or roots, with --recursive).")],
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text, json, sarif, github, line or markdown.")
    ] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to FILE (atomically).")
    ] = None,
    select: Annotated[
        str | None, typer.Option(help="Only these rules: comma-separated ids, prefixes or names.")
    ] = None,
    ignore: Annotated[
        str | None, typer.Option(help="Skip these rules (added to the config's ignore).")
    ] = None,
    severity_threshold: Annotated[
        str | None, typer.Option(help="Do not report findings below error, warning or note.")
    ] = None,
    fail_on: Annotated[
        str | None, typer.Option(help="Exit 1 on findings at or above error, warning, note; never: exit 0.")
    ] = None,
    config_file: Annotated[
        Path | None, typer.Option("--config", help="Use this TOML file instead of looking for one.")
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option(help="Hide findings recorded in this baseline file.")
    ] = None,
    write_baseline: Annotated[
        Path | None, typer.Option(help="Record every current finding in this baseline file; exit 0.")
    ] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="Plain text even on a terminal.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Text format: the summary line only.")] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks of internal errors.")] = False,
    report_unused_suppressions: Annotated[
        bool, typer.Option(help="Report inline suppressions that match no finding (IAC904).")
    ] = False,
    recursive: Annotated[
        bool, typer.Option("--recursive", "-r", help="Scan every worktree found under each PATH.")
    ] = False,
    changed_since: Annotated[
        str | None,
        typer.Option(
            help="Only report findings on lines changed since this git revision (e.g. origin/main)."
        ),
    ] = None,
    fix: Annotated[
        bool, typer.Option("--fix", help="Apply safe fixes, rescan, report what remains.")
    ] = False,
    unsafe_fixes: Annotated[
        bool, typer.Option("--unsafe-fixes", help="With --fix or --diff: apply unsafe fixes too.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print the fixes as a unified diff; write nothing.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Analyse worktrees in N processes (default: one per core)."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Neither read nor write the result cache.")
    ] = False,
    cache_dir: Annotated[
        Path | None, typer.Option(help="Keep the result cache here (default: $XDG_CACHE_HOME/iacscan).")
    ] = None,
    watch: Annotated[
        bool, typer.Option("--watch", help="Report again whenever a file changes (needs iacscan[watch]).")
    ] = False,
    timings: Annotated[
        bool,
        typer.Option("--timings", help="JSON: include the scan's duration (off: reports are reproducible)."),
    ] = False,
) -> None:
    """Scan worktrees and report deployment blockers."""
    arguments = dict(locals())  # --watch re-runs this command with the same arguments
    from analyzer import baseline as baselines
    from analyzer.engine import scan
    from analyzer.report import ReportOptions, render

    if output_format not in OUTPUT_FORMATS:
        raise ConfigError(f"unknown --format {output_format!r} (use {', '.join(OUTPUT_FORMATS)})")
    worktrees = _worktrees(paths, recursive, quiet)
    config = _config(
        paths, config_file, select, ignore, severity_threshold, fail_on, report_unused_suppressions
    )
    # Everything that can fail on the user's input fails before the (slow) scan.
    known_baseline = baselines.load(baseline) if baseline is not None else None
    changed = None
    if changed_since is not None:
        from analyzer.changes import changed_lines

        changed = changed_lines(_common_parent([path.resolve() for path in worktrees]), changed_since)
    if watch:
        raise typer.Exit(_watch(worktrees, arguments, fix or diff, output, quiet))
    if jobs is not None and jobs < 1:
        raise ConfigError("--jobs must be at least 1")
    cache = _cache(no_cache, cache_dir, quiet)

    result = scan(worktrees, config, debug=debug, jobs=jobs or _default_jobs(), cache=cache)
    if fix or diff:
        from analyzer.fixes.command import fix_or_diff

        result, fix_diff = fix_or_diff(
            result,
            lambda: scan(worktrees, config, debug=debug),
            apply=not diff,
            unsafe=unsafe_fixes,
            note=None if quiet else _note,
            baseline=known_baseline,
            changed=changed,
        )
        if fix_diff is not None:
            _write_stdout(fix_diff)
            raise typer.Exit(EXIT_FINDINGS if fix_diff else EXIT_OK)
    if output_format == "sarif":
        from analyzer.fixes import attach

        result = attach(result)  # SARIF carries each offered fix as concrete edits
    if write_baseline is not None:
        _write_file(write_baseline, baselines.dumps(result.findings, __version__))
        if not quiet:
            _note(f"wrote {len(result.findings)} finding(s) to the baseline {write_baseline}")
    if known_baseline is not None:
        result = baselines.apply(result, known_baseline)
    if changed is not None:
        from analyzer.changes import only_changed

        result = only_changed(result, changed)

    color = (
        output_format == "text"
        and output is None
        and not no_color
        and "NO_COLOR" not in os.environ
        and sys.stdout.isatty()
    )
    options = ReportOptions(base=_report_base(result), color=color, quiet=quiet, timings=timings)
    report = render(output_format, result, options)
    if output is not None:
        _write_file(output, report)
    else:
        _write_stdout(report)
    if write_baseline is not None:
        raise typer.Exit(EXIT_OK)  # adopting a baseline is not a failure
    raise typer.Exit(EXIT_FINDINGS if config.fails(result.worst()) else EXIT_OK)


@app.command("rules")
def rules_command(
    output_format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    data_sources: Annotated[
        bool,
        typer.Option(
            "--data-sources", help="List the AWS data the rules use, its versions and how to refresh it."
        ),
    ] = False,
) -> None:
    """List every rule: id, name, default severity, summary."""
    from analyzer.registry import all_rules

    if data_sources:
        _print_data_sources(output_format)
        return

    rules = all_rules()
    if output_format == "json":
        data = [
            {
                "id": r.id,
                "name": r.name,
                "severity": r.severity.label,
                "summary": r.summary,
                "tags": list(r.tags),
            }
            for r in rules
        ]
        typer.echo(json.dumps(data, indent=2))
        return
    if output_format != "text":
        raise ConfigError(f"unknown --format {output_format!r} for rules (use text or json)")
    name_width = max((len(r.name) for r in rules), default=4)
    typer.echo(f"{'ID':<8}{'NAME':<{name_width + 2}}{'SEVERITY':<10}SUMMARY")
    for rule in rules:
        typer.echo(f"{rule.id:<8}{rule.name:<{name_width + 2}}{rule.severity.label:<10}{rule.summary}")


def _print_data_sources(output_format: str) -> None:
    from dataclasses import asdict

    from analyzer.datasources import all_sources

    sources = all_sources()
    if output_format == "json":
        typer.echo(json.dumps([asdict(source) for source in sources], indent=2))
        return
    if output_format != "text":
        raise ConfigError(f"unknown --format {output_format!r} for rules (use text or json)")
    for source in sources:
        typer.echo(
            f"{source.name}\n  version: {source.version}\n  path:    {source.path}\n"
            f"  used by: {source.used_by}\n  refresh: {source.refresh}\n"
        )


@app.command("explain")
def explain_command(rule: Annotated[str, typer.Argument(help="A rule id (IAC003) or name.")]) -> None:
    """Print a rule's documentation (Markdown)."""
    from analyzer.docs import rule_page
    from analyzer.registry import rule_by_id

    found = rule_by_id(rule)
    if found is None:
        raise ConfigError(f"unknown rule {rule!r} (iacscan rules lists them)")
    _write_stdout(rule_page(found))


@app.command("graph")
def graph_command(
    paths: Annotated[list[Path], typer.Argument(help="Worktrees to draw (or roots, with --recursive).")],
    output_format: Annotated[str, typer.Option("--format", "-f", help="mermaid, dot or json.")] = "mermaid",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the graph to FILE (atomically).")
    ] = None,
    recursive: Annotated[
        bool, typer.Option("--recursive", "-r", help="Draw every worktree found under each PATH.")
    ] = False,
    config_file: Annotated[
        Path | None, typer.Option("--config", help="Use this TOML file instead of looking for one.")
    ] = None,
) -> None:
    """Draw the resource dependency graph; resources with findings are highlighted."""
    from analyzer.engine import scan
    from analyzer.report.graph import GRAPH_FORMATS, render

    if output_format not in GRAPH_FORMATS:
        raise ConfigError(f"unknown --format {output_format!r} for graph (use {', '.join(GRAPH_FORMATS)})")
    worktrees = _worktrees(paths, recursive, quiet=True)
    config = _config(paths, config_file, None, None, None, None, False)
    result = scan(worktrees, config)
    from analyzer.report import ReportOptions

    text = render(result, ReportOptions(base=_report_base(result)), output_format)
    if output is not None:
        _write_file(output, text)
    else:
        _write_stdout(text)


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


# -- helpers ------------------------------------------------------------------------------------


def _default_jobs() -> int:
    from analyzer.parallel import default_jobs

    return default_jobs()


def _cache(disabled: bool, directory: Path | None, quiet: bool) -> "ScanCache | None":
    """The result cache, unless --no-cache or IACSCAN_NO_CACHE (an explicit --cache-dir wins over
    the variable); an unsafe directory means no cache and a note, not a failure."""
    from analyzer.cache import CacheUnavailable, ScanCache, disabled_by_environment

    if disabled or (directory is None and disabled_by_environment()):
        return None
    try:
        return ScanCache.open(directory)
    except CacheUnavailable as error:
        if not quiet:
            _note(f"{error}; scanning without the cache")
        return None


def _watch(
    worktrees: list[Path], arguments: dict[str, object], fixing: bool, output: Path | None, quiet: bool
) -> int:
    from analyzer.watch import WatchUnavailable, watch

    if fixing:
        raise ConfigError("--watch cannot be combined with --fix or --diff")

    def once() -> int:
        try:
            scan_command(**{**arguments, "watch": False})  # type: ignore[arg-type]
        except typer.Exit as done:
            return done.exit_code
        except ConfigError as error:  # e.g. the configuration file was saved half-edited
            _note(f"error: {_one_line(str(error))}")
            return EXIT_ERROR
        return EXIT_OK

    from analyzer.cache import default_directory

    cache_dir = arguments.get("cache_dir")
    cache = cache_dir if isinstance(cache_dir, Path) else default_directory()
    ignored = [path for path in (output, cache) if path is not None]
    try:
        return watch(worktrees, once, ignore=ignored, note=None if quiet else _note)
    except WatchUnavailable as error:
        raise ConfigError(str(error)) from None


def _worktrees(paths: Sequence[Path], recursive: bool, quiet: bool) -> list[Path]:
    from analyzer.discover import MARKERS, find_worktrees, is_worktree

    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise ConfigError(f"no such file or directory: {path}")
        if not path.is_dir():
            raise ConfigError(f"not a directory: {path} (iacscan scans worktree directories)")
        if recursive:
            below = find_worktrees(path)
            if not below:
                raise ConfigError(f"no worktree found under {path}")
            found.extend(below)
        else:
            if not is_worktree(path) and not quiet:
                _note(
                    f"{path} has none of {', '.join(MARKERS)}; scanning it anyway "
                    "(use --recursive to find worktrees below it)"
                )
            found.append(path)
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def _config(
    paths: Sequence[Path],
    explicit: Path | None,
    select: str | None,
    ignore: str | None,
    severity_threshold: str | None,
    fail_on: str | None,
    report_unused: bool,
) -> Config:
    anchor = _common_parent([path.resolve() for path in paths])
    config = load(anchor, explicit)
    changes: dict[str, Any] = {}
    if select is not None:
        changes["select"] = _rule_patterns(select, "--select")
    if ignore is not None:
        changes["ignore"] = (*config.ignore, *_rule_patterns(ignore, "--ignore"))
    if severity_threshold is not None:
        changes["severity_threshold"] = _severity(severity_threshold, "--severity-threshold")
    if fail_on is not None:
        changes["fail_on"] = None if fail_on.strip().lower() == "never" else _severity(fail_on, "--fail-on")
    if report_unused:
        changes["report_unused_suppressions"] = True
    import dataclasses

    return dataclasses.replace(config, **changes)


def _rule_patterns(text: str, option: str) -> tuple[str, ...]:
    """Comma-separated ids, id prefixes or names; each must name at least one registered rule."""
    from analyzer.registry import all_rules

    rules = all_rules()
    patterns = []
    for token in filter(None, (part.strip() for part in re.split(r"[,\s]+", text))):
        pattern = token.upper() if token.upper().startswith("IAC") else token.lower()
        if not any(rule.id.startswith(pattern) or rule.name == pattern for rule in rules):
            raise ConfigError(f"unknown rule {token!r} in {option} (iacscan rules lists them)")
        patterns.append(pattern)
    if not patterns:
        raise ConfigError(f"{option} needs at least one rule id")
    return tuple(patterns)


def _severity(text: str, option: str) -> "Severity":
    from analyzer.findings import Severity

    try:
        return Severity.parse(text)
    except ValueError as error:
        raise ConfigError(f"{option}: {error}") from None


def _common_parent(paths: Sequence[Path]) -> Path:
    common = paths[0]
    for path in paths[1:]:
        while not path.is_relative_to(common):
            common = common.parent
    return common


def _report_base(result: "ScanResult") -> Path | None:
    # Paths relative to the current directory when the scan is below it: what editors, GitHub
    # annotations and code scanning (run from the repository root) resolve.
    cwd = Path.cwd().resolve()
    return cwd if result.root.is_relative_to(cwd) else None


def _write_file(path: Path, text: str) -> None:
    from analyzer.report.output import write_atomically

    try:
        write_atomically(path, text)
    except OSError as error:  # a missing directory, no permission: the user's to fix
        raise ConfigError(f"cannot write {path}: {error.strerror or error}") from None


def _note(message: str) -> None:
    typer.echo(f"iacscan: {message}", err=True)


def _write_stdout(text: str) -> None:
    try:
        try:
            sys.stdout.write(text)
        except UnicodeEncodeError:  # a terminal that is not UTF-8: escape rather than crash
            encoding = sys.stdout.encoding or "ascii"
            sys.stdout.write(text.encode(encoding, "backslashreplace").decode(encoding))
        sys.stdout.flush()
    except BrokenPipeError:
        # `iacscan ... | head`: the reader left; that is not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


# -- entry point --------------------------------------------------------------------------------


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread so that `finally` blocks and temp-file cleanup run."""


def _on_sigterm(signum: int, frame: object) -> NoReturn:
    raise _Terminated


def _with_default_command(args: list[str]) -> list[str]:
    """``iacscan ./worktree`` means ``iacscan scan ./worktree``."""
    commands = {command.name for command in app.registered_commands}
    if not args or args[0] in commands or args[0] in ("--version", "--help", "-h"):
        return args
    return ["scan", *args]


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (``main`` exits with it; tests call this)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:  # the fast path: no option parsing at all
        sys.stdout.write(f"iacscan {__version__}\n")
        return EXIT_OK
    if not args:  # like ruff and git: the usage, and the exit code of a usage error
        app(args=["--help"], prog_name="iacscan", standalone_mode=False)
        return EXIT_ERROR
    debug = "--debug" in args
    previous = _install_sigterm()
    try:
        code = app(args=_with_default_command(args), prog_name="iacscan", standalone_mode=False)
    except _usage_errors() as error:
        return _fail(_one_line(error.format_message()) + " (iacscan --help shows the usage)")  # type: ignore[attr-defined]  # click's UsageError
    except ConfigError as error:
        return _fail(_one_line(str(error)))
    except (KeyboardInterrupt, typer.Abort):
        return EXIT_SIGINT
    except _Terminated:
        return EXIT_SIGTERM
    except Exception as error:  # our bug: one line, the traceback only on request
        if debug:
            traceback.print_exc()
        return _fail(
            f"internal error: {type(error).__name__}: {_one_line(str(error))} (--debug shows the traceback)"
        )
    finally:
        _restore_sigterm(previous)
    return code if isinstance(code, int) else EXIT_OK


def _usage_errors() -> tuple[type[Exception], ...]:
    # Recent typer vendors click as typer._click; older releases use click itself.
    kinds: list[type[Exception]] = []
    try:
        from typer._click.exceptions import ClickException as Vendored

        kinds.append(Vendored)
    except ImportError:
        pass
    try:
        from click.exceptions import ClickException

        kinds.append(ClickException)
    except ImportError:
        pass
    return tuple(kinds)


def _fail(message: str) -> int:
    sys.stderr.write(f"iacscan: error: {message}\n")
    return EXIT_ERROR


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _install_sigterm() -> object:
    try:
        return signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread (an embedding program): leave signals alone
        return None


def _restore_sigterm(previous: object) -> None:
    if previous is not None:
        with contextlib.suppress(ValueError):
            signal.signal(signal.SIGTERM, previous)  # type: ignore[arg-type]


def main() -> None:
    _pace_collector()
    sys.exit(run())


def _pace_collector() -> None:
    # The console script is a short-lived process that imports and builds millions of small objects
    # (libcst's node classes, the model) and frees little: at CPython's default threshold (700) the
    # cyclic collector runs hundreds of times over them, a quarter of a cold scan's CPU time
    # (`benchmarks/bench_scan.py --sections cold`). Mypy's entry point does the same. Only `main`
    # does this: code that calls `run` (tests, embedding programs) keeps its own settings.
    import gc

    gc.set_threshold(100_000, 50, 100)


if __name__ == "__main__":
    main()
