"""A worktree's Python modules: loading, module symbol tables, and import resolution.

``PythonProject`` maps dotted module names to files under its search paths (the entry point's
directory first, then the worktree root, the way ``python tap.py`` sets ``sys.path[0]``), parses
each file once (``load``), and resolves names the way an import would: ``from lib.tap_stack import
TapStack``, relative imports, re-exports through ``__init__.py`` and aliases. A name from outside
the worktree resolves to an :class:`External` with its qualified name (``pulumi_aws.s3.Bucket``).
Nothing here executes or imports scanned code; an unresolvable import is recorded, never fatal.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from analyzer.model import ImportProblem, Location, ParseProblem
from analyzer.python.source import SourceModule, dotted_name, parse_python


@dataclass(frozen=True, slots=True, eq=False)
class ClassRef:
    """A class defined in the worktree."""

    module: SourceModule
    node: cst.ClassDef

    @property
    def name(self) -> str:
        return self.node.name.value

    @property
    def location(self) -> Location:
        return self.module.location(self.node)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ClassRef) and other.node is self.node

    def __hash__(self) -> int:
        return id(self.node)


@dataclass(frozen=True, slots=True, eq=False)
class FunctionRef:
    """A function (or method) defined in the worktree."""

    module: SourceModule
    node: cst.FunctionDef

    @property
    def name(self) -> str:
        return self.node.name.value


@dataclass(frozen=True, slots=True)
class ModuleRef:
    """A module of the worktree (relative path of its file)."""

    path: str
    name: str  # dotted


@dataclass(frozen=True, slots=True)
class External:
    """A name from outside the worktree, by qualified name (``pulumi.ResourceOptions``)."""

    qualname: str


@dataclass(frozen=True, slots=True)
class Missing:
    """A name that cannot be found (an import of a missing local module or name)."""

    what: str


Resolved = ClassRef | FunctionRef | ModuleRef | External | Missing | None  # None: cannot know


@dataclass(frozen=True, slots=True)
class Binding:
    """What a module-level name is bound to: a definition, an import, or an assigned expression."""

    kind: str  # "class" | "function" | "import" | "assign" | "other"
    node: cst.CSTNode | None = None
    module: str | None = None  # for imports: absolute dotted module
    name: str | None = None  # for imports: imported name (None: the module itself)
    guarded: bool = False  # inside try/except or if: may not exist at run time


@dataclass(slots=True)
class ModuleSymbols:
    bindings: dict[str, Binding] = field(default_factory=dict)
    star_imports: list[str] = field(default_factory=list)
    dynamic: bool = False  # defines module __getattr__ or writes globals(): names cannot be listed

    def defined(self) -> tuple[str, ...]:
        return tuple(sorted(name for name in self.bindings if not name.startswith("_")))


class PythonProject:
    """The worktree's Python files, parsed lazily and once."""

    def __init__(self, root: Path, files: Iterable[str], entry_point: str | None = None) -> None:
        self.root = root
        self.files = frozenset(f for f in files if f.endswith(".py"))
        self._dirs = frozenset(str(Path(f).parent.as_posix()) for f in self.files) | _parents(self.files)
        entry_dir = Path(entry_point).parent.as_posix() if entry_point else "."
        self.search_paths: tuple[str, ...] = tuple(dict.fromkeys([_norm(entry_dir), ""]))
        self.problems: list[ParseProblem] = []
        self._modules: dict[str, SourceModule | None] = {}
        self._symbols: dict[str, ModuleSymbols] = {}
        self._maybe_dynamic: set[str] = set()  # files whose text mentions globals(), exec, setattr...
        self.read: list[str] = []

    # -- files and module names ----------------------------------------------------------------------

    def load(self, relative: str) -> SourceModule | None:
        """Parse a worktree file once; a file that cannot be read or parsed is a recorded problem."""
        if relative in self._modules:
            return self._modules[relative]
        self._modules[relative] = None
        try:
            data = (self.root / relative).read_bytes()
        except OSError as error:
            self.problems.append(
                ParseProblem(Location(relative, 1), f"cannot read: {error.strerror}", "skipped")
            )
            return None
        parsed = parse_python(data, relative)
        self.read.append(relative)
        if any(marker in data for marker in _DYNAMIC_MARKERS):
            self._maybe_dynamic.add(relative)
        if isinstance(parsed, ParseProblem):
            self.problems.append(parsed)
            return None
        self._modules[relative] = parsed
        return parsed

    def module_file(self, dotted: str) -> str | None:
        """The file that ``import dotted`` would load from the worktree, if any."""
        parts = dotted.split(".")
        for base in self.search_paths:
            stem = "/".join(([base] if base else []) + parts)
            if stem + ".py" in self.files:
                return stem + ".py"
            if stem + "/__init__.py" in self.files:
                return stem + "/__init__.py"
        return None

    def add_search_path(self, path: str, first: bool = False) -> None:
        """A worktree directory the entry point adds to ``sys.path`` (relative to the root)."""
        normal = posixpath.normpath(path.replace("\\", "/")) if path else "."
        if normal.startswith(("/", "..")) or (normal != "." and normal not in self._dirs):
            return
        entry = _norm(normal)
        if entry in self.search_paths:
            return
        paths = [entry, *self.search_paths] if first else [*self.search_paths, entry]
        self.search_paths = tuple(paths)

    def is_package_dir(self, dotted: str) -> bool:
        """A directory (namespace package) of the worktree, with or without ``__init__.py``."""
        parts = dotted.split(".")
        return any("/".join(([base] if base else []) + parts) in self._dirs for base in self.search_paths)

    def is_local(self, dotted: str) -> bool:
        """Does the top-level package of ``dotted`` come from the worktree?"""
        head = dotted.split(".")[0]
        return bool(head) and (self.module_file(head) is not None or self.is_package_dir(head))

    def module_name(self, relative: str) -> str:
        path = relative[:-3] if relative.endswith(".py") else relative
        for base in self.search_paths:
            if base and path.startswith(base + "/"):
                path = path[len(base) + 1 :]
                break
        parts = path.split("/")
        if parts[-1] == "__init__":
            parts.pop()
        return ".".join(parts)

    def absolute_module(self, relative: str, node: cst.ImportFrom) -> str | None:
        """The absolute module an ``ImportFrom`` names, resolving leading dots against ``relative``."""
        name = dotted_name(node.module) if node.module is not None else ""
        if node.module is not None and name is None:
            return None
        dots = len(node.relative)
        if not dots:
            return name
        package = self.module_name(relative).split(".")
        if not relative.endswith("__init__.py"):
            package = package[:-1]
        if dots - 1 > len(package):
            return None
        base = package[: len(package) - (dots - 1)] if dots > 1 else package
        return ".".join([*base, name] if name else base) or None

    # -- symbols -----------------------------------------------------------------------------------

    def symbols(self, relative: str) -> ModuleSymbols:
        cached = self._symbols.get(relative)
        if cached is not None:
            return cached
        table = ModuleSymbols()
        self._symbols[relative] = table
        module = self.load(relative)
        if module is not None:
            self._collect(relative, module.module.body, table, guarded=False)
            if not table.dynamic and relative in self._maybe_dynamic:
                visitor = _writes_globals(module.module)
                table.dynamic = visitor.found
                for name in visitor.global_names:
                    # ``global Name`` in a function: the function may define it when called
                    table.bindings.setdefault(name, Binding("other", guarded=True))
        return table

    def _patched_by_package(self, dotted: str) -> bool:
        """Importing ``a.b.c`` runs ``a/__init__.py`` and ``a/b/__init__.py`` first; a dynamic one
        may set names on its submodules (``setattr(tap_stack, ...)``, ``tap_stack.X = ...``)."""
        parts = dotted.split(".")
        for end in range(1, len(parts)):
            package = self.module_file(".".join(parts[:end]))
            if package is not None and package.endswith("__init__.py") and self.symbols(package).dynamic:
                return True
        return False

    def _star_uncertain(self, relative: str, _depth: int = 0) -> bool:
        """A star import brings in names the analysis cannot list: from a local module that cannot
        be read, or one that is itself dynamic (external modules resolve every name to External)."""
        for star in self.symbols(relative).star_imports:
            target = self.module_ref(star)
            if isinstance(target, External):
                continue
            if not isinstance(target, ModuleRef) or not target.path or self.load(target.path) is None:
                return True
            if _depth < 10 and (
                self.symbols(target.path).dynamic or self._star_uncertain(target.path, _depth + 1)
            ):
                return True
        return False

    def _collect(
        self, relative: str, body: Iterable[cst.CSTNode], table: ModuleSymbols, guarded: bool
    ) -> None:
        for statement in body:
            if isinstance(statement, cst.ClassDef):
                table.bindings[statement.name.value] = Binding("class", statement, guarded=guarded)
            elif isinstance(statement, cst.FunctionDef):
                table.bindings[statement.name.value] = Binding("function", statement, guarded=guarded)
                if statement.name.value == "__getattr__":
                    table.dynamic = True
            elif isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    self._collect_small(relative, small, table, guarded)
            elif isinstance(statement, (cst.If, cst.Try, cst.TryStar, cst.With, cst.For, cst.While)):
                for block in _blocks(statement):
                    self._collect(relative, block, table, guarded=True)
            elif isinstance(statement, cst.Match):
                for case in statement.cases:
                    self._collect(relative, case.body.body, table, guarded=True)

    def _collect_small(
        self, relative: str, small: cst.BaseSmallStatement, table: ModuleSymbols, guarded: bool
    ) -> None:
        if isinstance(small, cst.Import):
            for alias in small.names:
                dotted = dotted_name(alias.name) or ""
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    table.bindings[alias.asname.name.value] = Binding("import", small, dotted, None, guarded)
                else:
                    head = dotted.split(".")[0]
                    table.bindings[head] = Binding("import", small, head, None, guarded)
        elif isinstance(small, cst.ImportFrom):
            module = self.absolute_module(relative, small)
            if module is None:
                return
            if isinstance(small.names, cst.ImportStar):
                table.star_imports.append(module)
                return
            for alias in small.names:
                name = alias.name.value if isinstance(alias.name, cst.Name) else dotted_name(alias.name)
                if name is None:
                    continue
                local = (
                    alias.asname.name.value
                    if alias.asname and isinstance(alias.asname.name, cst.Name)
                    else name
                )
                table.bindings[local] = Binding("import", small, module, name, guarded)
        elif isinstance(small, (cst.Assign, cst.AnnAssign, cst.AugAssign)):
            targets: list[cst.BaseExpression] = []
            if isinstance(small, cst.Assign):
                targets = [target.target for target in small.targets]
            else:
                targets = [small.target]
            value = getattr(small, "value", None)
            for target in targets:
                if isinstance(target, cst.Attribute):
                    # ``tap_stack.TapStackArgs = ...``: a name set on a module (perhaps another one)
                    table.dynamic = True
                for name in _target_names(target):
                    table.bindings[name] = Binding("assign", value, guarded=guarded)
                    if name == "__getattr__":
                        table.dynamic = True

    # -- resolution --------------------------------------------------------------------------------

    def resolve(self, relative: str, name: str, _depth: int = 0) -> Resolved:
        """What ``name`` means at the top level of module ``relative``."""
        if _depth > 20:
            return None
        table = self.symbols(relative)
        binding = table.bindings.get(name)
        module = self.load(relative)
        if binding is None:
            for star in table.star_imports:
                found = self.resolve_in_module(star, name, _depth + 1)
                if found is not None and not isinstance(found, Missing):
                    return found
            return External(f"builtins.{name}") if name in _BUILTINS else None
        if binding.kind == "class" and module is not None and isinstance(binding.node, cst.ClassDef):
            return ClassRef(module, binding.node)
        if binding.kind == "function" and module is not None and isinstance(binding.node, cst.FunctionDef):
            return FunctionRef(module, binding.node)
        if binding.kind == "import" and binding.module is not None:
            if binding.name is None:
                return self.module_ref(binding.module)
            return self.resolve_in_module(binding.module, binding.name, _depth + 1)
        if binding.kind == "assign" and isinstance(binding.node, (cst.Name, cst.Attribute)):
            # A plain alias (``Args = TapStackArgs``) resolves through.
            return self.resolve_expr(relative, binding.node, _depth + 1)
        return None

    def module_ref(self, dotted: str) -> Resolved:
        file = self.module_file(dotted)
        if file is not None:
            return ModuleRef(file, dotted)
        if self.is_package_dir(dotted):
            return ModuleRef("", dotted)
        if self.is_local(dotted):
            return Missing(dotted)
        return External(dotted)

    def resolve_in_module(self, dotted: str, name: str, _depth: int = 0) -> Resolved:
        """``from dotted import name``."""
        base = self.module_ref(dotted)
        if isinstance(base, External):
            return External(f"{dotted}.{name}")
        if isinstance(base, Missing):
            return base
        assert isinstance(base, ModuleRef)
        if base.path and self.load(base.path) is None:
            return None  # the module cannot be read: what it defines is unknown
        if base.path:
            found = self.resolve(base.path, name, _depth)
            if found is not None:
                return found
        sub = self.module_ref(f"{dotted}.{name}")
        if isinstance(sub, ModuleRef):
            return sub
        if base.path and (
            self.symbols(base.path).dynamic
            or name in self.symbols(base.path).bindings
            or self._star_uncertain(base.path)
            or self._patched_by_package(dotted)
        ):
            return None  # defined in a way the analysis cannot follow: not a certain ImportError
        return Missing(f"{dotted}.{name}")

    def resolve_expr(self, relative: str, expr: cst.BaseExpression, _depth: int = 0) -> Resolved:
        """Resolve a dotted expression (``aws.s3.Bucket``, ``pulumi.ComponentResource``)."""
        dotted = dotted_name(expr)
        if dotted is None:
            return None
        head, *rest = dotted.split(".")
        current = self.resolve(relative, head, _depth)
        for part in rest:
            if isinstance(current, External):
                current = External(f"{current.qualname}.{part}")
            elif isinstance(current, ModuleRef):
                current = self.resolve_in_module(current.name, part, _depth + 1)
            else:
                return None
        return current

    # -- import problems ---------------------------------------------------------------------------

    def import_problems(self, entry: str) -> list[ImportProblem]:
        """Imports that fail at start-up in ``entry`` and the worktree modules it imports, transitively.

        Only unguarded module-level imports count (an import inside ``try``/``if`` may be meant to
        fail); only modules whose top-level package is in the worktree are judged."""
        problems: list[ImportProblem] = []
        seen: set[str] = set()
        pending = [entry]
        while pending:
            relative = pending.pop()
            if relative in seen:
                continue
            seen.add(relative)
            module = self.load(relative)
            if module is None:
                continue
            for statement, node in _top_level_imports(module.module):
                location = module.location(statement)
                for dotted, name in self._imported(relative, node):
                    if not self.is_local(dotted):
                        continue
                    target = self.module_ref(dotted)
                    if isinstance(target, Missing):
                        problems.append(ImportProblem(dotted, None, location))
                        continue
                    assert isinstance(target, ModuleRef)
                    if target.path:
                        pending.append(target.path)
                    if name is None or not target.path:
                        continue
                    found = self.resolve_in_module(dotted, name)
                    if isinstance(found, ModuleRef) and found.path:
                        pending.append(found.path)
                    if isinstance(found, Missing):
                        problems.append(ImportProblem(dotted, name, location, self._available(target.path)))
        return problems

    def _available(self, relative: str) -> tuple[str, ...]:
        """Public names a module defines or re-exports from the worktree (not its library imports)."""
        table = self.symbols(relative)
        return tuple(
            name
            for name in table.defined()
            if table.bindings[name].kind != "import" or self.is_local(table.bindings[name].module or "")
        )

    def _imported(self, relative: str, node: cst.Import | cst.ImportFrom) -> Iterator[tuple[str, str | None]]:
        if isinstance(node, cst.Import):
            for alias in node.names:
                dotted = dotted_name(alias.name)
                if dotted:
                    yield dotted, None
            return
        module = self.absolute_module(relative, node)
        if module is None or isinstance(node.names, cst.ImportStar):
            if module is not None:
                yield module, None
            return
        for alias in node.names:
            if isinstance(alias.name, cst.Name):
                yield module, alias.name.value


# Byte strings whose presence makes a module worth checking for names defined at run time.
_DYNAMIC_MARKERS = (b"global", b"exec", b"setattr", b"sys.modules", b"vars(", b"__dict__")


class _GlobalWrites(cst.CSTVisitor):
    """Finds module-level names made at run time: ``globals()[...] = ``, ``globals().update``,
    ``exec(...)``, ``vars()``, module-level ``setattr``, anything done through ``sys.modules[...]``."""

    def __init__(self) -> None:
        self.found = False
        self.depth = 0  # inside def/class bodies
        self.global_names: list[str] = []

    def visit_Global(self, node: cst.Global) -> None:
        self.global_names += [item.name.value for item in node.names]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.depth -= 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.depth += 1

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.depth -= 1

    def visit_Call(self, node: cst.Call) -> None:
        name = dotted_name(node.func)
        if name in ("globals", "exec", "builtins.exec") or (name == "vars" and not node.args):
            self.found = True
        elif name == "setattr" and self.depth == 0:
            # At module level it may define a global (setattr(sys.modules[__name__], ...)); inside
            # a method it is an instance write, except through sys.modules (visit_Subscript).
            self.found = True

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if dotted_name(node.value) == "sys.modules":
            self.found = True


def _writes_globals(module: cst.Module) -> _GlobalWrites:
    visitor = _GlobalWrites()
    try:
        module.visit(visitor)
    except RecursionError:
        visitor.found = True
    return visitor


def _top_level_imports(
    module: cst.Module,
) -> Iterator[tuple[cst.SimpleStatementLine, cst.Import | cst.ImportFrom]]:
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    yield statement, small


def _blocks(statement: cst.CSTNode) -> Iterator[Iterable[cst.CSTNode]]:
    for attribute in ("body", "orelse", "finalbody"):
        child = getattr(statement, attribute, None)
        if child is None:
            continue
        if isinstance(child, (cst.IndentedBlock, cst.SimpleStatementSuite)):
            yield child.body
        elif isinstance(child, (cst.Else, cst.Finally)):
            yield child.body.body
        elif isinstance(child, cst.If):
            yield [child]
    for handler in getattr(statement, "handlers", ()):
        yield handler.body.body


def _target_names(target: cst.BaseExpression) -> Iterator[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _target_names(element.value)


def _norm(path: str) -> str:
    return "" if path in (".", "") else path


def _parents(files: Iterable[str]) -> frozenset[str]:
    found: set[str] = set()
    for file in files:
        parent = Path(file).parent
        while parent.as_posix() not in (".", ""):
            found.add(parent.as_posix())
            parent = parent.parent
    return frozenset(found)


_BUILTINS = frozenset(
    {
        "object",
        "dict",
        "list",
        "tuple",
        "set",
        "str",
        "int",
        "float",
        "bool",
        "len",
        "range",
        "enumerate",
        "zip",
        "sorted",
        "min",
        "max",
        "isinstance",
        "print",
        "super",
        "getattr",
        "hasattr",
        "Exception",
        "ValueError",
        "TypeError",
        "KeyError",
        "property",
        "staticmethod",
        "classmethod",
        "any",
        "all",
        "map",
        "filter",
        "open",
        "repr",
        "abs",
        "sum",
        "frozenset",
        "reversed",
        "type",
        "id",
        "format",
        "round",
    }
)
