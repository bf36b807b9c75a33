"""Naming resources in Python code: the variable a resource's constructor call is assigned to, or a
fresh one for a call written as a bare statement (with the edit that binds it)."""

from __future__ import annotations

import keyword
import re

import libcst as cst

from analyzer.findings import Edit
from analyzer.fixes import python as py
from analyzer.fixes.sources import PythonSource, Source
from analyzer.model import Resource


def bind_statement(
    parsed: PythonSource, source: Source, call: cst.Call, taken: set[str]
) -> tuple[str, Edit, cst.SimpleStatementLine] | None:
    """For a call written as a bare statement (``ec2.CfnRoute(self, "Default", ...)``): a fresh
    variable named after its construct id or class, and the edit that assigns the call to it."""
    statement = py.statement_of(parsed, call)
    if statement is None or len(statement.body) != 1:
        return None
    expression = statement.body[0]
    if not isinstance(expression, cst.Expr) or expression.value is not call:
        return None
    name = fresh_name(call, taken)
    if name is None:
        return None
    taken.add(name)
    position = parsed.positions[call]
    line, column = position.start.line, position.start.column + 1
    return name, Edit(source.path, line, column, line, column, f"{name} = "), statement


def fresh_name(call: cst.Call, taken: set[str]) -> str | None:
    # CDK: the construct id (second argument); Pulumi and others: the class name.
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    construct_id = py.literal_text(positional[1].value) if len(positional) > 1 else None
    base = construct_id or (py.dotted_name(call.func) or "").split(".")[-1]
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+", base)
    name = "_".join(word.lower() for word in words)
    if not name or not name.isidentifier() or name[0].isdigit() or keyword.iskeyword(name):
        return None
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}_{number}", number + 1
    return candidate


def call_at(parsed: PythonSource, line: int) -> cst.Call | None:
    calls = py.nodes_at(parsed, line, cst.Call)
    return calls[0] if calls else None


def reference(
    parsed: PythonSource,
    source: Source,
    prerequisite: Resource,
    function: cst.FunctionDef,
    line: int,
    taken: set[str],
) -> tuple[str] | tuple[str, Edit] | None:
    """How the dependent's code can name ``prerequisite``: the name its call is assigned to, or a
    new variable for a call written as a bare statement (with the edit that binds it)."""
    call = call_at(parsed, prerequisite.location.line)
    if call is None:
        return None
    assigned = py.assigned_to(parsed, call)
    if assigned is None:
        named = bind_statement(parsed, source, call, taken)
        if named is None or py.start_line(parsed, named[2]) >= line:
            return None
        owner = py.enclosing_functions(parsed, named[2])
        return (named[0], named[1]) if owner and owner[0] is function else None
    statement, code = assigned
    if py.start_line(parsed, statement) >= line:
        return None  # created after the dependent: a name not bound yet
    owner = py.enclosing_functions(parsed, statement)
    if "." in code:
        head = code.split(".")[0]
        if head != "self" or not owner or class_of(parsed, owner[0]) is not class_of(parsed, function):
            return None
        return (code,)
    return (code,) if owner and owner[0] is function else None


def class_of(parsed: PythonSource, function: cst.FunctionDef) -> cst.ClassDef | None:
    for node in parsed.of_type(cst.ClassDef):
        if isinstance(node.body, cst.IndentedBlock) and any(item is function for item in node.body.body):
            return node
    return None
