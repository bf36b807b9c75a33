"""Which attributes a worktree class can have, to judge ``args.foo`` reads.

A component that reads ``args.foo`` when its args class never defines ``foo`` fails at start-up
with ``AttributeError``. ``known_attributes`` lists what instances of a class can have: class-level
names, methods, annotated fields, and every ``self.x = ...`` in any method of the class or its
worktree bases. It answers None (unknown) when a base comes from outside the worktree, a class
decorator or metaclass may change the class, or the class defines ``__getattr__``/``__getattribute__``/``__setattr__`` or writes ``setattr``/``__dict__``.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from analyzer.python.project import ClassRef, External, PythonProject
from analyzer.python.signatures import custom_metaclass, decorated, mro

_DYNAMIC = frozenset({"__getattr__", "__getattribute__", "__setattr__", "__slots__"})


def known_attributes(project: PythonProject, cls: ClassRef) -> frozenset[str] | None:
    names: set[str] = set()
    order = mro(project, cls)
    if any(
        isinstance(item, External) and item.qualname not in ("builtins.object", "object") for item in order
    ):
        return None
    if custom_metaclass(project, cls):
        return None
    for item in order:
        if isinstance(item, External):
            continue
        if decorated(item.node):
            return None  # attrs, pydantic or a project decorator may add or slot attributes
        body = item.node.body.body if isinstance(item.node.body, cst.IndentedBlock) else ()
        for statement in body:
            for name in _defined_names(statement):
                if name in _DYNAMIC:
                    return None
                names.add(name)
            if isinstance(statement, cst.FunctionDef):
                found = _self_assignments(statement)
                if found is None:
                    return None
                names |= found
    if len(mro(project, cls)) == 1 and cls.node.bases:
        return None  # bases could not be resolved
    return frozenset(names)


def _defined_names(statement: cst.CSTNode) -> Iterator[str]:
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        yield statement.name.value
    elif isinstance(statement, cst.SimpleStatementLine):
        for small in statement.body:
            if isinstance(small, cst.Assign):
                for target in small.targets:
                    yield from _names(target.target)
            elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
                yield from _names(small.target)
    elif isinstance(statement, (cst.If, cst.Try)):
        yield "__getattr__"  # conditional class bodies: treat as dynamic


def _names(target: cst.BaseExpression) -> Iterator[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _names(element.value)


class _SelfWrites(cst.CSTVisitor):
    def __init__(self, self_name: str) -> None:
        self.self_name = self_name
        self.names: set[str] = set()
        self.dynamic = False

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._target(node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._target(node.asname.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._target(node.target)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value in ("setattr", "vars"):
            self.dynamic = True
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value == "__setattr__":
            # object.__setattr__(self, ...) in a frozen dataclass, super().__setattr__(...)
            self.dynamic = True

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value == "__dict__":
            self.dynamic = True

    def _target(self, target: cst.BaseExpression) -> None:
        if (
            isinstance(target, cst.Attribute)
            and isinstance(target.value, cst.Name)
            and target.value.value == self.self_name
        ):
            self.names.add(target.attr.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._target(element.value)


def _self_assignments(function: cst.FunctionDef) -> set[str] | None:
    params = [*function.params.posonly_params, *function.params.params]
    if not params:
        return set()
    visitor = _SelfWrites(params[0].name.value)
    try:
        function.visit(visitor)
    except RecursionError:
        return None
    return None if visitor.dynamic else visitor.names
