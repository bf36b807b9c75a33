"""What a Lambda function's Python code does, read with libcst (never imported, never run).

``analyze_function_code`` is called by the Pulumi, CDK and CloudFormation plugins for each function
whose code they can see: inline code (CloudFormation ``ZipFile``, CDK ``Code.from_inline``, a Pulumi
``StringAsset``) or a directory under the worktree (``Code.from_asset("lib/lambda")``,
``FileArchive("./lambda")``). It answers two questions:

* does the handler exist (``index.handler``: module ``index``, function ``handler``)?
* which boto3 calls does the code make (``boto3.client("scheduler").create_schedule(...)``), with
  their keyword arguments as model values (``Literal``/``Unknown``/``Concat``, dicts as ``Literal``
  dicts), so rules can tell whether a call hands a role to a service.

Clients are followed through module globals, local variables, ``self.x`` attributes, functions that
return a client and parameters that every call site in the module fills with the same client. A
client whose service is not a string literal is not followed: no guess.

Line mapping of inline code: ``inline_location`` is where the plugin found the code value. In YAML
block scalars (``ZipFile: |``) code line ``k`` is ``k`` lines below the indicator line; in a Python
triple-quoted string line ``k`` is ``k - 1`` lines below the opening quotes (one more after a
``\\``-newline); in a JSON string (one line with ``\\n`` escapes), a quoted YAML scalar or an
``Fn::Join``, every call is reported at the string's start.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import libcst as cst

from analyzer.model import (
    Concat,
    FunctionCode,
    Literal,
    Location,
    Origin,
    Resource,
    SdkCall,
    Unknown,
    Value,
    concat,
)
from analyzer.python.source import SourceModule, dotted_name, parse_python, string_value

MAX_FILE_BYTES = 2_000_000
MAX_MODULES = 40  # local modules followed from the handler (or read when the handler is unknown)
_MAX_DEPTH = 12  # how far names, returns and parameters are followed

ENV_REASON = "environment variable "  # Unknown.reason prefix for os.environ values (see env_var_name)
KWARGS_KEY = "**"  # argument key standing for a ``**mapping`` that could not be read

# boto3 client methods that are not API operations.
_NOT_OPERATIONS = frozenset(
    {
        "get_paginator",
        "get_waiter",
        "can_paginate",
        "close",
        "generate_presigned_url",
        "generate_presigned_post",
        "exceptions",
        "meta",
        "waiter_names",
        "download_file",
        "upload_file",
        "download_fileobj",
        "upload_fileobj",
        "copy",
    }
)
# Runtime family (prefix of the runtime id with non-letters removed) -> language.
_LANGUAGES = (
    ("python", "python"),
    ("nodejs", "node"),
    ("java", "java"),
    ("dotnet", "dotnet"),
    ("ruby", "ruby"),
    ("go", "go"),
    ("provided", "custom"),
)
# "ZipFile: |", "| ", "!Sub |-": a YAML block scalar indicator (optionally after its key)
_BLOCK_INDICATOR = re.compile(r"^\s*(?:[\w\"'-]+\s*:\s*)?(?:!\S+\s+)?[|>][0-9+-]*\s*(?:#.*)?$")


def analyze_function_code(
    root: Path,
    handler: str | None,
    runtime: str | None,
    *,
    inline_source: str | None = None,
    inline_location: Location | None = None,
    code_path: str | None = None,
    inline_module: str = "index",
) -> FunctionCode | None:
    """What is known of a function's code; None when there is nothing to read.

    ``code_path`` is a directory (or one ``.py`` file) relative to ``root``; ``inline_module`` is the
    module name inline code is saved under (CloudFormation and CDK use ``index``; a Pulumi
    ``AssetArchive({"main.py": StringAsset(...)})`` would pass ``main``). Never raises."""
    try:
        return _analyze(root, handler, runtime, inline_source, inline_location, code_path, inline_module)
    except Exception:  # the plugins call this for every function: bad input must not cost the template
        return None


def env_var_name(value: Value | None) -> str | None:
    """The variable name when ``value`` was read from ``os.environ`` in function code."""
    if isinstance(value, Unknown) and value.origin & Origin.ENV_VAR and value.reason.startswith(ENV_REASON):
        return value.reason[len(ENV_REASON) :]
    return None


def environment_value(function: Resource, value: Value) -> Value:
    """``os.environ["X"]`` read by ``function``'s code: the value its ``Environment.Variables`` gives
    ``X`` (a ``Ref``, a literal, ...); any other value is returned as it is."""
    name = env_var_name(value)
    if name is None:
        return value
    configured = function.prop("Environment", "Variables", name)
    return configured if configured is not None else value


def argument_values(arguments: Mapping[str, Value], path: tuple[str, ...]) -> Iterator[Value]:
    """Values set at ``path`` in call arguments (``("Targets", "[]", "RoleArn")``; ``[]`` walks a
    list, ``{}`` a mapping's values; keys match case-insensitively). A part that cannot be read
    (an unknown list, a ``**mapping``) yields nothing: it is no evidence that the member is set."""
    yield from _walk_values(Literal(dict(arguments)), path)


def _walk_values(value: Value | None, path: tuple[str, ...]) -> Iterator[Value]:
    if not path:
        if value is not None and not (isinstance(value, Literal) and value.value in (None, "")):
            yield value
        return
    head, rest = path[0], path[1:]
    if not isinstance(value, Literal):
        return
    if head == "[]":
        if isinstance(value.value, tuple):
            for item in value.value:
                yield from _walk_values(item, rest)
        return
    if head == "{}":
        if isinstance(value.value, dict):
            for item in value.value.values():
                yield from _walk_values(item, rest)
        return
    if isinstance(value.value, dict):
        for key, item in value.value.items():
            if key != KWARGS_KEY and key.lower() == head.lower():
                yield from _walk_values(item, rest)


def language_of(runtime: str | None) -> str | None:
    if not runtime:
        return None
    lowered = runtime.lower()
    if "runtime." in lowered:  # "Runtime.PYTHON_3_11", "lambda_.Runtime.NODEJS_18_X"
        lowered = lowered.rsplit("runtime.", 1)[1]
    letters = re.sub(r"[^a-z]", "", lowered)
    for prefix, language in _LANGUAGES:
        if letters.startswith(prefix):
            return language
    return None


# --------------------------------------------------------------------------------------------------


def _analyze(
    root: Path,
    handler: str | None,
    runtime: str | None,
    inline_source: str | None,
    inline_location: Location | None,
    code_path: str | None,
    inline_module: str,
) -> FunctionCode | None:
    language = language_of(runtime)
    module_name, function_name = _split_handler(handler)
    if inline_source is not None:
        mapping = _inline_mapping(root, inline_location, inline_source)
        source_location = inline_location or Location(mapping.path, 1)
        if language not in (None, "python"):
            return FunctionCode(language, source_location, None)
        parsed = parse_python(inline_source, mapping.path)
        if not isinstance(parsed, SourceModule):
            return FunctionCode(language or None, source_location, None)
        facts = _ModuleFacts(parsed, mapping)
        found: bool | None = None
        if module_name is not None and function_name is not None:
            found = facts.defines(function_name) if module_name == inline_module else False
        return FunctionCode("python", source_location, found, tuple(facts.calls()), facts.functions)
    if code_path is None:
        return None
    base = _inside(root, code_path)
    if base is None:
        return None
    relative = base.relative_to(root.resolve()).as_posix()
    if base.is_file():
        if base.suffix != ".py":
            return FunctionCode(language, Location(relative, 1), None)  # an archive: contents unknowable
        return _from_files(root, base.parent, [base], language, function_name, Location(relative, 1), True)
    if not base.is_dir():
        return None
    if language not in (None, "python"):
        return FunctionCode(language, Location(relative, 1), None)
    if module_name is None:
        candidates = sorted(path for path in base.glob("*.py") if path.is_file())[:MAX_MODULES]
        return _from_files(root, base, candidates, language, None, Location(relative, 1), False)
    module_file = _module_file(base, module_name)
    if module_file is None:
        if language is None and not any(base.glob("*.py")):
            return FunctionCode(None, Location(relative, 1), None)  # maybe not Python at all
        return FunctionCode("python", Location(relative, 1), False)
    return _from_files(root, base, [module_file], language, function_name, Location(relative, 1), True)


def _split_handler(handler: str | None) -> tuple[str | None, str | None]:
    if not handler or "." not in handler:
        return None, None
    module, _, function = handler.rpartition(".")
    return module.replace("/", ".").strip("."), function


def _inside(root: Path, relative: str) -> Path | None:
    """``relative`` resolved under ``root``, or None when it leaves the worktree."""
    base_root = root.resolve()
    candidate = Path(relative)
    target = (candidate if candidate.is_absolute() else base_root / candidate).resolve()
    return target if target == base_root or target.is_relative_to(base_root) else None


def _module_file(base: Path, module: str) -> Path | None:
    parts = [part for part in module.split(".") if part]
    if not parts:
        return None
    for candidate in (base.joinpath(*parts).with_suffix(".py"), base.joinpath(*parts, "__init__.py")):
        if candidate.is_file():
            return candidate
    return None


def _from_files(
    root: Path,
    base: Path,
    start: list[Path],
    language: str | None,
    function_name: str | None,
    source: Location,
    handler_known: bool,
) -> FunctionCode:
    """Read ``start`` (the handler module first) and the local modules they import."""
    resolved_root = root.resolve()
    queue = list(start)
    seen: set[Path] = set()
    calls: list[SdkCall] = []
    found: bool | None = None
    functions: tuple[str, ...] = ()
    first = True
    while queue and len(seen) < MAX_MODULES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        if path.stat().st_size > MAX_FILE_BYTES:
            if first:
                found = None
            first = False
            continue
        relative = path.resolve().relative_to(resolved_root).as_posix()
        parsed = parse_python(path.read_bytes(), relative)
        if not isinstance(parsed, SourceModule):
            first = False
            continue  # the plugin reports syntax errors in worktree files itself
        facts = _ModuleFacts(parsed, _LineMap(relative))
        if first and handler_known:
            functions = facts.functions
            found = facts.defines(function_name) if function_name else None
        first = False
        calls.extend(facts.calls())
        for module, level in facts.imports:
            target = _local_module(base, path.parent, module, level)
            if target is not None and target not in seen:
                queue.append(target)
    return FunctionCode(language or "python", source, found, tuple(calls), functions)


def _local_module(base: Path, here: Path, module: str, level: int) -> Path | None:
    anchor = here
    for _ in range(max(level - 1, 0)):
        anchor = anchor.parent
    directory = anchor if level else base
    if not (directory == base or directory.is_relative_to(base)):
        return None
    return _module_file(directory, module) if module else None


# -- line mapping -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _LineMap:
    """Maps a line of the analysed code to a line of the worktree file."""

    path: str
    offset: int = 0  # worktree line = code line + offset
    fixed: Location | None = None  # every line maps here (code inside a one-line string)

    def location(self, line: int) -> Location:
        if self.fixed is not None:
            return self.fixed
        return Location(self.path, line + self.offset)


def _inline_mapping(root: Path, where: Location | None, source: str = "") -> _LineMap:
    if where is None:
        return _LineMap("<inline>")
    if where.path.endswith(".py"):
        verbatim = _verbatim_offset(root, where.path, source)
        if verbatim is not None:
            return _LineMap(where.path, verbatim)  # a Python string holding the code as it is
    text = _read_line(root, where.path, where.line)
    if text is None:
        return _LineMap(where.path, where.line - 1)
    rest = text[where.column - 1 :] if where.column else text
    if _BLOCK_INDICATOR.match(rest):
        return _LineMap(where.path, where.line)  # the indicator line: code starts on the next line
    python_string = re.match(r"^\s*[rRuUbBfF]{0,2}(\"\"\"|\'\'\')(\\?)\s*$", rest) or re.match(
        r"^\s*[rRuUbBfF]{0,2}(\"\"\"|\'\'\')", rest
    )
    if where.path.endswith(".py"):
        if python_string:
            continued = python_string.lastindex == 2 and python_string.group(2) == "\\"
            return _LineMap(where.path, where.line - 1 + (1 if continued else 0))
        return _LineMap(where.path, fixed=where)  # e.g. Code.from_inline(CODE): the call site
    if where.path.endswith(".json") or rest.lstrip().startswith(('"', "'")):
        return _LineMap(where.path, fixed=where)  # one string with escapes: its start
    return _LineMap(where.path, where.line - 1)  # the first line of a block scalar's content


def _verbatim_offset(root: Path, relative: str, source: str) -> int | None:
    """Line offset of ``source`` when it appears exactly once, verbatim, in the file (a triple-quoted
    constant passed by name: the plugin's location is the call, not the string)."""
    if len(source.strip()) < 20:
        return None  # too short to be sure the match is the code
    path = _inside(root, relative)
    text = _file_text(path, MAX_FILE_BYTES) if path is not None else None
    if text is None:
        return None
    index = text.find(source)
    if index < 0 or text.find(source, index + 1) >= 0:
        return None
    return text.count("\n", 0, index)


def _read_line(root: Path, relative: str, line: int) -> str | None:
    path = _inside(root, relative)
    text = _file_text(path, MAX_FILE_BYTES * 5) if path is not None else None
    if text is None:
        return None
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else None


def _file_text(path: Path, limit: int) -> str | None:
    """A worktree file's text (a template holds many inline functions: read it once per scan)."""
    try:
        status = path.stat()
    except OSError:
        return None
    if not path.is_file() or status.st_size > limit:
        return None
    return _cached_text(str(path), status.st_mtime_ns, status.st_size)


@lru_cache(maxsize=8)
def _cached_text(path: str, mtime_ns: int, size: int) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return None


# -- one module ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Client:
    service: str


@dataclass(frozen=True, slots=True)
class _Resource:
    service: str


_SESSION = "session"  # marker: a boto3 Session object
_Binding = _Client | _Resource | str | None


@dataclass(slots=True, eq=False)
class _Scope:
    name: str  # qualified: "", "handler", "Scheduler.create"
    parent: _Scope | None
    node: cst.FunctionDef | cst.Module | None = None
    owner_class: str | None = None
    params: list[cst.Param] = field(default_factory=list)
    assigns: dict[str, list[cst.BaseExpression]] = field(default_factory=dict)
    returns: list[cst.BaseExpression] = field(default_factory=list)
    global_names: set[str] = field(default_factory=set)


# Fields that hold only whitespace, commas and brackets: never worth descending into.
_SKIPPED_FIELDS = frozenset(
    {
        "leading_lines",
        "lines_after_decorators",
        "header",
        "footer",
        "lpar",
        "rpar",
        "comma",
        "semicolon",
        "newline",
        "trailing_whitespace",
        "equal",
        "colon",
        "dot",
        "star_tok",
        "default_indent",
    }
)
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """A node's children read straight from its fields: libcst's own visitor rebuilds every node it
    passes, which costs about half of the analysis."""
    names = _CHILD_FIELDS.get(type(node))
    if names is None:
        names = tuple(
            item.name
            for item in dataclasses.fields(node)
            if item.name not in _SKIPPED_FIELDS and not item.name.startswith("whitespace")
        )
        _CHILD_FIELDS[type(node)] = names
    for name in names:
        value = getattr(node, name)
        if _is_node(type(value)):
            yield value
        elif type(value) in (list, tuple):
            for item in value:
                if _is_node(type(item)):
                    yield item


_NODE_TYPES: dict[type, bool] = {}
# Leaves that carry no names, calls or values.
_LEAF_NAMES = frozenset(
    {
        "SimpleWhitespace",
        "ParenthesizedWhitespace",
        "Newline",
        "Comment",
        "EmptyLine",
        "TrailingWhitespace",
        "Comma",
        "Semicolon",
        "Dot",
        "AssignEqual",
        "Colon",
        "LeftParen",
        "RightParen",
        "LeftSquareBracket",
        "RightSquareBracket",
        "LeftCurlyBrace",
        "RightCurlyBrace",
        "ImportStar",
    }
)


def _is_node(kind: type) -> bool:
    # isinstance against libcst's abstract base is slow; the answer per type never changes.
    known = _NODE_TYPES.get(kind)
    if known is None:
        known = issubclass(kind, cst.CSTNode) and kind.__name__ not in _LEAF_NAMES
        _NODE_TYPES[kind] = known
    return known


def _walk_tree(node: cst.CSTNode, visitor: _Collector) -> None:
    name = type(node).__name__
    enter = getattr(visitor, "visit_" + name, None)
    if enter is None or enter(node) is not False:
        for child in _children(node):
            _walk_tree(child, visitor)
    leave = getattr(visitor, "leave_" + name, None)
    if leave is not None:
        leave(node)


class _Collector:
    """First pass: scopes, their assignments, returns, calls and imports."""

    def __init__(self) -> None:
        self.module_scope = _Scope("", None)
        self.scopes: dict[str, _Scope] = {"": self.module_scope}
        self.stack: list[_Scope] = [self.module_scope]
        self.classes: list[str] = []
        self.calls: list[tuple[cst.Call, _Scope]] = []
        self.attributes: dict[str, list[tuple[cst.BaseExpression, _Scope]]] = {}  # self.x = ...
        self.boto3_names: dict[str, str] = {}  # local alias -> "boto3", "boto3.client", "boto3.Session", ...
        self.imports: list[tuple[str, int]] = []
        self.top_names: set[str] = set()
        self.functions: list[str] = []
        self.star_import = False

    # scopes
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if len(self.stack) == 1 and not self.classes:
            self.top_names.add(node.name.value)
        self.classes.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.classes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        parent = self.stack[-1]
        owner = self.classes[-1] if self.classes and parent is self.module_scope else None
        if parent is self.module_scope and not self.classes:
            self.top_names.add(node.name.value)
            self.functions.append(node.name.value)
        qualified = ".".join(part for part in (parent.name, owner, node.name.value) if part)
        scope = _Scope(qualified, parent, node, owner)
        scope.params = [*node.params.posonly_params, *node.params.params, *node.params.kwonly_params]
        self.scopes.setdefault(qualified, scope)
        self.stack.append(scope)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.stack.pop()

    # bindings
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target, node.value)

    def visit_Global(self, node: cst.Global) -> None:
        self.stack[-1].global_names.update(item.name.value for item in node.names)

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        scope = self.stack[-1]
        if isinstance(target, cst.Name):
            name = target.value
            if name in scope.global_names:
                scope = self.module_scope
            scope.assigns.setdefault(name, []).append(value)
            if scope is self.module_scope and not self.classes:
                self.top_names.add(name)
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            if target.value.value in ("self", "cls"):
                self.attributes.setdefault(target.attr.value, []).append((value, scope))
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:  # unpacking: values unknown, but the names are bound
                if isinstance(element.value, cst.Name):
                    scope.assigns.setdefault(element.value.value, []).append(cst.Name("__unknown__"))

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.stack[-1].returns.append(node.value)

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append((node, self.stack[-1]))

    # imports
    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = dotted_name(alias.name) or ""
            bound = (
                alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else None
            )
            if name == "boto3" or name.startswith("boto3."):
                self.boto3_names[bound or "boto3"] = name if bound else "boto3"
            else:
                self.imports.append((name, 0))
            if len(self.stack) == 1:
                self.top_names.add(bound or name.split(".")[0])

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = dotted_name(node.module) if node.module else ""
        level = len(node.relative)
        if isinstance(node.names, cst.ImportStar):
            self.star_import = True
            if module or level:
                self.imports.append((module or "", level))
            return
        for alias in node.names:
            name = alias.name.value if isinstance(alias.name, cst.Name) else dotted_name(alias.name) or ""
            bound = (
                alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
            )
            if not level and module in ("boto3", "boto3.session"):
                self.boto3_names[bound] = f"boto3.{name}"
            elif level and not module:
                self.imports.append((name, level))  # from . import sibling
            if len(self.stack) == 1:
                self.top_names.add(bound)
        if module and not module.startswith("boto3"):
            self.imports.append((module, level))


class _ModuleFacts:
    """Clients, SDK calls and top-level names of one parsed module."""

    def __init__(self, source: SourceModule, mapping: _LineMap) -> None:
        self.source = source
        self.mapping = mapping
        collector = _Collector()
        _walk_tree(source.module, collector)
        self.c = collector
        self.imports = collector.imports
        self.functions = tuple(collector.functions)
        self._active: set[tuple[int, str]] = set()

    def defines(self, name: str) -> bool | None:
        if name in self.c.top_names:
            return True
        if self.c.star_import or "__getattr__" in self.c.top_names:
            return None
        return False

    # -- calls ------------------------------------------------------------------------------------

    def calls(self) -> Iterator[SdkCall]:
        for call, scope in self.c.calls:
            func = call.func
            if not isinstance(func, cst.Attribute):
                continue
            method = func.attr.value
            receiver = func.value
            operation_method = method
            arguments_call = call
            if method == "paginate" and isinstance(receiver, cst.Call):
                inner = receiver.func
                if not (
                    isinstance(inner, cst.Attribute) and inner.attr.value == "get_paginator" and receiver.args
                ):
                    continue
                paginated = string_value(receiver.args[0].value)
                if paginated is None:
                    continue
                operation_method, receiver = paginated, inner.value
            elif method in _NOT_OPERATIONS or method.startswith("_"):
                continue
            binding = self._binding(receiver, scope, 0)
            if not isinstance(binding, _Client):
                continue
            yield SdkCall(
                service=binding.service,
                operation=operation_name(binding.service, operation_method),
                arguments=self._arguments(arguments_call, scope),
                location=self._location(call),
            )

    def _arguments(self, call: cst.Call, scope: _Scope) -> dict[str, Value]:
        arguments: dict[str, Value] = {}
        for arg in call.args:
            if arg.keyword is not None:
                arguments[arg.keyword.value] = self._value(arg.value, scope, 0)
            elif arg.star == "**":
                spread = self._value(arg.value, scope, 0)
                if isinstance(spread, Literal) and isinstance(spread.value, dict):
                    arguments.update(spread.value)
                else:
                    arguments[KWARGS_KEY] = Unknown(
                        "**mapping", location=self._location(arg.value), hint=self.source.code(arg.value)
                    )
        return arguments

    def _location(self, node: cst.CSTNode) -> Location:
        return self.mapping.location(self.source.line(node))

    # -- what an expression is ----------------------------------------------------------------------

    def _lookup(self, name: str, scope: _Scope) -> tuple[list[cst.BaseExpression], _Scope] | None:
        current: _Scope | None = scope
        while current is not None:
            if name in current.assigns:
                return current.assigns[name], current
            if any(isinstance(p.name, cst.Name) and p.name.value == name for p in current.params):
                return None
            current = current.parent
        return None

    def _param_scope(self, name: str, scope: _Scope) -> tuple[_Scope, int, cst.Param] | None:
        current: _Scope | None = scope
        while current is not None:
            if name in current.assigns:
                return None
            for index, param in enumerate(current.params):
                if param.name.value == name:
                    return current, index, param
            current = current.parent
        return None

    def _binding(self, node: cst.BaseExpression, scope: _Scope, depth: int) -> _Binding:
        """The boto3 object ``node`` evaluates to: a client, a resource, a session, or None."""
        if depth > _MAX_DEPTH:
            return None
        key = (id(node), scope.name)
        if key in self._active:
            return None
        self._active.add(key)
        try:
            return self._binding_of(node, scope, depth)
        finally:
            self._active.discard(key)

    def _binding_of(self, node: cst.BaseExpression, scope: _Scope, depth: int) -> _Binding:
        if isinstance(node, cst.Call):
            return self._call_binding(node, scope, depth)
        if isinstance(node, cst.Name):
            found = self._lookup(node.value, scope)
            if found is not None:
                values, where = found
                return _same(self._binding(value, where, depth + 1) for value in values)
            parameter = self._param_scope(node.value, scope)
            if parameter is not None:
                return self._parameter_binding(*parameter, depth)
            return None
        if isinstance(node, cst.Attribute):
            if (
                node.attr.value == "client"
                and isinstance(node.value, cst.Attribute)
                and node.value.attr.value == "meta"
            ):
                resource = self._binding(node.value.value, scope, depth + 1)
                return _Client(resource.service) if isinstance(resource, _Resource) else None
            if isinstance(node.value, cst.Name) and node.value.value in ("self", "cls"):
                assigned = self.c.attributes.get(node.attr.value, [])
                return _same(self._binding(value, where, depth + 1) for value, where in assigned)
        return None

    def _call_binding(self, node: cst.Call, scope: _Scope, depth: int) -> _Binding:
        func = node.func
        name = dotted_name(func)
        target = self._boto3_target(name) if name else None
        if _other_credentials(node):
            return None  # calls through it run as another principal (assumed role, profile)
        if target in ("boto3.client", "boto3.resource"):
            service = self._service_argument(node, scope)
            if service is None:
                return None
            return _Client(service) if target == "boto3.client" else _Resource(service)
        if target in ("boto3.Session", "boto3.session.Session"):
            return _SESSION
        if isinstance(func, cst.Attribute) and func.attr.value in ("client", "resource"):
            if self._binding(func.value, scope, depth + 1) == _SESSION:
                service = self._service_argument(node, scope)
                if service is None:
                    return None
                return _Client(service) if func.attr.value == "client" else _Resource(service)
            return None
        callee = self._local_function(func, scope)
        if callee is not None:
            return _same(self._binding(value, callee, depth + 1) for value in callee.returns)
        return None

    def _boto3_target(self, name: str) -> str | None:
        head, _, rest = name.partition(".")
        base = self.c.boto3_names.get(head)
        if base is None:
            return None
        return f"{base}.{rest}" if rest else base

    def _service_argument(self, call: cst.Call, scope: _Scope) -> str | None:
        for index, arg in enumerate(call.args):
            if (arg.keyword is None and index == 0 and not arg.star) or (
                arg.keyword is not None and arg.keyword.value == "service_name"
            ):
                value = self._value(arg.value, scope, 0)
                return value.value if isinstance(value, Literal) and isinstance(value.value, str) else None
        return None

    def _local_function(self, func: cst.BaseExpression, scope: _Scope) -> _Scope | None:
        if isinstance(func, cst.Name):
            candidate = self.c.scopes.get(func.value)
            return candidate if candidate is not None and candidate.node is not None else None
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.value.value in ("self", "cls")
        ):
            owner = _owner_class(scope)
            return self.c.scopes.get(f"{owner}.{func.attr.value}") if owner else None
        return None

    def _parameter_binding(self, function: _Scope, index: int, param: cst.Param, depth: int) -> _Binding:
        """A parameter is a client when every call site in the module passes the same client."""
        bindings: list[_Binding] = []
        if param.default is not None:
            bindings.append(self._binding(param.default, function.parent or function, depth + 1))
        if function.owner_class and index == 0:
            return None  # ``self``
        position = index - 1 if function.owner_class else index
        name = param.name.value
        sites = 0
        for call, where in self.c.calls:
            if self._local_function(call.func, where) is not function:
                continue
            sites += 1
            argument: cst.BaseExpression | None = None
            positional = 0
            for arg in call.args:
                if arg.star:
                    return None  # *args / **kwargs at a call site: cannot bind
                if arg.keyword is None:
                    if positional == position:
                        argument = arg.value
                    positional += 1
                elif arg.keyword.value == name:
                    argument = arg.value
            if argument is None:
                if param.default is None:
                    return None
                continue
            bindings.append(self._binding(argument, where, depth + 1))
        if not sites:
            return None
        return _same(iter(bindings))

    # -- values ---------------------------------------------------------------------------------------

    def _value(self, node: cst.BaseExpression, scope: _Scope, depth: int) -> Value:
        location = self._location(node)
        if depth > _MAX_DEPTH:
            return Unknown("too deep", location=location)
        text = string_value(node)
        if text is not None:
            return Literal(text, location=location)
        if isinstance(node, cst.Integer | cst.Float):
            try:
                return Literal(node.evaluated_value, location=location)
            except (ValueError, TypeError):
                return Unknown("number", location=location)
        if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
            return Literal({"True": True, "False": False, "None": None}[node.value], location=location)
        if isinstance(node, cst.FormattedString):
            parts: list[Value] = []
            for part in node.parts:
                if isinstance(part, cst.FormattedStringText):
                    parts.append(Literal(part.value, location=location))
                elif isinstance(part, cst.FormattedStringExpression):
                    parts.append(self._value(part.expression, scope, depth + 1))
            return concat(parts, location)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            left = self._value(node.left, scope, depth + 1)
            right = self._value(node.right, scope, depth + 1)
            if _stringish(left) and _stringish(right):
                return concat([left, right], location)
        if isinstance(node, cst.Dict):
            return self._dict(node, scope, depth, location)
        if isinstance(node, cst.List | cst.Tuple):
            items: list[Value] = []
            for element in node.elements:
                if isinstance(element, cst.StarredElement):
                    items.append(Unknown("*iterable", location=location, hint=self.source.code(element)))
                else:
                    items.append(self._value(element.value, scope, depth + 1))
            return Literal(tuple(items), location=location)
        if isinstance(node, cst.Call) and dotted_name(node.func) == "dict" and not node.args:
            return Literal({}, location=location)
        variable = self._environment_variable(node, scope, depth)
        if variable is not None:
            return Unknown(ENV_REASON + variable, Origin.ENV_VAR, location, hint=f'os.environ["{variable}"]')
        if isinstance(node, cst.Name):
            found = self._lookup(node.value, scope)
            if found is not None and len(found[0]) == 1:
                return self._value(found[0][0], found[1], depth + 1)
            if self._param_scope(node.value, scope) is not None:
                return Unknown(f"parameter {node.value}", location=location, hint=node.value)
        return Unknown("computed at run time", location=location, hint=self.source.code(node)[:120])

    def _dict(self, node: cst.Dict, scope: _Scope, depth: int, location: Location) -> Value:
        mapping: dict[str, Value] = {}
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                spread = self._value(element.value, scope, depth + 1)
                if isinstance(spread, Literal) and isinstance(spread.value, dict):
                    mapping.update(spread.value)
                else:
                    mapping[KWARGS_KEY] = Unknown(
                        "**mapping", location=location, hint=self.source.code(element)
                    )
                continue
            key = string_value(element.key)  # type: ignore[attr-defined]  # libcst: the other BaseDictElement is DictElement
            if key is None:
                mapping[KWARGS_KEY] = Unknown(
                    "computed key",
                    location=location,
                    hint=self.source.code(element.key),  # type: ignore[attr-defined]  # a DictElement
                )
                continue
            mapping[key] = self._value(element.value, scope, depth + 1)
        return Literal(mapping, location=location)

    def _environment_variable(self, node: cst.BaseExpression, scope: _Scope, depth: int) -> str | None:
        """``os.environ["X"]``, ``os.environ.get("X")``, ``os.getenv("X")``, also imported bare."""
        if isinstance(node, cst.Subscript) and _is_environ(node.value) and len(node.slice) == 1:
            index = node.slice[0].slice
            if isinstance(index, cst.Index):
                return self._string(index.value, scope, depth)
        if isinstance(node, cst.Call) and node.args:
            name = dotted_name(node.func) or ""
            if name in ("os.getenv", "getenv", "os.environ.get", "environ.get"):
                return self._string(node.args[0].value, scope, depth)
        return None

    def _string(self, node: cst.BaseExpression, scope: _Scope, depth: int) -> str | None:
        value = self._value(node, scope, depth + 1)
        return value.value if isinstance(value, Literal) and isinstance(value.value, str) else None


# Keyword arguments that make a client or session act as another principal than the function's role.
_CREDENTIAL_KEYWORDS = frozenset(
    {"aws_access_key_id", "aws_secret_access_key", "aws_session_token", "botocore_session", "profile_name"}
)


def _other_credentials(call: cst.Call) -> bool:
    return any(arg.keyword is not None and arg.keyword.value in _CREDENTIAL_KEYWORDS for arg in call.args)


def _is_environ(node: cst.BaseExpression) -> bool:
    return dotted_name(node) in ("os.environ", "environ")


def _stringish(value: Value) -> bool:
    if isinstance(value, Literal):
        return isinstance(value.value, str)
    return isinstance(value, Concat | Unknown)


def _owner_class(scope: _Scope) -> str | None:
    current: _Scope | None = scope
    while current is not None:
        if current.owner_class:
            return current.owner_class
        current = current.parent
    return None


def _same(bindings: Iterator[_Binding]) -> _Binding:
    """The one binding every alternative agrees on, else None."""
    result: _Binding = None
    first = True
    for binding in bindings:
        if binding is None:
            return None
        if first:
            result, first = binding, False
        elif binding != result:
            return None
    return result


# -- operation names -----------------------------------------------------------------------------------

_IRREGULAR: dict[str, dict[str, str]] | None = None


def operation_name(client: str, method: str) -> str:
    """botocore's operation name for a boto3 method (``create_db_instance`` -> ``CreateDBInstance``)."""
    global _IRREGULAR
    if _IRREGULAR is None:
        import json

        path = Path(__file__).resolve().parent.parent / "data" / "iam_sdk_names.json"
        try:
            _IRREGULAR = json.loads(path.read_text(encoding="utf-8")).get("clients", {})
        except (OSError, ValueError):
            _IRREGULAR = {}
    irregular = _IRREGULAR.get(client, {}).get(method)
    if irregular:
        return irregular
    return "".join(word[:1].upper() + word[1:] for word in method.split("_"))
