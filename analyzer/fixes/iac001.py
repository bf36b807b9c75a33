"""IAC001: pass the missing required arguments, each read from the platform's configuration (unsafe:
the configuration values must exist before the next deployment; the fix says which keys).

* Pulumi: ``name=config.require("name")`` (``require_secret`` for passwords and secrets,
  ``require_object`` / ``require_int`` / ``require_bool`` / ``require_float`` after the parameter's
  annotation), with ``config = pulumi.Config()`` added before the statement when the module has no
  ``pulumi.Config()`` yet.
* CDK: ``name=self.node.try_get_context("name")`` inside a construct, ``app.node...`` at the
  app level.
Only a call whose sole fault is missing arguments is fixed (so the finding goes away)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import libcst as cst

from analyzer.findings import Finding, Fix
from analyzer.fixes import python as py
from analyzer.fixes.context import FixContext, rewrite
from analyzer.fixes.sources import PythonSource
from analyzer.model import CallCheck

_SECRET = re.compile(r"password|secret|token|api_?key|private_?key", re.IGNORECASE)
# annotation word -> Pulumi Config getter (pulumi.Config: require, require_int, require_object, ...)
_TYPED_GETTERS = (
    (re.compile(r"\b(list|List|dict|Dict|Sequence|Mapping|tuple|Tuple)\b"), "require_object"),
    (re.compile(r"\bint\b"), "require_int"),
    (re.compile(r"\bbool\b"), "require_bool"),
    (re.compile(r"\bfloat\b"), "require_float"),
)


def fixes(finding: Finding, ctx: FixContext) -> Iterable[Fix]:
    location = ctx.model_location(finding.location)
    if location is None or ctx.project.platform not in ("pulumi", "cdk"):
        return
    checks = [
        call
        for call in ctx.project.calls
        if call.location.path == location.path
        and call.location.line == location.line
        and call.certain
        and f"`{call.callee}(...)`" in finding.message  # several project calls may share a line
    ]
    if len(checks) != 1:
        return
    check = checks[0]
    if (
        check.via
        and check.unexpected
        and not (check.missing or check.duplicates or check.too_many_positional)
    ):
        yield from _declare_parameters(ctx, check)
        return
    if not check.missing or check.unexpected or check.duplicates or check.too_many_positional:
        return
    source = ctx.source(location)
    parsed = source.python() if source is not None else None
    if source is None or parsed is None:
        return
    calls = [
        node
        for node in py.nodes_at(parsed, location.line, cst.Call)
        if (py.dotted_name(node.func) or "").split(".")[-1] == check.callee and not py.has_star(node)
    ]
    if len(calls) != 1:
        return
    call = calls[0]
    annotations = _annotations(ctx, check)
    if ctx.project.platform == "pulumi":
        new_text = _pulumi(parsed, source.text, call, check, annotations)
        where = "Pulumi config (`pulumi config set`, `--secret` for secrets)"
    else:
        new_text = _cdk(parsed, source.text, call, check)
        where = "CDK context (cdk.json or `-c key=value`)"
    keys = ", ".join(f"'{name}'" for name in check.missing)
    description = f"pass {keys} to `{check.callee}(...)`, read from {where}: set these keys before deploying"
    fix = rewrite(source, new_text, description, False) if new_text else None
    if fix is not None:
        yield fix


def _declare_parameters(ctx: FixContext, check: CallCheck) -> Iterable[Fix]:
    """Keywords that ``**kwargs`` would forward to a library base class that rejects them become
    parameters of the callee's own ``__init__`` (``props=None`` before ``**kwargs``). Unsafe: the
    value is then accepted but not used until the code reads it."""
    if check.definition is None:
        return
    source = ctx.source(check.definition)
    parsed = source.python() if source is not None else None
    if source is None or parsed is None:
        return
    functions = [
        function
        for node in py.nodes_at(parsed, check.definition.line, (cst.ClassDef, cst.FunctionDef))
        for function in ([node] if isinstance(node, cst.FunctionDef) else _init_of(node))
    ]
    if len(functions) != 1 or not isinstance(functions[0].params.star_kwarg, cst.Param):
        return
    function = functions[0]
    params = function.params
    existing = {param.name.value for param in (*params.posonly_params, *params.params, *params.kwonly_params)}
    if existing & set(check.unexpected):
        return
    added = [
        cst.Param(
            cst.Name(name),
            default=cst.Name("None"),
            equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
        )
        for name in check.unexpected
    ]
    if isinstance(params.star_arg, cst.Param):  # after *args: keyword-only
        updated = params.with_changes(kwonly_params=[*params.kwonly_params, *added])
    else:
        updated = params.with_changes(params=[*params.params, *added])
    new_text = py.replace(parsed, params, updated)
    names = ", ".join(f"'{name}'" for name in check.unexpected)
    description = (
        f"declare {names} as parameters of `{check.callee}.__init__` so **kwargs no longer forwards them; "
        "then use the value"
    )
    fix = rewrite(source, new_text, description, False) if new_text else None
    if fix is not None:
        yield fix


def _annotations(ctx: FixContext, check: CallCheck) -> dict[str, str]:
    """Parameter name -> annotation code of the callee's ``__init__`` (for typed config getters)."""
    if check.definition is None:
        return {}
    source = ctx.source(check.definition)
    parsed = source.python() if source is not None else None
    if parsed is None:
        return {}
    found: dict[str, str] = {}
    for node in py.nodes_at(parsed, check.definition.line, (cst.ClassDef, cst.FunctionDef)):
        functions = [node] if isinstance(node, cst.FunctionDef) else _init_of(node)
        for function in functions:
            params = function.params
            for param in (*params.posonly_params, *params.params, *params.kwonly_params):
                if param.annotation is not None:
                    found[param.name.value] = parsed.module.code_for_node(param.annotation.annotation)
    return found


def _init_of(node: cst.ClassDef) -> list[cst.FunctionDef]:
    if not isinstance(node.body, cst.IndentedBlock):
        return []
    return [
        item for item in node.body.body if isinstance(item, cst.FunctionDef) and item.name.value == "__init__"
    ]


def _getter(name: str, annotation: str | None) -> str:
    if annotation is not None:
        for pattern, getter in _TYPED_GETTERS:
            if pattern.search(annotation):
                return getter
    return "require_secret" if _SECRET.search(name) else "require"


def _with_arguments(
    text: str, parsed: PythonSource, call: cst.Call, values: Sequence[tuple[str, cst.BaseExpression]]
) -> cst.Call:
    added = [py.new_keyword(name, value) for name, value in values]
    single_line = parsed.positions[call].start.line == parsed.positions[call].end.line
    updated = py.with_keywords(call, added)
    if single_line and len(added) > 1:
        line = parsed.positions[call].start.line
        updated = py.one_per_line(updated, py.line_indent(text, line), parsed.module.default_indent)
    return updated


def _pulumi(
    parsed: PythonSource, text: str, call: cst.Call, check: CallCheck, annotations: dict[str, str]
) -> str | None:
    module = parsed.module
    config = _config_variable(module)
    names, aliases = py.imported_names(module, "pulumi")
    if config is None:
        if _binds(parsed, "config"):
            return None  # "config" means something else here
        if aliases:
            constructor = f"{sorted(aliases)[0]}.Config"
        elif "Config" in names:
            constructor = "Config"
        else:
            return None
        config = "config"
    else:
        constructor = None
    values = [
        (name, _read(f"{config}.{_getter(name, annotations.get(name))}", name)) for name in check.missing
    ]
    updated = _with_arguments(text, parsed, call, values)
    if constructor is None:
        return py.replace(parsed, call, updated)
    # Add ``config = pulumi.Config()`` right before the statement that makes the call.
    statement = py.statement_of(parsed, call)
    if statement is None:
        return None
    replaced = module.deep_replace(call, updated)
    new_statement = _find_equal(replaced, statement, parsed)
    if new_statement is None:
        return None
    assignment = py.assignment(config, py.call(constructor))
    return _insert_before(replaced, new_statement, assignment)


def _cdk(parsed: PythonSource, text: str, call: cst.Call, check: CallCheck) -> str | None:
    functions = py.enclosing_functions(parsed, call)
    line = parsed.positions[call].start.line
    owner: str | None = "self"
    if not functions or "self" not in py.bound_names(functions[0], line, parsed):
        owner = _app_variable(parsed.module)
        if owner is None:
            return None
    values = [(name, _read(f"{owner}.node.try_get_context", name)) for name in check.missing]
    return py.replace(parsed, call, _with_arguments(text, parsed, call, values))


def _read(getter: str, key: str) -> cst.Call:
    """``getter("key")``: the value of one configuration key."""
    return py.call(getter, [cst.Arg(py.string_node(key))])


def _config_variable(module: cst.Module) -> str | None:
    """A module-level ``x = pulumi.Config()`` (no arguments)."""
    for name, value in _module_assignments(module):
        if (
            isinstance(value, cst.Call)
            and not value.args
            and (py.dotted_name(value.func) or "").split(".")[-1] == "Config"
        ):
            return name
    return None


def _app_variable(module: cst.Module) -> str | None:
    for name, value in _module_assignments(module):
        if isinstance(value, cst.Call) and (py.dotted_name(value.func) or "").split(".")[-1] == "App":
            return name
    return None


def _module_assignments(module: cst.Module) -> Iterable[tuple[str, cst.BaseExpression]]:
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for item in statement.body:
                if (
                    isinstance(item, cst.Assign)
                    and len(item.targets) == 1
                    and isinstance(item.targets[0].target, cst.Name)
                ):
                    yield item.targets[0].target.value, item.value


def _binds(parsed: PythonSource, name: str) -> bool:
    return any(node.value == name for node in parsed.of_type(cst.Name))


def _find_equal(
    module: cst.Module, statement: cst.BaseStatement, parsed: PythonSource
) -> cst.BaseStatement | None:
    """The top-level statement of ``module`` at the index ``statement`` had in the parsed module."""
    for index, item in enumerate(parsed.module.body):
        if item is statement:
            return module.body[index]
    return None


def _insert_before(module: cst.Module, statement: cst.BaseStatement, added: cst.BaseStatement) -> str | None:
    body: list[cst.BaseStatement] = []
    for item in module.body:
        # The comments and blank lines above the statement stay above the new line too.
        if (
            item is statement
            and isinstance(item, cst.SimpleStatementLine)
            and isinstance(added, cst.SimpleStatementLine)
        ):
            body.append(added.with_changes(leading_lines=item.leading_lines))
            body.append(item.with_changes(leading_lines=[]))
        elif item is statement:
            body.extend((added, item))
        else:
            body.append(item)
    return module.with_changes(body=body).code
