"""Class and function signatures, and binding a call to one the way Python does.

``class_signature`` computes what calling a worktree class accepts: its own ``__init__``
(positional-only, positional, keyword-only, defaults, ``*args``, ``**kwargs``), generated
``@dataclass`` initializers (defaults, ``field(default=..., default_factory=..., init=False,
kw_only=...)``, ``kw_only=True``, ``KW_ONLY``), inherited initializers, and ``**kwargs`` passed on
through ``super().__init__(**kwargs)`` to a base class. A base class from outside the worktree is
asked of an optional ``external`` callback (a platform table); without one the signature is
unknown (``None``) and callers stay silent.

``bind`` is ``inspect.Signature.bind`` on descriptions of the arguments rather than values: it
reports missing required parameters, unexpected keywords, surplus positionals and duplicates, and
which parameter received which argument.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import libcst as cst

from analyzer.model import Location
from analyzer.python.project import ClassRef, External, FunctionRef, PythonProject
from analyzer.python.source import dotted_name


class ParamKind(enum.Enum):
    POSITIONAL_ONLY = "positional-only"
    POSITIONAL = "positional-or-keyword"
    KEYWORD_ONLY = "keyword-only"


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    kind: ParamKind
    has_default: bool
    default: cst.BaseExpression | None = field(default=None, compare=False)
    # dataclass ``field(default_factory=f)``: the factory expression (called for the default)
    factory: cst.BaseExpression | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Signature:
    """What a call accepts (``self`` excluded)."""

    params: tuple[Param, ...] = ()
    var_positional: str | None = None  # the *args name
    var_keyword: str | None = None  # the **kwargs name
    owner: str = ""  # class (or function) name as written
    definition: Location | None = None
    function: FunctionRef | None = None  # the __init__ (or function) whose body runs; None: generated
    # **kwargs passed on to a base initializer: its signature when known, the names the pass-through
    # call supplies itself, and the external base's qualified name when it is not in the worktree.
    kwargs_signature: Signature | None = None
    kwargs_supplied: tuple[str, ...] = ()
    kwargs_positional: int = 0
    kwargs_to: str | None = None
    dataclass_fields: bool = False

    def param(self, name: str) -> Param | None:
        for param in self.params:
            if param.name == name:
                return param
        return None


@dataclass(frozen=True, slots=True)
class BindResult:
    missing: tuple[str, ...] = ()
    unexpected: tuple[str, ...] = ()
    too_many_positional: int = 0
    duplicates: tuple[str, ...] = ()
    certain: bool = True
    via: str | None = None
    positional_to: dict[str, int] = field(default_factory=dict)  # param -> index of positional argument
    keyword_to: dict[str, str] = field(default_factory=dict)  # param -> keyword used
    extra_positional: tuple[int, ...] = ()  # indexes that went to *args
    extra_keywords: tuple[str, ...] = ()  # keywords that went to **kwargs

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.too_many_positional or self.duplicates)


ExternalSignatures = Callable[[str], "Signature | None"]


def function_signature(function: FunctionRef, *, method: bool, owner: str = "") -> Signature:
    """The signature of a ``def``; ``method`` drops the first parameter (``self``/``cls``)."""
    node = function.node
    parameters = node.params
    params: list[Param] = []
    for param in parameters.posonly_params:
        params.append(_param(param, ParamKind.POSITIONAL_ONLY))
    for param in parameters.params:
        params.append(_param(param, ParamKind.POSITIONAL))
    for param in parameters.kwonly_params:
        params.append(_param(param, ParamKind.KEYWORD_ONLY))
    if method and params and params[0].kind is not ParamKind.KEYWORD_ONLY and not _is_static(node):
        params.pop(0)
    star = parameters.star_arg
    var_positional = star.name.value if isinstance(star, cst.Param) else None
    var_keyword = parameters.star_kwarg.name.value if parameters.star_kwarg is not None else None
    return Signature(
        tuple(params),
        var_positional,
        var_keyword,
        owner or node.name.value,
        function.module.location(node),
        function,
    )


def _param(param: cst.Param, kind: ParamKind) -> Param:
    return Param(param.name.value, kind, param.default is not None, param.default)


def _is_static(node: cst.FunctionDef) -> bool:
    return any(dotted_name(d.decorator) == "staticmethod" for d in node.decorators)


def class_signature(
    project: PythonProject, cls: ClassRef, external: ExternalSignatures | None = None, _depth: int = 0
) -> Signature | None:
    """What ``cls(...)`` accepts, or None when it cannot be known."""
    if _depth > 12 or custom_metaclass(project, cls):
        return None
    init = find_method(cls, "__init__")
    dataclass_options = _dataclass_options(cls.node)
    if init is not None:
        signature = function_signature(FunctionRef(cls.module, init), method=True, owner=cls.name)
        if signature.var_keyword:
            signature = _with_passthrough(project, cls, signature, external, _depth)
        return signature
    if dataclass_options is not None:
        return _dataclass_signature(project, cls, external, _depth)
    if _has_custom_new(cls.node) or _generated_init(cls.node):
        return None
    return _inherited_signature(project, cls, external, _depth)


def _inherited_signature(
    project: PythonProject, cls: ClassRef, external: ExternalSignatures | None, depth: int
) -> Signature | None:
    """A class without its own initializer runs the first one along its MRO (Python's lookup of
    ``__init__``): a mixin without one is skipped; a library class answers from ``external``."""
    if base_classes(project, cls) is None:
        return None
    for item in mro(project, cls)[1:]:
        if isinstance(item, External):
            if item.qualname in OBJECT_INIT:
                continue
            found = external(item.qualname) if external is not None else None
            return None if found is None else _replace_owner(found, cls, external_definition=True)
        if base_classes(project, item) is None or _has_custom_new(item.node):
            return None  # its own ancestry (or construction) is beyond the analysis
        if (
            find_method(item, "__init__") is not None
            or _dataclass_options(item.node) is not None
            or _generated_init(item.node)
        ):
            inherited = class_signature(project, item, external, depth + 1)
            return None if inherited is None else _replace_owner(inherited, cls)
    return Signature(owner=cls.name, definition=cls.location)


# Library bases whose initializer is ``object.__init__`` (no arguments): an abstract base adds none.
OBJECT_INIT = frozenset({"builtins.object", "object", "abc.ABC"})


def _replace_owner(signature: Signature, cls: ClassRef, external_definition: bool = False) -> Signature:
    from dataclasses import replace

    return replace(
        signature, owner=cls.name, definition=cls.location if external_definition else signature.definition
    )


def find_method(cls: ClassRef, name: str) -> cst.FunctionDef | None:
    """A method defined directly in the class body (last definition wins, as in Python)."""
    found = None
    body = cls.node.body
    statements = body.body if isinstance(body, cst.IndentedBlock) else ()
    for statement in statements:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
            found = statement
    return found


def custom_metaclass(project: PythonProject, cls: ClassRef) -> bool:
    """Does the class or a worktree base declare a metaclass (other than abc's)? Its ``__call__``
    may construct instances any way it likes."""
    for item in mro(project, cls):
        if isinstance(item, ClassRef):
            for keyword in item.node.keywords:
                if keyword.keyword is not None and keyword.keyword.value == "metaclass":
                    meta = project.resolve_expr(item.module.path, keyword.value)
                    if not (isinstance(meta, External) and meta.qualname == "abc.ABCMeta"):
                        return True
    return False


def base_classes(project: PythonProject, cls: ClassRef) -> list[ClassRef | External] | None:
    """Resolved bases, left to right; None when one cannot be resolved (or uses a metaclass)."""
    found: list[ClassRef | External] = []
    for arg in cls.node.bases:
        if arg.keyword is not None or arg.star:
            return None
        resolved = project.resolve_expr(cls.module.path, arg.value)
        if isinstance(resolved, (ClassRef, External)):
            found.append(resolved)
        else:
            return None
    for keyword in cls.node.keywords:
        # A metaclass may build the class (and its initializer) any way it likes; abc's adds nothing.
        if keyword.keyword is not None and keyword.keyword.value == "metaclass":
            meta = project.resolve_expr(cls.module.path, keyword.value)
            if not (isinstance(meta, External) and meta.qualname == "abc.ABCMeta"):
                return None
    return found


def mro(project: PythonProject, cls: ClassRef, _depth: int = 0) -> list[ClassRef | External]:
    """The class's method resolution order, by C3 linearization as Python computes it (a library
    base counts as one entry: its own ancestry is not known). When the bases cannot be resolved the
    order is just ``[cls]``; an order C3 rejects (Python raises TypeError) falls back to depth-first."""
    order: list[ClassRef | External] = [cls]
    if _depth > 12:
        return order
    bases = base_classes(project, cls) or []
    if not bases:
        return order
    lines: list[list[ClassRef | External]] = [
        mro(project, base, _depth + 1) if isinstance(base, ClassRef) else [base] for base in bases
    ]
    merged = _c3_merge([*lines, list(bases)])
    if merged is None:
        for line in lines:
            order += [item for item in line if item not in order]
        return order
    return order + merged


def _c3_merge(sequences: list[list[ClassRef | External]]) -> list[ClassRef | External] | None:
    result: list[ClassRef | External] = []
    pending = [list(sequence) for sequence in sequences if sequence]
    while pending:
        for sequence in pending:
            head = sequence[0]
            if not any(head in other[1:] for other in pending):
                break
        else:
            return None  # inconsistent hierarchy
        result.append(head)
        pending = [[item for item in sequence if item != head] for sequence in pending]
        pending = [sequence for sequence in pending if sequence]
    return result


# Class decorators that leave ``__init__`` alone; any other decorator (attrs ``@define``,
# ``@attr.s``, pydantic, a project's own) may generate or wrap it, so the signature is unknown.
_PLAIN_DECORATORS = frozenset(
    {
        "functools.total_ordering",
        "total_ordering",
        "final",
        "typing.final",
        "runtime_checkable",
        "typing.runtime_checkable",
    }
)


def decorated(node: cst.ClassDef) -> bool:
    """Does a class decorator other than ``@dataclass`` and the plain ones touch the class?"""
    return _generated_init(node) and _dataclass_options(node) is None and bool(node.decorators)


def _generated_init(node: cst.ClassDef) -> bool:
    """True when something other than a ``def __init__`` may define the initializer."""
    for decorator in node.decorators:
        expr = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
        name = dotted_name(expr)
        if name not in _PLAIN_DECORATORS and _dataclass_options(node) is None:
            return True
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else []
                if any(isinstance(t, cst.Name) and t.value in ("__init__", "__new__") for t in targets):
                    return True
    return False


def _has_custom_new(node: cst.ClassDef) -> bool:
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    return any(isinstance(s, cst.FunctionDef) and s.name.value == "__new__" for s in body)


# -- dataclasses -------------------------------------------------------------------------------------


def _dataclass_options(node: cst.ClassDef) -> dict[str, bool] | None:
    for decorator in node.decorators:
        expr = decorator.decorator
        call_args: Sequence[cst.Arg] = ()
        if isinstance(expr, cst.Call):
            call_args = expr.args
            expr = expr.func
        name = dotted_name(expr)
        if name in ("dataclass", "dataclasses.dataclass", "pydantic.dataclasses.dataclass"):
            options: dict[str, bool] = {}
            for arg in call_args:
                if arg.keyword is not None and isinstance(arg.value, cst.Name):
                    options[arg.keyword.value] = arg.value.value == "True"
            return options
    return None


def _dataclass_signature(
    project: PythonProject, cls: ClassRef, external: ExternalSignatures | None, depth: int
) -> Signature | None:
    fields: dict[str, Param] = {}
    chain = [item for item in mro(project, cls) if isinstance(item, ClassRef)]
    externals = [
        item
        for item in mro(project, cls)
        if isinstance(item, External) and item.qualname not in ("builtins.object", "object")
    ]
    if externals:
        return None  # a non-dataclass base from outside may define the initializer
    for item in reversed(chain):
        options = _dataclass_options(item.node)
        if options is None:
            if find_method(item, "__init__") is not None:
                return None
            continue
        if options.get("init") is False:
            return None
        kw_only = options.get("kw_only", False)
        body = item.node.body.body if isinstance(item.node.body, cst.IndentedBlock) else ()
        for statement in body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if not isinstance(small, cst.AnnAssign) or not isinstance(small.target, cst.Name):
                    continue
                annotation = dotted_name(_annotation_head(small.annotation.annotation)) or ""
                if annotation.endswith("ClassVar"):
                    continue
                if annotation.endswith("KW_ONLY"):
                    kw_only = True
                    continue
                param = _field_param(small, kw_only)
                if param is None:
                    fields.pop(small.target.value, None)
                    continue
                if small.target.value in fields and fields[small.target.value].kind is param.kind:
                    fields[small.target.value] = param  # keeps its original position
                else:
                    fields.pop(small.target.value, None)
                    fields[small.target.value] = param
    ordered = [p for p in fields.values() if p.kind is ParamKind.POSITIONAL]
    ordered += [p for p in fields.values() if p.kind is ParamKind.KEYWORD_ONLY]
    return Signature(tuple(ordered), owner=cls.name, definition=cls.location, dataclass_fields=True)


def _annotation_head(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.value if isinstance(node, cst.Subscript) else node


def _field_param(node: cst.AnnAssign, kw_only: bool) -> Param | None:
    assert isinstance(node.target, cst.Name)
    name = node.target.value
    kind = ParamKind.KEYWORD_ONLY if kw_only else ParamKind.POSITIONAL
    value = node.value
    if value is None:
        return Param(name, kind, False)
    if isinstance(value, cst.Call) and (dotted_name(value.func) or "").split(".")[-1] == "field":
        has_default, default, factory = False, None, None
        for arg in value.args:
            keyword = arg.keyword.value if arg.keyword is not None else None
            if keyword == "default":
                has_default, default = True, arg.value
            elif keyword == "default_factory":
                has_default, factory = True, arg.value
            elif keyword == "init" and isinstance(arg.value, cst.Name) and arg.value.value == "False":
                return None
            elif keyword == "kw_only" and isinstance(arg.value, cst.Name):
                kind = ParamKind.KEYWORD_ONLY if arg.value.value == "True" else ParamKind.POSITIONAL
        return Param(name, kind, has_default, default, factory)
    return Param(name, kind, True, value)


# -- **kwargs pass-through ---------------------------------------------------------------------------


def _with_passthrough(
    project: PythonProject,
    cls: ClassRef,
    signature: Signature,
    external: ExternalSignatures | None,
    depth: int,
) -> Signature:
    """Follow ``super().__init__(..., **kwargs)`` to the base initializer that receives the keywords."""
    from dataclasses import replace

    assert signature.function is not None and signature.var_keyword is not None
    call = _super_init_call(signature.function.node, signature.var_keyword)
    if call is None:
        return signature
    supplied = tuple(arg.keyword.value for arg in call.args if arg.keyword is not None)
    positional = sum(1 for arg in call.args if arg.keyword is None and not arg.star)
    if isinstance(call.func, cst.Attribute) and not isinstance(call.func.value, cst.Call):
        positional -= 1  # Base.__init__(self, ...): self is explicit
    target = _passthrough_target(project, cls, call)
    if target is None:
        return signature  # object.__init__, or a class the analysis cannot see
    if isinstance(target, ClassRef):
        base_signature = class_signature(project, target, external, depth + 1)
        return replace(
            signature,
            kwargs_signature=base_signature,
            kwargs_supplied=supplied,
            kwargs_positional=max(positional, 0),
        )
    base_signature = external(target.qualname) if external is not None else None
    return replace(
        signature,
        kwargs_signature=base_signature,
        kwargs_supplied=supplied,
        kwargs_positional=max(positional, 0),
        kwargs_to=target.qualname,
    )


def _passthrough_target(project: PythonProject, cls: ClassRef, call: cst.Call) -> ClassRef | External | None:
    """The class whose initializer receives the forwarded keywords: ``Base.__init__(self, ...)`` names
    it; ``super().__init__(...)`` runs the next initializer along ``cls``'s MRO (a mixin without one
    is skipped). None when that is ``object`` or cannot be known."""
    assert isinstance(call.func, cst.Attribute)
    if not isinstance(call.func.value, cst.Call):
        named = project.resolve_expr(cls.module.path, call.func.value)
        return named if isinstance(named, (ClassRef, External)) else None
    if base_classes(project, cls) is None:
        return None
    for item in mro(project, cls)[1:]:
        if isinstance(item, External):
            return None if item.qualname in OBJECT_INIT else item
        if base_classes(project, item) is None:
            return None
        if (
            find_method(item, "__init__") is not None
            or _dataclass_options(item.node) is not None
            or _generated_init(item.node)
            or _has_custom_new(item.node)
        ):
            return item
    return None


def _super_init_call(node: cst.FunctionDef, kwargs_name: str) -> cst.Call | None:
    """The ``super().__init__(...)`` / ``Base.__init__(self, ...)`` call that forwards ``**kwargs``."""
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    for statement in body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
                continue
            call = small.value
            if not (isinstance(call.func, cst.Attribute) and call.func.attr.value == "__init__"):
                continue
            forwards = any(
                arg.star == "**" and isinstance(arg.value, cst.Name) and arg.value.value == kwargs_name
                for arg in call.args
            )
            if forwards:
                return call
    return None


# -- binding -----------------------------------------------------------------------------------------


def bind(
    signature: Signature,
    positional: int,
    keywords: Sequence[str],
    *,
    star_args: bool = False,
    star_kwargs: bool = False,
) -> BindResult:
    """Bind ``positional`` positional arguments and ``keywords`` (in call order) to ``signature``.

    ``star_args``/``star_kwargs``: the call also has ``*x``/``**y`` whose contents are unknown, so a
    missing or surplus argument cannot be asserted (``certain=False``)."""
    positional_params = [p for p in signature.params if p.kind is not ParamKind.KEYWORD_ONLY]
    positional_to: dict[str, int] = {}
    extra_positional: list[int] = []
    for index in range(positional):
        if index < len(positional_params):
            positional_to[positional_params[index].name] = index
        else:
            extra_positional.append(index)
    too_many = 0 if signature.var_positional else len(extra_positional)
    keyword_to: dict[str, str] = {}
    duplicates: list[str] = []
    unexpected: list[str] = []
    extra_keywords: list[str] = []
    by_name = {p.name: p for p in signature.params}
    seen: set[str] = set()
    for keyword in keywords:
        if keyword in seen:
            duplicates.append(keyword)
            continue
        seen.add(keyword)
        param = by_name.get(keyword)
        if param is not None and param.kind is not ParamKind.POSITIONAL_ONLY:
            if keyword in positional_to:
                duplicates.append(keyword)
            else:
                keyword_to[keyword] = keyword
        elif signature.var_keyword:
            extra_keywords.append(keyword)
        else:
            unexpected.append(keyword)
    missing = [
        p.name
        for p in signature.params
        if not p.has_default and p.name not in positional_to and p.name not in keyword_to
    ]
    certain = True
    via = None
    if star_args:
        certain = False
        missing = [m for m in missing if by_name[m].kind is ParamKind.KEYWORD_ONLY] if not star_kwargs else []
        too_many = 0
    if star_kwargs:
        certain = False
        missing = []
        unexpected = []
    if signature.var_keyword and signature.kwargs_signature is not None and not star_kwargs:
        base = signature.kwargs_signature
        inner = bind(base, signature.kwargs_positional, [*signature.kwargs_supplied, *extra_keywords])
        inner_unexpected = [k for k in inner.unexpected if k in extra_keywords]
        inner_missing = list(inner.missing)
        if inner_unexpected or inner_missing:
            unexpected += inner_unexpected
            missing += [m for m in inner_missing if m not in missing]
            via = f"**{signature.var_keyword} to {signature.kwargs_to or base.owner}"
        certain = certain and inner.certain
    return BindResult(
        tuple(missing),
        tuple(unexpected),
        too_many,
        tuple(duplicates),
        certain,
        via,
        positional_to,
        keyword_to,
        tuple(extra_positional),
        tuple(extra_keywords),
    )


def describe_call(call: cst.Call) -> tuple[int, list[str], bool, bool]:
    """(positional count, keywords in order, has ``*args``, has ``**kwargs``) of a call node."""
    positional = 0
    keywords: list[str] = []
    star_args = star_kwargs = False
    for arg in call.args:
        if arg.star == "*":
            star_args = True
        elif arg.star == "**":
            star_kwargs = True
        elif arg.keyword is not None:
            keywords.append(arg.keyword.value)
        else:
            positional += 1
    return positional, keywords, star_args, star_kwargs
