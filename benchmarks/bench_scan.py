"""End-to-end speed of iacscan, side by side with cfn-lint (and checkov): prints tables; asserts nothing.

    python benchmarks/bench_scan.py                       # every section, 1,000 worktrees
    python benchmarks/bench_scan.py --sections cold,warm  # some sections
    python benchmarks/bench_scan.py --compare --checkov /path/to/checkov
    python benchmarks/bench_scan.py --worktrees 200 --repeats 3   # quicker

Sections (figures are wall seconds and CPU seconds, user+system, of the process and its children;
on a shared machine CPU time is the steadier figure, both are printed):

* ``phases``: per-phase time of each sample worktree, in one process after a warm-up scan (the
  engine's ``ScanResult.timings`` plus rendering the text report).
* ``cold``: a new ``iacscan`` process per run (text output, ``--no-cache``) on the median TAP
  worktree of each platform, and one ``cfn-lint`` process on the same CloudFormation template;
  ``iacscan --version``.
* ``inprocess``: 40 TAP templates analysed in one process, per template, against
  ``cfnlint.api.lint`` linting the same 40 in one process.
* ``throughput``: N copies of the sample worktrees (``--worktrees``) scanned with ``-r`` in one
  process, ``--jobs 1`` and ``--jobs 2``: worktrees per second and peak memory of the process tree.
* ``scaling``: generated CloudFormation templates of 10 to 10,000 resources and generated Pulumi
  worktrees, analysed in one process; the exponent of a least-squares fit of log(time) on
  log(size) (1.0 is linear); the 10,000-resource template also end to end in a new process.
* ``warm``: a new process with an empty cache, then again with the cache filled; in one process too.
* ``imports``: where a cold process spends its import time (``python -X importtime``), by top-level
  package, for the median worktree of each platform and for a cached re-run: the floor that
  libraries set under any analysis.
* ``watch``: ``iacscan --watch`` on a worktree; the time from saving a file to the re-analysis
  being reported.
* ``--iacscan PATH``: the console script to time (default: the one beside this interpreter), e.g.
  from a virtual environment where iacscan was installed with ``pip install .`` as users install it.
* Bytecode: pip compiles an installed package's modules; a source checkout run with
  ``PYTHONDONTWRITEBYTECODE`` set (some CI images and sandboxes) would compile ~100 modules in every
  new process. The script compiles the checkout's modules first (``compileall``, into the ignored
  ``__pycache__`` directories) so that cold figures are an installed tool's.
* ``--compare``: adds checkov (``--checkov PATH`` or on PATH; it pins networkx<3, so it usually
  lives in its own virtual environment) to ``cold`` and ``inprocess``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SAMPLES = REPO / "sample_repos"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from bench_cloudformation import generated_template  # noqa: E402
from bench_python_layer import generate as generate_pulumi  # noqa: E402

MEDIAN = {
    "cloudformation": "cfn-appointment-scheduler",
    "pulumi": "pulumi-aurora-dms",
    "cdk": "cdk-props-kwargs",
}
SECTIONS = ("phases", "cold", "inprocess", "throughput", "scaling", "warm", "watch", "imports")
BIG_LIMITS = "[limits]\nmax-file-bytes = 100000000\nmax-resources = 1000000\n"


# -- processes ---------------------------------------------------------------------------------


IACSCAN_OVERRIDE: list[str] = []  # --iacscan


def tool(name: str) -> list[str]:
    """The console script installed next to this interpreter (not a pyenv shim: no bash start-up)."""
    if name == "iacscan" and IACSCAN_OVERRIDE:
        return list(IACSCAN_OVERRIDE)
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return [str(beside)]
    if name == "iacscan":
        return [sys.executable, "-c", "from analyzer.cli import main; main()"]
    found = shutil.which(name)
    return [found] if found else []


def _tree_rss_kib(pid: int) -> int:
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue
    return total


def run(
    command: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MiB of the process tree, sampled every 10 ms) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss_kib(process.pid))
        time.sleep(0.01)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, peak / 1024


def repeated(command: Sequence[str], repeats: int, **kwargs: object) -> tuple[float, float, float]:
    """Median wall, minimum CPU and largest peak memory over ``repeats`` runs."""
    runs = [run(command, **kwargs) for _ in range(repeats)]  # type: ignore[arg-type]
    return statistics.median(r[0] for r in runs), min(r[1] for r in runs), max(r[2] for r in runs)


# -- in-process helpers ------------------------------------------------------------------------


def scan_in_process(roots: Sequence[Path], *, cache_dir: Path | None = None, jobs: int = 1):  # type: ignore[no-untyped-def]
    from analyzer.cache import ScanCache
    from analyzer.config import load
    from analyzer.engine import scan

    cache = ScanCache.open(cache_dir) if cache_dir is not None else None
    return scan(list(roots), load(roots[0]), jobs=jobs, cache=cache)


def timed(function: Callable[[], object]) -> tuple[float, float]:
    """(wall s, CPU s of this process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def fitted_exponent(sizes: Sequence[float], seconds: Sequence[float]) -> float:
    xs = [math.log(size) for size in sizes]
    ys = [math.log(max(value, 1e-6)) for value in seconds]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    numerator = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return numerator / sum((x - mean_x) ** 2 for x in xs)


def templates() -> list[Path]:
    return sorted(SAMPLES.glob("cfn-*/lib/TapStack.*"))


def template_worktree(directory: Path, text: str, suffix: str, limits: bool = False) -> Path:
    (directory / "lib").mkdir(parents=True, exist_ok=True)
    (directory / "lib" / f"TapStack{suffix}").write_text(text, encoding="utf-8")
    (directory / "metadata.json").write_text('{"platform": "cfn", "language": "json"}\n')
    if limits:
        (directory / ".iacscan.toml").write_text(BIG_LIMITS)
    return directory


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(item) for item in header]] + [[_cell(item) for item in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    for index, row in enumerate(cells):
        print(
            "  ".join(
                cell.rjust(width) if i else cell.ljust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
        )
        if index == 0:
            print("  ".join("-" * width for width in widths))


def _cell(item: object) -> str:
    if isinstance(item, float):
        return f"{item:.3f}" if item < 10 else f"{item:.1f}"
    return str(item)


# -- sections ----------------------------------------------------------------------------------


def section_phases(options: argparse.Namespace, work: Path) -> None:
    from analyzer.report import ReportOptions, render

    print("\n## Per-phase time per worktree (ms, one process, after a warm-up scan, no cache)")
    phases = ("discover", "detect", "parse", "graph", "rules", "review", "suppress")
    rows = []
    for root in sorted(path for path in SAMPLES.iterdir() if path.is_dir()):
        scan_in_process([root])
        result = scan_in_process([root])
        report_s, _ = timed(lambda r=result: render("text", r, ReportOptions(base=None)))
        resources = sum(len(item.project.resources) for item in result.projects)
        figures = [1000 * result.timings.get(phase, 0.0) for phase in phases]
        rows.append([root.name, resources, *figures, 1000 * report_s, sum(figures) + 1000 * report_s])
    table(["worktree", "resources", *phases, "report", "total"], rows)


def section_cold(options: argparse.Namespace, work: Path) -> None:
    print(f"\n## Cold process (new process per run; median wall, min CPU over {options.repeats} runs)")
    iacscan, cfn_lint = tool("iacscan"), tool("cfn-lint")
    rows = []
    wall, cpu, peak = repeated([*iacscan, "--version"], options.repeats)
    rows.append(["iacscan --version", wall, cpu, peak, ""])
    python_wall, python_cpu, _ = repeated([sys.executable, "-c", "pass"], options.repeats)
    rows.append(["python -c pass (floor)", python_wall, python_cpu, "", ""])
    for platform, name in MEDIAN.items():
        root = SAMPLES / name
        wall, cpu, peak = repeated([*iacscan, str(root), "--no-cache", "--fail-on", "never"], options.repeats)
        rows.append([f"iacscan {name} ({platform})", wall, cpu, peak, ""])
        if platform == "cloudformation":
            template = next((root / "lib").glob("TapStack.*"))
            l_wall, l_cpu, l_peak = repeated([*cfn_lint, str(template)], options.repeats)
            rows.append(
                [
                    f"cfn-lint {template.relative_to(SAMPLES)}",
                    l_wall,
                    l_cpu,
                    l_peak,
                    f"iacscan {l_wall / wall:.2f}x faster (wall), {l_cpu / cpu:.2f}x (CPU)",
                ]
            )
            checkov = checkov_command(options)
            if checkov:
                c_wall, c_cpu, c_peak = repeated(
                    [*checkov, "-f", str(template), *CHECKOV_FLAGS],
                    max(1, options.repeats // 2),
                    env=CHECKOV_ENV,
                )
                rows.append(
                    [
                        f"checkov {template.relative_to(SAMPLES)}",
                        c_wall,
                        c_cpu,
                        c_peak,
                        f"iacscan {c_wall / wall:.2f}x faster (wall), {c_cpu / cpu:.2f}x (CPU)",
                    ]
                )
    table(["command", "wall s", "CPU s", "peak MiB", "ratio"], rows)


CHECKOV_FLAGS = ("--framework", "cloudformation", "--quiet", "--compact", "-o", "json", "--skip-download")
CHECKOV_ENV = {"BC_SKIP_MAPPING": "TRUE", "CHECKOV_EXPERIMENTAL_IMAGE_REFERENCING": "False"}


def checkov_command(options: argparse.Namespace) -> list[str]:
    if not options.compare:
        return []
    if options.checkov:
        return [options.checkov]
    found = shutil.which("checkov")
    if not found:
        print("(checkov not found: pass --checkov PATH; see docs/performance.md)")
    return [found] if found else []


def section_inprocess(options: argparse.Namespace, work: Path) -> None:
    print("\n## 40 TAP templates in one process, per template (CPU ms; after a warm-up)")
    sources = templates()
    roots = []
    for index in range(40):
        source = sources[index % len(sources)]
        roots.append(
            template_worktree(work / "inprocess" / f"t{index:02d}", source.read_text(), source.suffix)
        )
    scan_in_process([roots[0]])  # warm-up: imports, data tables
    ours_wall, ours_cpu = timed(lambda: [scan_in_process([root]) for root in roots])
    rows = [["iacscan (engine.scan per worktree)", 1000 * ours_wall / 40, 1000 * ours_cpu / 40, ""]]
    from cfnlint.api import ManualArgs, lint

    texts = [next((root / "lib").glob("TapStack.*")).read_text() for root in roots]
    lint(texts[0], config=ManualArgs(regions=["us-east-1"]))  # warm-up: rule loading
    lint_wall, lint_cpu = timed(
        lambda: [lint(text, config=ManualArgs(regions=["us-east-1"])) for text in texts]
    )
    rows.append(
        [
            "cfnlint.api.lint",
            1000 * lint_wall / 40,
            1000 * lint_cpu / 40,
            f"iacscan {lint_cpu / ours_cpu:.1f}x faster (CPU), {lint_wall / ours_wall:.1f}x (wall)",
        ]
    )
    checkov = checkov_command(options)
    if checkov:
        directory = work / "inprocess-checkov"
        directory.mkdir(exist_ok=True)
        for index, root in enumerate(roots):
            template = next((root / "lib").glob("TapStack.*"))
            shutil.copy(template, directory / f"t{index:02d}{template.suffix}")
        wall, cpu, peak = run([*checkov, "-d", str(directory), *CHECKOV_FLAGS], env=CHECKOV_ENV)
        rows.append(
            [
                f"checkov -d (one process, 40 templates, peak {peak:.0f} MiB)",
                1000 * wall / 40,
                1000 * cpu / 40,
                f"iacscan {cpu / ours_cpu:.1f}x faster (CPU), {wall / ours_wall:.1f}x (wall)",
            ]
        )
    table(["", "wall ms / template", "CPU ms / template", "ratio"], rows)


def section_throughput(options: argparse.Namespace, work: Path) -> None:
    count = options.worktrees
    print(f"\n## Throughput: {count:,} worktrees (copies of the samples), one `iacscan -r` process, no cache")
    root = work / "many"
    samples = sorted(path for path in SAMPLES.iterdir() if path.is_dir())
    for index in range(count):
        shutil.copytree(samples[index % len(samples)], root / f"w{index:04d}", symlinks=True)
    rows = []
    for jobs in options.jobs:
        wall, cpu, peak = run(
            [*tool("iacscan"), "-r", str(root), "--no-cache", "-q", "--fail-on", "never", "--jobs", str(jobs)]
        )
        rows.append([f"--jobs {jobs}", wall, cpu, count / wall, peak])
    table(["", "wall s", "CPU s", "worktrees/s", "peak MiB (tree)"], rows)


def section_scaling(options: argparse.Namespace, work: Path) -> None:
    print("\n## Scaling with size (one process, after a warm-up; CPU seconds, min of 2 runs)")
    sizes = options.sizes
    rows, cpu_figures = [], []
    for size in sizes:
        root = template_worktree(
            work / f"scale-{size}", json.dumps(generated_template(size), indent=1), ".json", limits=True
        )
        scan_in_process([root]) if size <= 100 else None
        runs = [timed(lambda r=root: scan_in_process([r])) for _ in range(2 if size < 10_000 else 1)]
        wall, cpu = min(r[0] for r in runs), min(r[1] for r in runs)
        result = scan_in_process([root]) if size <= 1000 else None
        modelled = sum(len(p.project.resources) for p in result.projects) if result else size
        cpu_figures.append(cpu)
        rows.append([f"CloudFormation, {size:,} resources", modelled, wall, cpu, 1000 * cpu / size])
    exponent = fitted_exponent(
        [s for s in sizes if s >= 100], [c for s, c in zip(sizes, cpu_figures, strict=True) if s >= 100]
    )
    python_sizes, python_cpu = [], []
    for lines in options.python_lines:
        root = work / f"pulumi-{lines}"
        generate_pulumi(root, lines)
        scan_in_process([root])
        wall, cpu = timed(lambda r=root: scan_in_process([r]))
        result = scan_in_process([root])
        modelled = sum(len(p.project.resources) for p in result.projects)
        python_sizes.append(modelled)
        python_cpu.append(cpu)
        rows.append([f"Pulumi, ~{lines:,} lines", modelled, wall, cpu, 1000 * cpu / max(modelled, 1)])
    table(["worktree", "resources", "wall s", "CPU s", "CPU ms / resource"], rows)
    print(f"fitted exponent, CloudFormation (100+ resources): {exponent:.2f}   (1.00 = linear)")
    if len(python_sizes) > 1:
        print(f"fitted exponent, Pulumi: {fitted_exponent(python_sizes, python_cpu):.2f}")
    biggest = work / f"scale-{max(sizes)}"
    wall, cpu, peak = run([*tool("iacscan"), str(biggest), "--no-cache", "-q", "--fail-on", "never"])
    print(
        f"end to end, new process, {max(sizes):,} resources: wall {wall:.2f} s, CPU {cpu:.2f} s, peak {peak:.0f} MiB"
    )


def section_warm(options: argparse.Namespace, work: Path) -> None:
    print("\n## Warm re-scan (new process: empty cache, then the same command with the cache filled)")
    rows = []
    iacscan = tool("iacscan")
    targets = [(name, [SAMPLES / name]) for name in MEDIAN.values()]
    targets.append(("all samples (-r)", [SAMPLES, "-r"]))  # type: ignore[list-item]
    for label, arguments in targets:
        cold_runs, warm_runs = [], []
        for attempt in range(options.repeats):
            cache = work / f"cache-{label.replace(' ', '_')}-{attempt}"
            command = [*iacscan, *map(str, arguments), "--cache-dir", str(cache), "--fail-on", "never"]
            cold_runs.append(run(command))
            warm_runs.append(run(command))
        cold = (statistics.median(r[0] for r in cold_runs), min(r[1] for r in cold_runs))
        warm = (statistics.median(r[0] for r in warm_runs), min(r[1] for r in warm_runs))
        rows.append([label, cold[0], warm[0], cold[0] / warm[0], cold[1], warm[1], cold[1] / warm[1]])
    table(["worktree", "cold wall s", "warm wall s", "x", "cold CPU s", "warm CPU s", "x"], rows)
    roots = sorted(path for path in SAMPLES.iterdir() if path.is_dir())
    cache = work / "cache-inprocess"
    scan_in_process(roots)  # imports
    cold = timed(lambda: scan_in_process(roots, cache_dir=cache))
    warm = timed(lambda: scan_in_process(roots, cache_dir=cache))
    print(
        f"in one process, {len(roots)} samples: cache empty {cold[1]:.3f} s CPU, cache filled {warm[1]:.3f} s CPU ({cold[1] / warm[1]:.1f}x)"
    )


def section_imports(options: argparse.Namespace, work: Path) -> None:
    print("\n## Import time of a cold process by top-level package (ms, -X importtime, self time)")
    floor_code = "import libcst, networkx, jsonschema, rich.console, typer"
    wall, cpu, _ = repeated([sys.executable, "-c", floor_code], options.repeats)
    print(f"`python -c '{floor_code}'` alone: {wall:.3f} s wall, {cpu:.3f} s CPU (min)")
    code = "import sys; from analyzer.cli import main; sys.argv[0] = 'iacscan'; main()"
    cache = work / "cache-imports"
    runs = [(f"{name} cold", [str(SAMPLES / name), "--no-cache"]) for name in MEDIAN.values()]
    cached = str(SAMPLES / MEDIAN["pulumi"])
    run([sys.executable, "-c", code, cached, "--cache-dir", str(cache)])  # fill the cache
    runs.append((f"{MEDIAN['pulumi']} cached", [cached, "--cache-dir", str(cache)]))
    columns: list[dict[str, float]] = []
    for _label, arguments in runs:
        completed = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code, *arguments, "--fail-on", "never"],
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        columns.append(_import_self_times(completed.stderr))
    packages = sorted(
        {p for column in columns for p in column}, key=lambda p: -max(c.get(p, 0) for c in columns)
    )
    rows = [["total", *(sum(column.values()) for column in columns)]]
    rows += [[package, *(column.get(package, 0.0) for column in columns)] for package in packages[:14]]
    table(["package", *(label for label, _ in runs)], rows)


def _import_self_times(stderr: str) -> dict[str, float]:
    """Milliseconds of import self time per top-level package, from ``-X importtime`` output."""
    totals: dict[str, float] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _cumulative, name = (part.strip() for part in line[len("import time:") :].split("|"))
        package = name.split(".")[0]
        totals[package] = totals.get(package, 0.0) + int(self_us) / 1000
    return totals


def _compile_checkout() -> None:
    import compileall

    for package in ("analyzer", "plugins"):
        compileall.compile_dir(str(REPO / package), quiet=1)
    print("(bytecode of analyzer/ and plugins/ compiled, as pip does on install)")


def section_watch(options: argparse.Namespace, work: Path) -> None:
    print("\n## Watch mode: from saving one file to the re-analysis being reported")
    try:
        import watchfiles  # noqa: F401
    except ImportError:
        print("(watchfiles is not installed: pip install 'iacscan[watch]')")
        return
    rows = []
    for name in MEDIAN.values():
        root = work / f"watch-{name}"
        shutil.copytree(SAMPLES / name, root, symlinks=True)
        target = next(
            path
            for path in sorted(root.rglob("*"))
            if path.suffix in (".py", ".json", ".yml") and "lib" in path.parts
        )
        process = subprocess.Popen(
            [
                *tool("iacscan"),
                "--watch",
                str(root),
                "--format",
                "line",
                "--cache-dir",
                str(work / "watch-cache"),
                "--fail-on",
                "never",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stderr is not None
        latencies = []
        try:
            _wait_for(process, "watching for changes")
            for _attempt in range(options.repeats):
                time.sleep(0.3)  # let the watcher settle after the previous report
                start = time.perf_counter()
                with target.open("a", encoding="utf-8") as stream:
                    stream.write("\n" if target.suffix != ".json" else " ")
                line = _wait_for(process, "re-analysed in")
                latencies.append(
                    (time.perf_counter() - start, float(line.split("re-analysed in")[1].split()[0]) / 1000)
                )
        finally:
            process.terminate()  # the child started above, by its own handle
            process.wait(timeout=10)
        rows.append(
            [
                name,
                statistics.median(item[0] for item in latencies),
                statistics.median(item[1] for item in latencies),
            ]
        )
    table(["worktree", "save -> reported (s)", "of which re-analysis (s)"], rows)


def _wait_for(process: subprocess.Popen[str], text: str, timeout: float = 60.0) -> str:
    assert process.stderr is not None
    deadline = time.monotonic() + timeout
    said: list[str] = []
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            # e.g. the timed executable's environment lacks watchfiles (--iacscan from a venv)
            raise RuntimeError(f"iacscan --watch ended before printing {text!r}: {''.join(said[-3:])}")
        said.append(line)
        if text in line:
            return line
    raise RuntimeError(f"no {text!r} within {timeout} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sections", default=",".join(SECTIONS), help=f"comma-separated: {', '.join(SECTIONS)}"
    )
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--worktrees", type=int, default=1000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 3000, 10000])
    parser.add_argument("--python-lines", type=int, nargs="+", default=[500, 2000, 8000])
    parser.add_argument("--compare", action="store_true", help="also run checkov")
    parser.add_argument("--checkov", help="the checkov executable (default: on PATH)")
    parser.add_argument("--iacscan", help="the iacscan executable (default: beside this interpreter)")
    options = parser.parse_args()
    if options.iacscan:
        IACSCAN_OVERRIDE.append(options.iacscan)
    chosen = [name.strip() for name in options.sections.split(",") if name.strip()]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    _compile_checkout()
    with tempfile.TemporaryDirectory(prefix="bench-scan-") as directory:
        work = Path(directory)
        for name in chosen:
            globals()[f"section_{name}"](options, work)
            sys.stdout.flush()
    print(f"\nload average at the end {os.getloadavg()[0]:.1f} (on a busy machine wall time suffers first)")


if __name__ == "__main__":
    main()
