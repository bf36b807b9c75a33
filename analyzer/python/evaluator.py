"""A small abstract interpreter for the Python that infrastructure code is written in.

``Evaluator.run_module(path)`` walks a module's statements the way Python would run them, without
running anything: names bound by assignment, ``self.x = ...`` on instances of worktree classes,
calls of worktree classes (their ``__init__`` runs with the call-site arguments bound to its
parameters) and functions (inlined up to a depth limit), ``if`` (a branch whose condition is
unknown runs too, and variables it sets are merged), ``for`` over known lists (one pass per item;
otherwise one pass with the loop variable unknown), f-strings, ``.format``, ``%``, ``+``,
``join``, dicts and lists, ``json.dumps``, ``os.environ``/``os.getenv``. Everything else is
``Unknown`` with a reason: never a guess.

Platforms plug in through :class:`Hooks` (calls of names from outside the worktree, such as
``pulumi_aws.s3.Bucket`` or ``pulumi.Config``; attribute reads and method calls on values the
evaluator does not know; signatures of library base classes) and through :class:`Obj` subclasses
for their own objects. The evaluator records every construction of a worktree class as a
:class:`~analyzer.model.CallCheck` and where the environment suffix is read.

Budgets come from :class:`~analyzer.plugin.Limits`: ``eval_steps`` bounds the total work (after it
is spent every value is Unknown and a ``limit`` problem is recorded); ``eval_depth`` bounds
expression nesting (times 2) and inlined calls (capped at 8).
"""

from __future__ import annotations

import contextlib
import operator
import posixpath
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import libcst as cst

from analyzer.model import (
    AttributeProblem,
    CallCheck,
    Concat,
    Literal,
    Location,
    Origin,
    ParseProblem,
    Ref,
    Unknown,
    concat,
)
from analyzer.plugin import Limits
from analyzer.python.attributes import known_attributes
from analyzer.python.builtins import (
    PATH_FUNCTIONS,
    compare_values,
    is_number,
    is_text,
    iteration_items,
    literal_method,
    number_value,
    path_call,
    percent_format,
)
from analyzer.python.project import ClassRef, External, FunctionRef, Missing, ModuleRef, PythonProject
from analyzer.python.signatures import (
    Param,
    ParamKind,
    Signature,
    bind,
    class_signature,
    find_method,
    function_signature,
    mro,
)
from analyzer.python.source import SourceModule, string_value
from analyzer.python.values import (
    ClassObj,
    EValue,
    ExternalObj,
    FunctionObj,
    InstanceObj,
    JsonText,
    LambdaObj,
    ModuleObj,
    Obj,
    merge,
    name_origin,
    normalize_name,
    origin_of,
    text_part,
    to_value,
    truthiness,
    with_origin,
)

MAX_LOOP_ITEMS = 200


@dataclass(slots=True)
class CallSite:
    """A call being evaluated: argument values, and where they are."""

    node: cst.Call
    module: SourceModule
    args: list[EValue]
    kwargs: dict[str, EValue]
    star_args: bool = False  # a *x whose items are unknown
    star_kwargs: bool = False  # a **y whose keys are unknown
    keyword_order: list[str] = field(default_factory=list)  # with duplicates, as written
    arg_locations: dict[str | int, Location] = field(default_factory=dict)
    frame: Frame | None = None
    at: Location | None = None  # for calls the evaluator makes up (no node in the source)

    @property
    def location(self) -> Location:
        return self.at if self.at is not None else self.module.location(self.node)

    def arg(self, index: int, keyword: str) -> EValue | None:
        """The argument passed at position ``index`` or as ``keyword``.

        A positional argument wins: Python rejects a call giving one parameter both ways, so a
        keyword of the same name is another parameter (jsii renames a construct's ``scope``
        parameter to ``scope_`` when its props have a ``scope`` too: ``CfnWebACL(self, "Acl",
        scope="REGIONAL")``)."""
        if 0 <= index < len(self.args):
            return self.args[index]
        return self.kwargs.get(keyword)


class Hooks:
    """Platform extension points; every method may return None to let the evaluator decide."""

    def external_call(self, ev: Evaluator, qualname: str, site: CallSite) -> EValue | None:
        """A call of a name from outside the worktree (``pulumi_aws.s3.Bucket``)."""
        return None

    def attribute(self, ev: Evaluator, target: EValue, name: str, location: Location) -> EValue | None:
        """``target.name`` where target is not a worktree object (a Ref, an Unknown, a Literal)."""
        return None

    def method_call(self, ev: Evaluator, target: EValue, name: str, site: CallSite) -> EValue | None:
        """``target.name(...)`` before the built-in str/list/dict methods are tried."""
        return None

    def external_signature(self, qualname: str) -> Signature | None:
        """The initializer signature of a library class (``aws_cdk.Stack``); None when unknown."""
        return None

    def external_import(self, ev: Evaluator, module: str, name: str, location: Location) -> None:
        """``from module import name`` where the module is a library (not in the worktree)."""

    def instance_created(self, ev: Evaluator, instance: InstanceObj, site: CallSite) -> None:
        """A worktree class was instantiated (before its ``__init__`` runs)."""


@dataclass(slots=True, eq=False)
class Frame:
    module: SourceModule
    globals: dict[str, EValue]
    locals: dict[str, EValue]
    parent: Frame | None = None  # enclosing function frame (closures)
    self_obj: EValue | None = None
    owner: ClassRef | None = None  # class whose method runs (for super())
    in_loop: int = 0
    is_module: bool = False
    # Values returned on a path that an unknown condition chose (``if os.path.isdir(p): return
    # a``): the function's result may be any of them, or what the remaining path returns.
    returned: list[EValue] = field(default_factory=list)

    def lookup(self, name: str) -> EValue | None:
        frame: Frame | None = self
        while frame is not None:
            if name in frame.locals:
                return frame.locals[name]
            frame = frame.parent
        return self.globals.get(name)


class _Signal:
    __slots__ = ("kind", "value")

    def __init__(self, kind: str, value: EValue | None = None) -> None:
        self.kind, self.value = kind, value  # "return" | "break" | "continue" | "raise"


class _Exhausted(Exception):
    """The step budget is spent."""


_ARITH: dict[type, Callable[[Any, Any], Any]] = {
    cst.Add: operator.add,
    cst.Subtract: operator.sub,
    cst.Multiply: operator.mul,
    cst.FloorDivide: operator.floordiv,
    cst.Divide: operator.truediv,
    cst.Modulo: operator.mod,
    cst.Power: operator.pow,
}


class Evaluator:
    """Evaluate modules of one :class:`PythonProject`; collect call checks and suffix reads."""

    def __init__(
        self,
        project: PythonProject,
        hooks: Hooks | None = None,
        limits: Limits | None = None,
        suffix_names: Sequence[str] = (),
        entry_point: str | None = None,
    ) -> None:
        self.project = project
        self.hooks = hooks or Hooks()
        self.limits = limits or Limits()
        self.entry_point = entry_point
        self.extra_suffix_names = frozenset(normalize_name(name) for name in suffix_names)
        self.max_expr_depth = max(self.limits.eval_depth * 2, 16)
        self.max_call_depth = min(self.limits.eval_depth, 8)
        self.steps = 0
        self.exhausted = False
        self.call_depth = 0
        self.loop_depth = 0  # loops being evaluated, across inlined calls (resources made in a loop)
        # Conditions of the `if` branches being evaluated whose test is unknown (a config flag, an
        # argument): a resource made there exists only in some deployments.
        self.conditions: list[str] = []
        # The same branches as (test, the frame it was evaluated in, the branch's polarity), for
        # hooks that judge a test further (analyzer/python/lookups.py: is it decided by unset config?).
        self.condition_tests: list[tuple[cst.BaseExpression, Frame, bool]] = []
        self.expr_depth = 0
        self.modules: dict[str, ModuleObj] = {}
        self.calls: dict[tuple[str, int, int], CallCheck] = {}
        self.attribute_problems: dict[tuple[str, int, str, str], AttributeProblem] = {}
        self.suffix_reads: list[tuple[str, Location]] = []
        self.env_name_reads: list[tuple[str, Location]] = []
        self.problems: list[ParseProblem] = []
        self._signatures: dict[int, Signature | None] = {}
        self._known_attributes: dict[int, frozenset[str] | None] = {}
        self.instantiated: set[int] = set()
        # > 0 while code runs that tolerates a missing attribute (hasattr tests, getattr with a
        # default, try/except AttributeError): reads there are not attribute problems.
        self.attribute_guard = 0
        self.type_error_guard = 0  # > 0 inside try blocks that handle TypeError  # id() of ClassDef nodes constructed at least once
        self._mro: dict[int, list[ClassRef | External]] = {}

    # -- entry points ----------------------------------------------------------------------------

    def run_module(self, path: str) -> ModuleObj | None:
        """Evaluate a worktree module once (as an import would) and return its namespace."""
        existing = self.modules.get(path)
        if existing is not None:
            return existing
        source = self.project.load(path)
        if source is None:
            return None
        module = ModuleObj(path, self.project.module_name(path))
        self.modules[path] = module
        module.namespace["__name__"] = Literal("__main__" if path == self.entry_point else module.name)
        # Paths are modelled relative to the worktree root (where Pulumi and CDK run the program).
        module.namespace["__file__"] = Literal(path)
        frame = Frame(source, module.namespace, module.namespace, is_module=True)
        try:
            self.exec_block(source.module.body, frame)
        except _Exhausted:
            pass
        except RecursionError:
            self.problems.append(
                ParseProblem(
                    source.location(None), "Python source nests too deeply to evaluate", kind="limit"
                )
            )
        return module

    def instantiate_detached(self, cls: ClassRef) -> EValue:
        """Run a class's ``__init__`` with every argument unknown (a component the entry point never
        reaches, e.g. because its import fails). Records no call check."""
        node = cst.Call(func=cst.Name(cls.name))
        site = CallSite(node, cls.module, [], {}, star_args=True, star_kwargs=True, at=cls.location)
        try:
            return self.instantiate(cls, site, record=False)
        except _Exhausted:
            return Unknown("evaluation budget exhausted")
        except RecursionError:
            return Unknown("nests too deeply")

    def classify(self, name: str) -> Origin:
        return name_origin(name, self.extra_suffix_names)

    def note_name(self, name: str, location: Location) -> Origin:
        """Record a read of a named input (config key, env var, parameter); return its origin."""
        origin = self.classify(name)
        if origin & Origin.SUFFIX:
            self.suffix_reads.append((name, location))
        elif origin & Origin.ENV_NAME:
            self.env_name_reads.append((name, location))
        return origin

    def signature(self, cls: ClassRef) -> Signature | None:
        key = id(cls.node)
        if key not in self._signatures:
            self._signatures[key] = class_signature(self.project, cls, self.hooks.external_signature)
        return self._signatures[key]

    # -- statements -----------------------------------------------------------------------------

    def _step(self) -> None:
        self.steps += 1
        if self.steps > self.limits.eval_steps:
            if not self.exhausted:
                self.exhausted = True
                self.problems.append(
                    ParseProblem(
                        Location(self.entry_point or ".", 1),
                        f"evaluation stopped after {self.limits.eval_steps:,} steps; "
                        "later values are unknown",
                        kind="limit",
                    )
                )
            raise _Exhausted

    def exec_block(self, body: Sequence[cst.CSTNode], frame: Frame) -> _Signal | None:
        for statement in body:
            signal = self.exec_statement(statement, frame)
            if signal is not None:
                return signal
        return None

    def _exec_loop_body(self, body: cst.BaseSuite, frame: Frame) -> _Signal | None:
        """One pass over a loop body; resources made there are marked as made in a loop."""
        frame.in_loop += 1
        self.loop_depth += 1
        try:
            return self.exec_block(_body(body), frame)
        finally:
            frame.in_loop -= 1
            self.loop_depth -= 1

    def exec_statement(self, statement: cst.CSTNode, frame: Frame) -> _Signal | None:
        self._step()
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                signal = self.exec_small(small, frame)
                if signal is not None:
                    return signal
            return None
        if isinstance(statement, cst.If):
            return self._exec_if(statement, frame)
        if isinstance(statement, cst.For):
            return self._exec_for(statement, frame)
        if isinstance(statement, cst.While):
            signal = self._exec_loop_body(statement.body, frame)
            return signal if signal is not None and signal.kind in ("return", "raise") else None
        if isinstance(statement, (cst.Try, cst.TryStar)):
            guarded = any(_catches_attribute_error(frame, handler) for handler in statement.handlers)
            # try: Stack(new_style=...) except TypeError: Stack(...): a failing call is handled
            handled = any(
                _catches(frame, handler, ("TypeError", "Exception")) for handler in statement.handlers
            )
            self.attribute_guard += guarded
            self.type_error_guard += handled
            try:
                signal = self.exec_block(_body(statement.body), frame)
            finally:
                self.attribute_guard -= guarded
                self.type_error_guard -= handled
            if signal is not None and signal.kind == "raise":
                signal = None
            if signal is None and statement.orelse is not None:
                signal = self.exec_block(_body(statement.orelse.body), frame)
            if statement.finalbody is not None:
                final = self.exec_block(_body(statement.finalbody.body), frame)
                signal = final or signal
            return signal
        if isinstance(statement, cst.With):
            for item in statement.items:
                value = self.eval(item.item, frame)
                if item.asname is not None:
                    self.assign(
                        item.asname.name, Unknown("context manager value", hint=_hint_of(value)), frame
                    )
            return self.exec_block(_body(statement.body), frame)
        if isinstance(statement, cst.FunctionDef):
            frame.locals[statement.name.value] = self._function_obj(statement, frame)
            return None
        if isinstance(statement, cst.ClassDef):
            frame.locals[statement.name.value] = ClassObj(ClassRef(frame.module, statement))
            return None
        return None  # match statements and the rest: not modelled

    def _function_obj(self, node: cst.FunctionDef, frame: Frame) -> FunctionObj:
        return FunctionObj(
            FunctionRef(frame.module, node), frame.globals, closure=None if frame.is_module else frame
        )

    def exec_small(self, small: cst.BaseSmallStatement, frame: Frame) -> _Signal | None:
        if isinstance(small, cst.Expr):
            self.eval(small.value, frame)
        elif isinstance(small, cst.Assign):
            value = self.eval(small.value, frame)
            for target in small.targets:
                self.assign(target.target, value, frame)
        elif isinstance(small, cst.AnnAssign):
            if small.value is not None:
                self.assign(small.target, self.eval(small.value, frame), frame)
        elif isinstance(small, cst.AugAssign):
            current = self.eval(small.target, frame)
            value = self.eval(small.value, frame)
            operator_type = type(small.operator).__name__.replace("Assign", "")
            op = getattr(cst, operator_type, None)
            result = self._binary(op() if op else None, current, value, frame.module.location(small), small)
            self.assign(small.target, result, frame)
        elif isinstance(small, cst.Return):
            return _Signal(
                "return", self.eval(small.value, frame) if small.value is not None else Literal(None)
            )
        elif isinstance(small, cst.Raise):
            return _Signal("raise")
        elif isinstance(small, cst.Break):
            return _Signal("break")
        elif isinstance(small, cst.Continue):
            return _Signal("continue")
        elif isinstance(small, (cst.Import, cst.ImportFrom)):
            self._exec_import(small, frame)
        return None

    def _exec_import(self, node: cst.Import | cst.ImportFrom, frame: Frame) -> None:
        project, path = self.project, frame.module.path
        if isinstance(node, cst.Import):
            for alias in node.names:
                dotted = _dotted(alias.name)
                if dotted is None:
                    continue
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    frame.locals[alias.asname.name.value] = self._module_value(dotted)
                else:
                    head = dotted.split(".")[0]
                    frame.locals[head] = self._module_value(head)
            return
        module = project.absolute_module(path, node)
        if module is None:
            return
        if isinstance(node.names, cst.ImportStar):
            value = self._module_value(module)
            if isinstance(value, ModuleObj):
                frame.locals.update({k: v for k, v in value.namespace.items() if not k.startswith("_")})
            return
        for alias in node.names:
            if not isinstance(alias.name, cst.Name):
                continue
            name = alias.name.value
            local = (
                alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
            )
            value = self._from_import(module, name)
            if isinstance(value, ExternalObj):
                self.hooks.external_import(self, module, name, frame.module.location(node))
            frame.locals[local] = value

    def _module_value(self, dotted: str) -> EValue:
        ref = self.project.module_ref(dotted)
        if isinstance(ref, ModuleRef):
            if ref.path:
                loaded = self.run_module(ref.path)
                if loaded is not None:
                    return loaded
            return ModuleObj(ref.path, dotted)
        if isinstance(ref, External):
            return ExternalObj(ref.qualname)
        return Unknown("import fails: no such module in the worktree", hint=dotted)

    def _from_import(self, module: str, name: str) -> EValue:
        base = self._module_value(module)
        if isinstance(base, ExternalObj):
            return ExternalObj(f"{module}.{name}")
        if isinstance(base, ModuleObj):
            if name in base.namespace:
                return base.namespace[name]
            return self._resolved_value(self.project.resolve_in_module(module, name), f"{module}.{name}")
        return base

    def _resolved_value(self, resolved: Any, hint: str) -> EValue:
        if isinstance(resolved, ClassRef):
            return ClassObj(resolved)
        if isinstance(resolved, FunctionRef):
            module = self.run_module(resolved.module.path)
            return FunctionObj(resolved, module.namespace if module else {})
        if isinstance(resolved, ModuleRef):
            return self._module_value(resolved.name)
        if isinstance(resolved, External):
            return ExternalObj(resolved.qualname)
        if isinstance(resolved, Missing):
            return Unknown("import fails: not defined in the worktree", hint=hint)
        return Unknown("cannot resolve", hint=hint)

    def _exec_if(self, node: cst.If, frame: Frame) -> _Signal | None:
        guarded = _tests_attributes(frame, node.test)
        self.attribute_guard += guarded
        try:
            return self._exec_if_body(node, frame)
        finally:
            self.attribute_guard -= guarded

    def _exec_if_body(self, node: cst.If, frame: Frame) -> _Signal | None:
        condition = truthiness(self.eval(node.test, frame))
        orelse = node.orelse
        else_body: Sequence[cst.CSTNode] = ()
        if isinstance(orelse, cst.If):
            else_body = (orelse,)
        elif isinstance(orelse, cst.Else):
            else_body = _body(orelse.body)
        if condition is True:
            return self.exec_block(_body(node.body), frame)
        if condition is False:
            return self.exec_block(else_body, frame)
        # Unknown condition: run both paths from the same state and merge what they set.
        before_locals = dict(frame.locals)
        before_attrs = dict(frame.self_obj.attrs) if isinstance(frame.self_obj, InstanceObj) else None
        test = _code(frame, node.test)
        self.conditions.append(test)
        self.condition_tests.append((node.test, frame, True))
        try:
            first = self.exec_block(_body(node.body), frame)
        finally:
            self.conditions.pop()
            self.condition_tests.pop()
        after_first = dict(frame.locals)
        attrs_first = dict(frame.self_obj.attrs) if isinstance(frame.self_obj, InstanceObj) else None
        frame.locals.clear()
        frame.locals.update(before_locals)
        if isinstance(frame.self_obj, InstanceObj) and before_attrs is not None:
            frame.self_obj.attrs.clear()
            frame.self_obj.attrs.update(before_attrs)
        self.conditions.append(f"not ({test})")
        self.condition_tests.append((node.test, frame, False))
        try:
            second = self.exec_block(else_body, frame)
        finally:
            self.conditions.pop()
            self.condition_tests.pop()
        first_stops = first is not None and first.kind in ("raise", "return")
        second_stops = second is not None and second.kind in ("raise", "return")
        if first_stops and not second_stops:
            _note_return(frame, first)
            return None  # only the second path continues; its state is current
        if second_stops and not first_stops:
            _note_return(frame, second)
            frame.locals.clear()
            frame.locals.update(after_first)
            if isinstance(frame.self_obj, InstanceObj) and attrs_first is not None:
                frame.self_obj.attrs.clear()
                frame.self_obj.attrs.update(attrs_first)
            return None
        _merge_into(frame.locals, after_first)
        if isinstance(frame.self_obj, InstanceObj) and attrs_first is not None:
            _merge_into(frame.self_obj.attrs, attrs_first)
        if first_stops and second_stops and first is not None and second is not None:
            if first.kind == "return" and second.kind == "return":
                return _Signal("return", merge(first.value or Literal(None), second.value or Literal(None)))
            return first if first.kind == "return" else second
        return None

    def _exec_for(self, node: cst.For, frame: Frame) -> _Signal | None:
        iterable = self.eval(node.iter, frame)
        items = iteration_items(iterable)
        if items is not None and len(items) <= MAX_LOOP_ITEMS:
            for item in items:
                self.assign(node.target, item, frame)
                signal = self._exec_loop_body(node.body, frame)
                if signal is not None:
                    if signal.kind == "break":
                        return None
                    if signal.kind in ("return", "raise"):
                        return signal
        else:
            self.assign(
                node.target,
                Unknown("loop variable", origin_of(iterable), hint=_code(frame, node.target)),
                frame,
            )
            signal = self._exec_loop_body(node.body, frame)
            if signal is not None and signal.kind == "return":
                return signal
        if node.orelse is not None:
            return self.exec_block(_body(node.orelse.body), frame)
        return None

    def assign(self, target: cst.BaseExpression, value: EValue, frame: Frame) -> None:
        if isinstance(target, cst.Name):
            # ``environment = "prod"``: a value held under an environment *name* is one.
            if isinstance(value, (Literal, Concat)) and self.classify(target.value) & Origin.ENV_NAME:
                value = with_origin(value, Origin.ENV_NAME)
            frame.locals[target.value] = value
        elif isinstance(target, cst.Attribute):
            owner = self.eval(target.value, frame)
            if isinstance(owner, (InstanceObj, ModuleObj)):
                attrs = owner.attrs if isinstance(owner, InstanceObj) else owner.namespace
                attrs[target.attr.value] = value
        elif isinstance(target, (cst.Tuple, cst.List)):
            items = value.value if isinstance(value, Literal) and isinstance(value.value, tuple) else None
            elements = target.elements
            for index, element in enumerate(elements):
                if isinstance(element, cst.StarredElement):
                    self.assign(element.value, Unknown("starred assignment"), frame)
                elif items is not None and len(items) == len(elements):
                    self.assign(element.value, items[index], frame)
                else:
                    self.assign(
                        element.value,
                        Unknown("unpacked value", origin_of(value), hint=_code(frame, element.value)),
                        frame,
                    )
        elif isinstance(target, cst.Subscript) and isinstance(target.value, (cst.Name, cst.Attribute)):
            # ``d[k] = v`` and ``self.d[k] = v``: values are immutable, so the container is rebound.
            if isinstance(target.value, cst.Name):
                container = frame.lookup(target.value.value)
            else:
                container = self.eval(target.value, frame)
            key = self._subscript_key(target, frame)
            if isinstance(container, Literal) and isinstance(container.value, dict) and isinstance(key, str):
                updated = Literal({**container.value, key: value}, container.origin, container.location)
                if isinstance(target.value, cst.Name):
                    self._rebind(target.value.value, updated, frame)
                else:
                    self.assign(target.value, updated, frame)

    def _rebind(self, name: str, value: EValue, frame: Frame) -> None:
        scope: Frame | None = frame
        while scope is not None:
            if name in scope.locals:
                scope.locals[name] = value
                return
            scope = scope.parent
        if name in frame.globals:
            frame.globals[name] = value
        else:
            frame.locals[name] = value

    # -- expressions ----------------------------------------------------------------------------

    def eval(self, node: cst.BaseExpression | None, frame: Frame) -> EValue:
        """The value of ``node`` in ``frame``; never raises (budget exhaustion aside)."""
        if node is None:
            return Literal(None)
        self._step()
        if self.expr_depth >= self.max_expr_depth:
            return Unknown("expression nests too deeply", hint="...")
        self.expr_depth += 1
        try:
            return self._eval(node, frame)
        finally:
            self.expr_depth -= 1

    def _eval(self, node: cst.BaseExpression, frame: Frame) -> EValue:
        location = frame.module.location(node)
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            text = string_value(node)
            if text is not None:
                return Literal(text, location=location)
            if isinstance(node, cst.ConcatenatedString):
                return concat(
                    [text_part(self.eval(node.left, frame)), text_part(self.eval(node.right, frame))],
                    location,
                )
            return Unknown("bytes literal", location=location)
        if isinstance(node, cst.Integer):
            return Literal(number_value(node.value, int), location=location)
        if isinstance(node, cst.Float):
            return Literal(number_value(node.value, float), location=location)
        if isinstance(node, cst.FormattedString):
            return self._fstring(node, frame, location)
        if isinstance(node, cst.Name):
            return self._name(node, frame, location)
        if isinstance(node, cst.Attribute):
            return self.attribute(self.eval(node.value, frame), node.attr.value, location, frame, node)
        if isinstance(node, cst.Call):
            return self._call(node, frame)
        if isinstance(node, cst.BinaryOperation):
            return self._binary(
                node.operator, self.eval(node.left, frame), self.eval(node.right, frame), location, node
            )
        if isinstance(node, cst.BooleanOperation):
            return self._boolean(node, frame)
        if isinstance(node, cst.UnaryOperation):
            return self._unary(node, frame, location)
        if isinstance(node, cst.Comparison):
            return self._compare(node, frame, location)
        if isinstance(node, cst.IfExp) and _tests_attributes(frame, node.test):
            self.attribute_guard += 1
            try:
                return merge(self.eval(node.body, frame), self.eval(node.orelse, frame), _code(frame, node))
            finally:
                self.attribute_guard -= 1
        if isinstance(node, cst.IfExp):
            condition = truthiness(self.eval(node.test, frame))
            if condition is True:
                return self.eval(node.body, frame)
            if condition is False:
                return self.eval(node.orelse, frame)
            with self._branch(node.test, frame, True):
                body = self.eval(node.body, frame)
            with self._branch(node.test, frame, False):
                orelse = self.eval(node.orelse, frame)
            return merge(body, orelse, _code(frame, node))
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            return self._sequence(node.elements, frame, location)
        if isinstance(node, cst.Dict):
            return self._dict(node, frame, location)
        if isinstance(node, cst.Subscript):
            return self._subscript(node, frame, location)
        if isinstance(node, cst.Lambda):
            return LambdaObj(node, frame.module, frame)
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            return self._comprehension(node, frame, location)
        if isinstance(node, cst.NamedExpr):
            value = self.eval(node.value, frame)
            self.assign(node.target, value, frame)
            return value
        if isinstance(node, cst.Await):
            return self.eval(node.expression, frame)
        return Unknown("expression not modelled", location=location, hint=_code(frame, node))

    def _name(self, node: cst.Name, frame: Frame, location: Location) -> EValue:
        name = node.value
        if name in ("True", "False", "None"):
            return Literal({"True": True, "False": False, "None": None}[name], location=location)
        found = frame.lookup(name)
        if found is not None:
            return found
        resolved = self.project.resolve(frame.module.path, name)
        if resolved is None:
            return Unknown("name not bound", hint=name, location=location)
        return self._resolved_value(resolved, name)

    def _fstring(self, node: cst.FormattedString, frame: Frame, location: Location) -> EValue:
        parts: list[Any] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(Literal(part.value.replace("{{", "{").replace("}}", "}")))
            elif isinstance(part, cst.FormattedStringExpression):
                value = text_part(self.eval(part.expression, frame))
                spec = part.format_spec
                if (
                    spec
                    and isinstance(value, Literal)
                    and all(isinstance(s, cst.FormattedStringText) for s in spec)
                ):
                    try:
                        value = Literal(format(value.value, "".join(s.value for s in spec)), value.origin)  # type: ignore[attr-defined]  # all FormattedStringText (checked above)
                    except (ValueError, TypeError):
                        value = Unknown("format spec", value.origin)
                if isinstance(value, Unknown):
                    # The placeholder as written reads best in ids and messages ("{environment_suffix}").
                    value = Unknown(value.reason, value.origin, value.location, _code(frame, part.expression))
                parts.append(value)
        return concat(parts, location)

    def attribute(
        self,
        target: EValue,
        name: str,
        location: Location,
        frame: Frame | None = None,
        node: cst.Attribute | None = None,
    ) -> EValue:
        """``target.name``."""
        if isinstance(target, InstanceObj):
            if name in target.attrs:
                return target.attrs[name]
            if name == "__dict__":
                target.data["no_attribute_checks"] = True  # written through its __dict__
            found = self._class_attribute(target.cls, name, target, location)
            if found is not None:
                return found
            self._attribute_miss(target, name, location)
        elif isinstance(target, ClassObj):
            found = self._class_attribute(target.ref, name, None, location)
            if found is not None:
                return found
        elif isinstance(target, ModuleObj):
            if name in target.namespace:
                return target.namespace[name]
            return self._resolved_value(
                self.project.resolve_in_module(target.name, name), f"{target.name}.{name}"
            )
        elif isinstance(target, ExternalObj):
            found = self.hooks.attribute(self, target, name, location)  # library constants, enums
            if found is not None:
                return found
            if target.qualname in ("os.environ",):
                return ExternalObj(f"os.environ.{name}")
            return ExternalObj(f"{target.qualname}.{name}")
        if isinstance(target, Obj):
            found = target.attribute(self, name, location)
            if found is not None:
                return found
        found = self.hooks.attribute(self, target, name, location)
        if found is not None:
            return found
        if isinstance(target, Literal) and isinstance(target.value, str) and name in ("parent", "name"):
            # pathlib.Path values are modelled as strings
            text = (
                posixpath.dirname(target.value) or "."
                if name == "parent"
                else posixpath.basename(target.value)
            )
            return Literal(text, target.origin, location)
        hint = f"{_hint_of(target)}.{name}"
        origin = self.note_name(name, location) if isinstance(target, (Unknown, InstanceObj)) else Origin.NONE
        return Unknown("attribute not known", origin_of(target) | origin, location, hint)

    def _attribute_miss(self, target: InstanceObj, name: str, location: Location) -> None:
        """An attribute read the instance does not have yet: a start-up AttributeError when the
        class can never have it."""
        if name.startswith("__") or target.data.get("no_attribute_checks") or self.attribute_guard:
            return
        cache_key = id(target.cls.node)
        if cache_key not in self._known_attributes:
            self._known_attributes[cache_key] = known_attributes(self.project, target.cls)
        known = self._known_attributes[cache_key]
        if known is None or name in known:
            return
        key = (location.path, location.line, target.cls.name, name)
        if key not in self.attribute_problems:
            self.attribute_problems[key] = AttributeProblem(
                target.cls.name,
                name,
                location,
                target.cls.location,
                tuple(sorted(n for n in known if not n.startswith("_"))),
            )

    def mro(self, cls: ClassRef) -> list[ClassRef | External]:
        """The class's method resolution order (cached)."""
        key = id(cls.node)
        if key not in self._mro:
            self._mro[key] = mro(self.project, cls)
        return self._mro[key]

    def _class_attribute(
        self, cls: ClassRef, name: str, instance: EValue | None, location: Location
    ) -> EValue | None:
        for item in self.mro(cls):
            if not isinstance(item, ClassRef):
                continue
            method = find_method(item, name)
            module = self.run_module(item.module.path)
            namespace = module.namespace if module else {}
            if method is not None:
                decorators = {_dotted(d.decorator) for d in method.decorators}
                function = FunctionObj(
                    FunctionRef(item.module, method),
                    namespace,
                    bound_self=instance,
                    owner=item,
                    is_method=instance is not None and "staticmethod" not in decorators,
                )
                if (
                    "property" in decorators
                    or "cached_property" in decorators
                    or "functools.cached_property" in decorators
                ):
                    return self.call_function(function, [], {}, None)
                return function
            body = item.node.body.body if isinstance(item.node.body, cst.IndentedBlock) else ()
            for statement in body:
                if not isinstance(statement, cst.SimpleStatementLine):
                    continue
                for small in statement.body:
                    targets = []
                    if isinstance(small, cst.Assign):
                        targets = [t.target for t in small.targets]
                    elif isinstance(small, cst.AnnAssign) and small.value is not None:
                        targets = [small.target]
                    if any(isinstance(t, cst.Name) and t.value == name for t in targets):
                        class_frame = Frame(item.module, namespace, {}, is_module=True)
                        return self.eval(small.value, class_frame)  # type: ignore[attr-defined]  # an Assign or AnnAssign with a value (checked above)
        return None

    # -- calls ----------------------------------------------------------------------------------

    def _call(self, node: cst.Call, frame: Frame) -> EValue:
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Call) and _is_super(func.value):
            site = self.call_site(node, frame)
            return self._super_call(func.attr.value, site, frame)
        if isinstance(func, cst.Attribute):
            target = self.eval(func.value, frame)
            name = func.attr.value
            if not isinstance(target, (InstanceObj, ClassObj, ModuleObj, ExternalObj)):
                site = self.call_site(node, frame)
                return self.call_method(target, name, site)
            callee = self.attribute(target, name, frame.module.location(func), frame, func)
        else:
            callee = self.eval(func, frame)
        site = self.call_site(node, frame)
        return self.call_value(callee, site)

    def call_site(self, node: cst.Call, frame: Frame) -> CallSite:
        site = CallSite(node, frame.module, [], {}, frame=frame)
        for arg in node.args:
            value = self.eval(arg.value, frame)
            if arg.star == "*":
                items = iteration_items(value)
                if items is None:
                    site.star_args = True
                else:
                    site.args.extend(items)
            elif arg.star == "**":
                if isinstance(value, Literal) and isinstance(value.value, dict):
                    for key, item in value.value.items():
                        site.kwargs[key] = item
                        site.keyword_order.append(key)
                elif isinstance(value, InstanceObj) and False:
                    pass
                else:
                    site.star_kwargs = True
            elif arg.keyword is not None:
                site.kwargs[arg.keyword.value] = value
                site.keyword_order.append(arg.keyword.value)
                site.arg_locations[arg.keyword.value] = frame.module.location(arg)
            else:
                site.arg_locations[len(site.args)] = frame.module.location(arg)
                site.args.append(value)
        return site

    def call_value(self, callee: EValue, site: CallSite) -> EValue:
        """Call ``callee`` with the evaluated arguments of ``site``."""
        if not isinstance(callee, (ClassObj, FunctionObj, LambdaObj)) and not (
            isinstance(callee, ExternalObj) and callee.qualname in _NON_MUTATING
        ):
            _escape(site)
        if isinstance(callee, ClassObj):
            return self.instantiate(callee.ref, site)
        if isinstance(callee, FunctionObj):
            return self.call_function(callee, site.args, site.kwargs, site)
        if isinstance(callee, LambdaObj):
            return self.call_lambda(callee, site.args, site.kwargs)
        if isinstance(callee, ExternalObj):
            found = self.hooks.external_call(self, callee.qualname, site)
            if found is not None:
                return found
            return self._builtin_call(callee.qualname, site)
        if isinstance(callee, Obj):
            found = callee.call(self, site)
            if found is not None:
                return found
        return Unknown("result of a call", origin_of(callee), site.location, _code_site(site))

    def call_method(self, target: EValue, name: str, site: CallSite) -> EValue:
        """``target.name(...)`` for values that are not worktree objects."""
        if not isinstance(target, (Literal, Concat)):
            _escape(site)
        if isinstance(target, Obj):
            found = target.method(self, name, site)
            if found is not None:
                return found
        found = self.hooks.method_call(self, target, name, site)
        if found is not None:
            return found
        builtin = literal_method(self, target, name, site)
        if builtin is not None:
            return builtin
        if isinstance(target, Obj):
            attribute = target.attribute(self, name, site.location)
            if attribute is not None:
                return self.call_value(attribute, site)
        return Unknown("result of a method call", origin_of(target), site.location, _code_site(site))

    def call_function(
        self, function: FunctionObj, args: Sequence[EValue], kwargs: dict[str, EValue], site: CallSite | None
    ) -> EValue:
        """Inline a worktree function with the given arguments (up to the call depth limit)."""
        location = site.location if site else None
        if self.call_depth >= self.max_call_depth:
            return Unknown(
                "call nesting too deep to follow", location=location, hint=function.ref.name + "()"
            )
        signature = function_signature(function.ref, method=function.is_method)
        result = bind(
            signature,
            len(args),
            list(kwargs),
            star_args=bool(site and site.star_args),
            star_kwargs=bool(site and site.star_kwargs),
        )
        frame = Frame(
            function.ref.module,
            function.globals,
            {},
            parent=function.closure,
            self_obj=function.bound_self,
            owner=function.owner,
        )
        if function.is_method and function.bound_self is not None:
            first = _first_param(function.ref.node)
            if first:
                frame.locals[first] = function.bound_self
        self._bind_parameters(signature, result, args, kwargs, frame, site)
        self.call_depth += 1
        try:
            signal = self.exec_block(_body(function.ref.node.body), frame)
        finally:
            self.call_depth -= 1
        if signal is not None and signal.kind == "raise":
            if frame.returned:  # the raise is one path; the others returned
                return _merged_returns(frame.returned)
            return Unknown("the function raises", location=location, hint=function.ref.name + "()")
        if signal is not None and signal.kind == "return":
            value = signal.value if signal.value is not None else Literal(None)
        else:
            value = Literal(None, location=location)
        return _merged_returns([*frame.returned, value])

    def _bind_parameters(
        self,
        signature: Signature,
        result: Any,
        args: Sequence[EValue],
        kwargs: dict[str, EValue],
        frame: Frame,
        site: CallSite | None,
    ) -> None:
        defaults_frame = Frame(frame.module, frame.globals, {}, is_module=True)
        for param in signature.params:
            if param.name in result.positional_to:
                value = args[result.positional_to[param.name]]
            elif param.name in result.keyword_to:
                value = kwargs[result.keyword_to[param.name]]
            elif site is not None and _may_come_from_star(param, site):
                # ``f(**settings)``: the unknown mapping may set it; the default is only a guess.
                value = Unknown("argument from * or ** of unknown contents", hint=param.name)
            elif param.factory is not None:
                value = self.call_value(
                    self.eval(param.factory, defaults_frame),
                    CallSite(cst.Call(func=param.factory), frame.module, [], {}),
                )
            elif param.has_default:
                value = self.eval(param.default, defaults_frame)
            else:
                value = Unknown("argument not given", hint=param.name)
            origin = self.classify(param.name)
            if origin & Origin.SUFFIX and site is not None:
                self.suffix_reads.append((param.name, site.location))
            if _source_constant(value):
                # A constant written in the code ("dev", "-dlq") is the same on every deployment,
                # whatever the parameter is called; only an environment name stays one.
                origin &= ~Origin.SUFFIX
            frame.locals[param.name] = with_origin(value, origin & (Origin.SUFFIX | Origin.ENV_NAME))
        if signature.var_positional:
            frame.locals[signature.var_positional] = (
                Unknown("*args", hint=signature.var_positional)
                if site and site.star_args
                else Literal(tuple(args[i] for i in result.extra_positional))
            )
        if signature.var_keyword:
            frame.locals[signature.var_keyword] = (
                Unknown("**kwargs", hint=signature.var_keyword)
                if site and site.star_kwargs
                else Literal({k: kwargs[k] for k in result.extra_keywords})
            )

    def call_lambda(self, function: LambdaObj, args: Sequence[EValue], kwargs: dict[str, EValue]) -> EValue:
        if self.call_depth >= self.max_call_depth:
            return Unknown("call nesting too deep to follow", hint="lambda")
        frame = Frame(
            function.module,
            function.closure.globals,
            {},
            parent=function.closure,
            self_obj=function.closure.self_obj,
        )
        params = function.node.params
        names = [p.name.value for p in (*params.posonly_params, *params.params)]
        for index, name in enumerate(names):
            if index < len(args):
                frame.locals[name] = args[index]
            elif name in kwargs:
                frame.locals[name] = kwargs[name]
            else:
                frame.locals[name] = Unknown("lambda argument", hint=name)
        if isinstance(params.star_arg, cst.Param):
            frame.locals[params.star_arg.name.value] = Literal(tuple(args[len(names) :]))
        self.call_depth += 1
        try:
            return self.eval(function.node.body, frame)
        finally:
            self.call_depth -= 1

    def instantiate(self, cls: ClassRef, site: CallSite, *, record: bool = True) -> EValue:
        """Construct a worktree class: record the call check, run ``__init__`` with the arguments."""
        signature = self.signature(cls)
        instance = InstanceObj(cls, location=site.location)
        self.instantiated.add(id(cls.node))
        if record:
            self._record_call(cls, signature, site)
        self.hooks.instance_created(self, instance, site)
        if signature is None:
            init = self._inherited_init(cls)
            if init is not None:
                self.call_function(
                    FunctionObj(init[0], init[1], bound_self=instance, owner=init[2], is_method=True),
                    site.args,
                    site.kwargs,
                    site,
                )
            return instance
        if signature.function is not None:
            module = self.run_module(signature.function.module.path)
            owner = self._owner_of(cls, signature.function)
            self.call_function(
                FunctionObj(
                    signature.function,
                    module.namespace if module else {},
                    bound_self=instance,
                    owner=owner,
                    is_method=True,
                ),
                site.args,
                site.kwargs,
                site,
            )
        elif signature.dataclass_fields:
            result = bind(
                signature,
                len(site.args),
                list(site.kwargs),
                star_args=site.star_args,
                star_kwargs=site.star_kwargs,
            )
            module = self.run_module(cls.module.path)
            frame = Frame(cls.module, module.namespace if module else {}, {}, is_module=True)
            self._bind_parameters(signature, result, site.args, site.kwargs, frame, site)
            instance.attrs.update(frame.locals)
            post_init = self._inherited_method(cls, "__post_init__")
            if post_init is not None:
                self.call_function(
                    FunctionObj(
                        post_init[0], post_init[1], bound_self=instance, owner=post_init[2], is_method=True
                    ),
                    [],
                    {},
                    site,
                )
        return instance

    def _owner_of(self, cls: ClassRef, function: FunctionRef) -> ClassRef:
        for item in self.mro(cls):
            if isinstance(item, ClassRef) and find_method(item, function.name) is function.node:
                return item
        return cls

    def _inherited_init(self, cls: ClassRef) -> tuple[FunctionRef, dict[str, EValue], ClassRef] | None:
        return self._inherited_method(cls, "__init__")

    def _inherited_method(
        self, cls: ClassRef, name: str
    ) -> tuple[FunctionRef, dict[str, EValue], ClassRef] | None:
        for item in self.mro(cls):
            if isinstance(item, ClassRef):
                method = find_method(item, name)
                if method is not None:
                    module = self.run_module(item.module.path)
                    return FunctionRef(item.module, method), module.namespace if module else {}, item
        return None

    def _super_call(self, name: str, site: CallSite, frame: Frame) -> EValue:
        owner, instance = frame.owner, frame.self_obj
        if owner is None:
            return Unknown("super() outside a method", location=site.location)
        order = self.mro(owner)
        for item in order[1:]:
            if isinstance(item, ClassRef):
                method = find_method(item, name)
                if method is None and name == "__init__" and self.signature(item) is not None:
                    signature = self.signature(item)
                    if (
                        signature is not None
                        and signature.dataclass_fields
                        and isinstance(instance, InstanceObj)
                    ):
                        result = bind(signature, len(site.args), list(site.kwargs))
                        scratch = Frame(item.module, frame.globals, {}, is_module=True)
                        self._bind_parameters(signature, result, site.args, site.kwargs, scratch, site)
                        instance.attrs.update(scratch.locals)
                        return Literal(None)
                if method is not None:
                    module = self.run_module(item.module.path)
                    function = FunctionObj(
                        FunctionRef(item.module, method),
                        module.namespace if module else {},
                        bound_self=instance,
                        owner=item,
                        is_method=True,
                    )
                    return self.call_function(function, site.args, site.kwargs, site)
            else:
                found = self.hooks.external_call(self, f"{item.qualname}.{name}", site)
                return found if found is not None else Literal(None)
        return Literal(None)

    def _record_call(self, cls: ClassRef, signature: Signature | None, site: CallSite) -> None:
        key = (site.module.path, site.module.line(site.node), id(site.node))
        if key in self.calls:
            return
        location = site.location
        if signature is None:
            self.calls[key] = CallCheck(
                cls.name,
                location,
                cls.location,
                certain=False,
                in_entry_point=site.module.path == self.entry_point,
            )
            return
        positional = len(site.args)
        result = bind(
            signature, positional, site.keyword_order, star_args=site.star_args, star_kwargs=site.star_kwargs
        )
        self.calls[key] = CallCheck(
            callee=cls.name,
            location=location,
            definition=signature.definition or cls.location,
            missing=result.missing,
            unexpected=result.unexpected,
            too_many_positional=result.too_many_positional,
            duplicates=result.duplicates,
            certain=result.certain and not self.type_error_guard,
            in_entry_point=site.module.path == self.entry_point,
            via=result.via,
        )

    # -- built-in functions and methods ---------------------------------------------------------------

    def _builtin_call(self, qualname: str, site: CallSite) -> EValue:
        location = site.location
        args = site.args
        first = args[0] if args else None
        if qualname in ("json.dumps", "json.dump") and first is not None:
            return JsonText(first)
        if qualname in ("sys.path.append", "sys.path.insert"):
            # sys.path.append(os.path.join(os.path.dirname(__file__), "lib")): later imports search it
            path = args[-1] if args else None
            if isinstance(path, Literal) and isinstance(path.value, str):
                self.project.add_search_path(path.value, first=qualname.endswith("insert"))
            return Literal(None, location=location)
        if qualname == "json.loads" and isinstance(first, JsonText):
            return first.document
        if qualname in PATH_FUNCTIONS or qualname in (
            "pathlib.Path",
            "pathlib.PurePath",
            "pathlib.PosixPath",
        ):
            return path_call(qualname, args, location)
        if qualname in ("os.environ.get", "os.getenv"):
            return self._env_var(first, args[1] if len(args) > 1 else site.kwargs.get("default"), location)
        if qualname == "builtins.str" and first is not None:
            return (
                text_part(first)
                if not (isinstance(first, Literal) and not isinstance(first.value, str))
                else Literal(str(first.value), first.origin, location)
            )
        if qualname == "builtins.int" and isinstance(first, Literal):
            try:
                return Literal(int(first.value), first.origin, location)
            except (TypeError, ValueError):
                return Unknown("int() of a non-number", first.origin, location)
        if qualname == "builtins.len":
            items = iteration_items(first) if first is not None else None
            if items is not None:
                return Literal(len(items), location=location)
        if qualname in ("builtins.list", "builtins.tuple", "builtins.sorted", "builtins.set"):
            if first is None:
                return Literal((), location=location)
            items = iteration_items(first)
            if items is not None:
                if qualname == "builtins.sorted" and all(isinstance(i, Literal) for i in items):
                    with contextlib.suppress(TypeError):
                        items = sorted(items, key=lambda i: i.value)  # type: ignore[union-attr]
                return Literal(tuple(items), origin_of(first), location)
        if qualname == "builtins.dict":
            merged: dict[str, EValue] = {}
            if isinstance(first, Literal) and isinstance(first.value, dict):
                merged.update(first.value)
            elif first is not None:
                return Unknown("dict() of an unknown value", location=location)
            merged.update(site.kwargs)
            return Literal(merged, location=location)
        if qualname == "builtins.range":
            numbers = [a.value for a in args if isinstance(a, Literal) and isinstance(a.value, int)]
            if len(numbers) == len(args) and 1 <= len(numbers) <= 3:
                values = range(*numbers)
                if len(values) <= MAX_LOOP_ITEMS:
                    return Literal(tuple(Literal(n) for n in values), location=location)
        if qualname == "builtins.enumerate" and first is not None:
            items = iteration_items(first)
            if items is not None:
                return Literal(
                    tuple(Literal((Literal(i), item)) for i, item in enumerate(items)), location=location
                )
        if qualname == "builtins.zip" and args:
            lists = [iteration_items(a) for a in args]
            if all(items is not None for items in lists):
                return Literal(
                    tuple(Literal(tuple(group)) for group in zip(*lists, strict=False)),  # type: ignore[misc]
                    location=location,
                )
        if qualname in ("builtins.isinstance", "builtins.hasattr", "builtins.callable"):
            return Unknown("type test", location=location)
        if (
            qualname == "builtins.getattr"
            and len(args) >= 2
            and isinstance(args[1], Literal)
            and isinstance(args[1].value, str)
        ):
            self.attribute_guard += len(args) > 2
            try:
                value = self.attribute(args[0], args[1].value, location)
            finally:
                self.attribute_guard -= len(args) > 2
            if isinstance(value, Unknown) and len(args) > 2:
                return merge(value, args[2])
            return value
        return Unknown(
            "result of a call from outside the worktree", Origin.EXTERNAL, location, qualname + "()"
        )

    def _env_var(self, name: EValue | None, default: EValue | None, location: Location) -> EValue:
        if not (isinstance(name, Literal) and isinstance(name.value, str)):
            return Unknown("environment variable", Origin.ENV_VAR, location)
        origin = Origin.ENV_VAR | self.note_name(name.value, location)
        return Unknown(
            "environment variable", origin | origin_of(default) & ~Origin.SUFFIX, location, name.value
        )

    # -- operators ------------------------------------------------------------------------------------

    def _binary(self, op: Any, left: EValue, right: EValue, location: Location, node: cst.CSTNode) -> EValue:
        if isinstance(op, cst.Add):
            if is_text(left) and is_text(right):
                return concat([left, right], location)  # type: ignore[list-item]
            if (
                isinstance(left, Literal)
                and isinstance(right, Literal)
                and isinstance(left.value, tuple)
                and isinstance(right.value, tuple)
            ):
                return Literal(left.value + right.value, left.origin | right.origin, location)
        if (
            isinstance(op, cst.Divide)
            and isinstance(left, Literal)
            and isinstance(right, Literal)
            and isinstance(left.value, str)
            and isinstance(right.value, str)
        ):
            return Literal(
                posixpath.normpath(posixpath.join(left.value, right.value)), location=location
            )  # Path / "x"
        if isinstance(op, cst.Modulo) and isinstance(left, Literal) and isinstance(left.value, str):
            return percent_format(left, right, location)
        if (
            isinstance(op, cst.BitOr)
            and isinstance(left, Literal)
            and isinstance(right, Literal)
            and isinstance(left.value, dict)
            and isinstance(right.value, dict)
        ):
            return Literal({**left.value, **right.value}, left.origin | right.origin, location)
        function = _ARITH.get(type(op))
        if (
            function
            and isinstance(left, Literal)
            and isinstance(right, Literal)
            and is_number(left.value)
            and is_number(right.value)
        ):
            try:
                return Literal(function(left.value, right.value), left.origin | right.origin, location)
            except (ArithmeticError, ValueError, OverflowError):
                pass
        return Unknown("operation on unknown values", origin_of(left) | origin_of(right), location)

    def _boolean(self, node: cst.BooleanOperation, frame: Frame) -> EValue:
        guarded = _tests_attributes(frame, node.left)
        self.attribute_guard += guarded
        try:
            return self._boolean_value(node, frame)
        finally:
            self.attribute_guard -= guarded

    def _boolean_value(self, node: cst.BooleanOperation, frame: Frame) -> EValue:
        left = self.eval(node.left, frame)
        known = truthiness(left)
        is_or = isinstance(node.operator, cst.Or)
        if known is not None:
            if known == is_or:
                return left
            return self.eval(node.right, frame)
        # The right operand runs only when the left is falsy (`or`) or truthy (`and`): an undecided
        # `if` for what it does, like `vpc_id or lookup(...)`.
        with self._branch(node.left, frame, not is_or):
            right = self.eval(node.right, frame)
        if is_or:
            merged = merge(left, right, _code(frame, node))
            return _with_fallback(merged, left, right)
        return merge(left, right, _code(frame, node)) if truthiness(right) is not False else right

    @contextlib.contextmanager
    def _branch(self, test: cst.BaseExpression, frame: Frame, polarity: bool) -> Iterator[None]:
        """Evaluate under an undecided test (``ev.conditions`` / ``ev.condition_tests``), as an ``if``
        branch does: code that runs only when ``test`` is ``polarity``."""
        text = _code(frame, test)
        self.conditions.append(text if polarity else f"not ({text})")
        self.condition_tests.append((test, frame, polarity))
        try:
            yield
        finally:
            self.conditions.pop()
            self.condition_tests.pop()

    def _unary(self, node: cst.UnaryOperation, frame: Frame, location: Location) -> EValue:
        value = self.eval(node.expression, frame)
        if isinstance(node.operator, cst.Not):
            known = truthiness(value)
            return (
                Literal(not known, location=location)
                if known is not None
                else Unknown("negation", location=location)
            )
        if isinstance(value, Literal) and is_number(value.value):
            if isinstance(node.operator, cst.Minus):
                return Literal(-value.value, value.origin, location)
            if isinstance(node.operator, cst.Plus):
                return value
        return Unknown("unary operation", origin_of(value), location)

    def _compare(self, node: cst.Comparison, frame: Frame, location: Location) -> EValue:
        left = self.eval(node.left, frame)
        result = True
        for target in node.comparisons:
            right = self.eval(target.comparator, frame)
            outcome = compare_values(target.operator, left, right)
            if outcome is None:
                return Unknown("comparison of unknown values", location=location)
            result = result and outcome
            left = right
        return Literal(result, location=location)

    def _sequence(self, elements: Sequence[cst.BaseElement], frame: Frame, location: Location) -> EValue:
        items: list[EValue] = []
        for element in elements:
            value = self.eval(element.value, frame)
            if isinstance(element, cst.StarredElement):
                expanded = iteration_items(value)
                if expanded is None:
                    return Unknown("list with unknown items", origin_of(value), location)
                items.extend(expanded)
            else:
                items.append(value)
        return Literal(tuple(items), location=location)

    def _dict(self, node: cst.Dict, frame: Frame, location: Location) -> EValue:
        items: dict[str, EValue] = {}
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                value = self.eval(element.value, frame)
                if isinstance(value, Literal) and isinstance(value.value, dict):
                    items.update(value.value)
                continue  # unknown ** entries: the known keys stay
            key = self.eval(element.key, frame)  # type: ignore[attr-defined]  # libcst: the other BaseDictElement is DictElement
            value = self.eval(element.value, frame)
            if isinstance(key, Literal) and isinstance(key.value, (str, int, float, bool)):
                items[str(key.value) if not isinstance(key.value, str) else key.value] = value
        return Literal(items, location=location)

    def _subscript_key(self, node: cst.Subscript, frame: Frame) -> Any:
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return None
        key = self.eval(node.slice[0].slice.value, frame)
        return key.value if isinstance(key, Literal) and not isinstance(key.value, (tuple, dict)) else None

    def _subscript(self, node: cst.Subscript, frame: Frame, location: Location) -> EValue:
        base = self.eval(node.value, frame)
        if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Slice):
            return self._slice(base, node.slice[0].slice, frame, location)
        if isinstance(base, ExternalObj) and base.qualname == "os.environ":
            key = self._subscript_key(node, frame)
            if isinstance(key, str):
                return self._env_var(Literal(key), None, location)
        key = self._subscript_key(node, frame)
        if isinstance(base, Literal):
            inner = base.value
            if isinstance(inner, tuple) and isinstance(key, int) and -len(inner) <= key < len(inner):
                return inner[key]
            if isinstance(inner, dict) and isinstance(key, str) and key in inner:
                return inner[key]
        if isinstance(base, Obj):
            found = base.method(
                self, "__getitem__", CallSite(cst.Call(func=node.value), frame.module, [Literal(key)], {})
            )
            if found is not None:
                return found
        return Unknown("item of an unknown value", origin_of(base), location, _code(frame, node))

    def _slice(self, base: EValue, part: cst.Slice, frame: Frame, location: Location) -> EValue:
        bounds: list[int | None] = []
        for bound in (part.lower, part.upper, part.step):
            value = self.eval(bound, frame) if bound is not None else Literal(None)
            if not (isinstance(value, Literal) and (value.value is None or type(value.value) is int)):
                return Unknown("slice with unknown bounds", origin_of(base), location)
            bounds.append(value.value)
        if isinstance(base, Literal) and isinstance(base.value, (tuple, str)) and bounds[2] != 0:
            return Literal(base.value[slice(*bounds)], base.origin, location)
        return Unknown("slice of an unknown value", origin_of(base), location)

    def _comprehension(self, node: Any, frame: Frame, location: Location) -> EValue:
        generator = node.for_in
        iterable = self.eval(generator.iter, frame)
        items = iteration_items(iterable)
        inner = Frame(
            frame.module, frame.globals, {}, parent=frame, self_obj=frame.self_obj, owner=frame.owner
        )
        if items is None or len(items) > MAX_LOOP_ITEMS or generator.inner_for_in is not None:
            # Evaluate the element once with the loop variable unknown, like a loop over unknown
            # items: resources built inside (``[aws.ec2.Subnet(...) for az in azs]``) still exist.
            self.assign(generator.target, Unknown("loop variable", origin_of(iterable)), inner)
            self.loop_depth += 1
            try:
                if isinstance(node, cst.DictComp):
                    self.eval(node.value, inner)
                else:
                    self.eval(node.elt, inner)
            finally:
                self.loop_depth -= 1
            return Unknown("comprehension over unknown items", location=location, hint=_code(frame, node))
        results: list[EValue] = []
        pairs: dict[str, EValue] = {}
        for item in items:
            self.assign(generator.target, item, inner)
            keep = True
            for condition in generator.ifs:
                known = truthiness(self.eval(condition.test, inner))
                if known is None:
                    return Unknown("filtered comprehension", location=location)
                keep = keep and known
            if not keep:
                continue
            if isinstance(node, cst.DictComp):
                key = self.eval(node.key, inner)
                if not (isinstance(key, Literal) and isinstance(key.value, str)):
                    return Unknown("dict comprehension with unknown keys", location=location)
                pairs[key.value] = self.eval(node.value, inner)
            else:
                results.append(self.eval(node.elt, inner))
        if isinstance(node, cst.DictComp):
            return Literal(pairs, location=location)
        return Literal(tuple(results), location=location)


# -- module-level helpers ----------------------------------------------------------------------------


_INPUT_ORIGINS = (
    Origin.SUFFIX | Origin.CONFIG | Origin.ENV_VAR | Origin.PARAMETER | Origin.STACK_NAME | Origin.UNIQUE
)


# Library calls that do not set attributes on the objects they are given.
_NON_MUTATING = frozenset(
    {
        "builtins.isinstance",
        "builtins.getattr",
        "builtins.hasattr",
        "builtins.print",
        "builtins.len",
        "builtins.str",
        "builtins.repr",
        "builtins.type",
        "builtins.id",
        "builtins.format",
        "pulumi.export",
        "pulumi.log.info",
        "pulumi.log.debug",
        "pulumi.log.warn",
        "pulumi.log.error",
    }
)


def _escape(site: CallSite) -> None:
    """Worktree objects handed to code the evaluator does not follow (``setattr(args, k, v)``,
    ``helpers.enrich(args)``) may gain attributes there: stop judging their attribute reads."""
    for value in (*site.args, *site.kwargs.values()):
        if isinstance(value, InstanceObj):
            value.data["no_attribute_checks"] = True


def _may_come_from_star(param: Param, site: CallSite) -> bool:
    if param.kind is ParamKind.KEYWORD_ONLY:
        return site.star_kwargs
    if param.kind is ParamKind.POSITIONAL_ONLY:
        return site.star_args
    return site.star_args or site.star_kwargs


def _source_constant(value: EValue) -> bool:
    """A literal written in the code, not read from configuration or the environment."""
    return isinstance(value, Literal) and not (value.origin & _INPUT_ORIGINS)


def _tests_attributes(frame: Frame, test: cst.BaseExpression) -> bool:
    """Does a condition test whether an attribute exists (``hasattr``)?"""
    return "hasattr(" in _code(frame, test)


def _catches_attribute_error(frame: Frame, handler: cst.CSTNode) -> bool:
    # A handler for a missing name guards attribute reads and imports alike (ImportError also
    # covers ModuleNotFoundError): what it guards is not reported as failing.
    return _catches(frame, handler, ("AttributeError", "ImportError", "Exception"))


def _catches(frame: Frame, handler: cst.CSTNode, names: tuple[str, ...]) -> bool:
    kind = getattr(handler, "type", None)
    if kind is None:
        return True
    text = _code(frame, kind)
    return any(name in text for name in names)


def _body(block: cst.BaseSuite) -> Sequence[cst.CSTNode]:
    return block.body if isinstance(block, (cst.IndentedBlock, cst.SimpleStatementSuite)) else ()


def _dotted(node: cst.BaseExpression) -> str | None:
    from analyzer.python.source import dotted_name

    return dotted_name(node)


def _is_super(node: cst.Call) -> bool:
    return isinstance(node.func, cst.Name) and node.func.value == "super"


def _first_param(node: cst.FunctionDef) -> str | None:
    params = [*node.params.posonly_params, *node.params.params]
    return params[0].name.value if params else None


def _code(frame: Frame, node: cst.CSTNode) -> str:
    return frame.module.code(node)


def _code_site(site: CallSite) -> str:
    return site.module.code(site.node.func) + "(...)"


def _hint_of(value: EValue) -> str:
    if isinstance(value, Obj):
        return value.hint()
    if isinstance(value, Unknown):
        return value.hint or "?"
    if isinstance(value, Ref):
        return value.resource
    return "value"


def _note_return(frame: Frame, signal: _Signal | None) -> None:
    if signal is not None and signal.kind == "return":
        frame.returned.append(signal.value if signal.value is not None else Literal(None))


def _merged_returns(values: list[EValue]) -> EValue:
    result = values[0]
    for value in values[1:]:
        result = merge(result, value)
    return result


def _merge_into(current: dict[str, EValue], other: dict[str, EValue]) -> None:
    for name in set(current) | set(other):
        if name in current and name in other:
            current[name] = merge(other[name], current[name], name)
        elif name in other:
            current[name] = other[name]


def iter_calls(evaluator: Evaluator) -> Iterator[CallCheck]:
    """Recorded call checks in source order."""
    yield from sorted(evaluator.calls.values(), key=lambda call: (call.location.path, call.location.line))


__all__ = ["CallSite", "Evaluator", "Frame", "Hooks", "iter_calls", "to_value"]


# Inputs that may be absent at deploy time, so that `input or "text"` deploys the text then.
_OPTIONAL_INPUTS = Origin.CONFIG | Origin.ENV_VAR


def _with_fallback(merged: EValue, left: EValue, right: EValue) -> EValue:
    """``merged`` remembering the literal text of ``config.get("k") or "text"`` (see Unknown.fallback)."""
    if (
        isinstance(merged, Unknown)
        and isinstance(left, Unknown)
        and left.origin & _OPTIONAL_INPUTS
        and isinstance(right, Literal)
        and isinstance(right.value, str)
    ):
        return replace(merged, fallback=right)
    return merged
