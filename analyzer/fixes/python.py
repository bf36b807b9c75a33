"""libcst helpers for Python fixes: finding nodes by line, adding keywords in the call's own layout,
string literals in the file's quote style, names in scope.

Every change is made on the module's own tree and the whole module is regenerated
(``Module.code``), so everything outside the changed nodes, comments included, is kept byte for
byte; :func:`analyzer.fixes.context.rewrite` reduces it to the smallest edit."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TypeVar

import libcst as cst
from libcst._nodes.internal import CodegenState

from analyzer.fixes.sources import PythonSource
from analyzer.model import Resource, literal_of, render
from analyzer.python.source import dotted_name, string_value

_T = TypeVar("_T")


def nodes_at(source: PythonSource, line: int, kind: type[cst.CSTNode] | tuple[type, ...]) -> list:
    """Nodes of ``kind`` that start on ``line``, outermost first."""
    found = [
        (position.start.column, -(position.end.line * 100_000 + position.end.column), node)
        for node in source.starting_on(line)
        if isinstance(node, kind) and (position := source.positions[node])
    ]
    return [node for *_, node in sorted(found, key=lambda item: (item[0], item[1]))]


def start_line(source: PythonSource, node: cst.CSTNode) -> int:
    return source.positions[node].start.line


def replace(source: PythonSource, old: cst.CSTNode, new: cst.CSTNode) -> str | None:
    """The module's code with ``old`` replaced by ``new``; None when libcst refuses.

    Fast path: only ``new`` is generated and spliced in at ``old``'s position, with the indentation
    of its block (found as the one under which ``old`` regenerates to exactly its source text).
    Otherwise the whole module is regenerated."""
    spliced = _splice(source, old, new)
    if spliced is not None:
        return spliced
    try:
        return source.module.deep_replace(old, new).code
    except Exception:
        return None


def _splice(source: PythonSource, old: cst.CSTNode, new: cst.CSTNode) -> str | None:
    position = source.positions.get(old)
    if position is None or not source.text:
        return None
    try:
        start = source.index.offset(position.start.line, position.start.column + 1)
        end = source.index.offset(position.end.line, position.end.column + 1)
    except ValueError:
        return None
    original = source.text[start:end]
    line = source.text[source.index.starts[position.start.line - 1] : start]
    indentation = line[: len(line) - len(line.lstrip(" \t"))]
    for size in range(len(indentation), -1, -1):
        if _code(source.module, old, indentation[:size]) == original:
            code = _code(source.module, new, indentation[:size])
            return None if code is None else source.text[:start] + code + source.text[end:]
    return None


def _code(module: cst.Module, node: cst.CSTNode, indentation: str) -> str | None:
    state = CodegenState(default_indent=module.default_indent, default_newline=module.default_newline)
    if indentation:
        state.indent_tokens = [indentation]
    try:
        node._codegen(state)
    except Exception:
        return None
    return "".join(state.tokens)


# -- keywords -------------------------------------------------------------------------------------


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    return next((arg for arg in call.args if arg.keyword is not None and arg.keyword.value == name), None)


def has_star(call: cst.Call) -> bool:
    return any(arg.star for arg in call.args)


def new_keyword(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(
        value=value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )


def with_keywords(call: cst.Call, added: Sequence[cst.Arg]) -> cst.Call:
    """``call`` with ``added`` after its last argument, laid out like the arguments it has: one per
    line in a call written one argument per line, inline otherwise; a trailing comma stays last and
    a comment after the last argument stays with it."""
    args = list(call.args)
    for arg in added:
        if not args:
            args = [arg]
            continue
        last = args[-1]
        separator = _separator([item.comma for item in args[:-1]], call.whitespace_before_args)
        after_last = last.whitespace_after_arg
        args[-1] = last.with_changes(
            comma=_keep_comment(separator, last.comma),
            whitespace_after_arg=cst.SimpleWhitespace(""),
        )
        if isinstance(after_last, cst.ParenthesizedWhitespace) and not isinstance(last.comma, cst.Comma):
            args[-1] = args[-1].with_changes(comma=_keep_comment(separator, after_last))
        args.append(
            arg.with_changes(
                comma=_without_comment(last.comma), whitespace_after_arg=_without_comment(after_last)
            )
        )
    return call.with_changes(args=args)


def with_elements(
    container: cst.List | cst.Dict, added: Sequence[cst.Element | cst.DictElement]
) -> cst.List | cst.Dict:
    """A list or dict literal with ``added`` after its last element, in its layout."""
    elements = list(container.elements)
    opening = container.lbracket if isinstance(container, cst.List) else container.lbrace
    for element in added:
        if not elements:
            elements = [element]
            continue
        last = elements[-1]
        separator = _separator([item.comma for item in elements[:-1]], opening.whitespace_after)
        elements[-1] = last.with_changes(comma=_keep_comment(separator, last.comma))
        elements.append(element.with_changes(comma=_without_comment(last.comma)))
    return container.with_changes(elements=elements)


def _separator(commas: Sequence[object], after_opening: cst.BaseParenthesizableWhitespace) -> cst.Comma:
    """The comma between two items: the one the items already use, else one that breaks the line
    the way the opening bracket does; never with a comment of its own."""
    for comma in reversed(commas):
        if isinstance(comma, cst.Comma):
            return cst.Comma(comma.whitespace_before, _without_comment(comma.whitespace_after))
    if isinstance(after_opening, cst.ParenthesizedWhitespace):
        return cst.Comma(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=_without_comment(after_opening)
        )
    return cst.Comma(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(" "))


def _keep_comment(separator: cst.Comma, old: object) -> cst.Comma:
    """``separator``, carrying the end-of-line comment (and blank lines) that followed ``old``."""
    after = old.whitespace_after if isinstance(old, cst.Comma) else old
    if isinstance(after, cst.ParenthesizedWhitespace) and isinstance(
        separator.whitespace_after, cst.ParenthesizedWhitespace
    ):
        return separator.with_changes(
            whitespace_after=separator.whitespace_after.with_changes(
                first_line=after.first_line, empty_lines=after.empty_lines
            )
        )
    return separator


def _without_comment(value: _T) -> _T:
    """A comma or whitespace with its end-of-line comment and blank lines removed."""
    if isinstance(value, cst.Comma):
        return value.with_changes(whitespace_after=_without_comment(value.whitespace_after))
    if isinstance(value, cst.ParenthesizedWhitespace):
        return value.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
    return value


# -- strings --------------------------------------------------------------------------------------


def quote_of(node: cst.CSTNode | None, default: str = '"') -> str:
    """The quote character a string node uses (the file's style), else ``default``."""
    if isinstance(node, cst.SimpleString):
        return node.quote[0] if node.quote in ('"', "'") else default
    if isinstance(node, cst.FormattedString):
        return node.end[0] if node.end in ('"', "'") else default
    return default


def string_node(value: str, quote: str = '"') -> cst.SimpleString:
    escaped = value.replace("\\", "\\\\").replace(quote, "\\" + quote).replace("\n", "\\n")
    return cst.SimpleString(f"{quote}{escaped}{quote}")


def literal_text(node: cst.CSTNode | None) -> str | None:
    return string_value(node) if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)) else None


def field_value(node: cst.CSTNode, name: str) -> cst.BaseExpression | None:
    """The value of ``name`` in a call's keywords or a dict literal's string keys."""
    if isinstance(node, cst.Call):
        arg = keyword(node, name)
        return arg.value if arg is not None else None
    if isinstance(node, cst.Dict):
        for element in node.elements:
            if isinstance(element, cst.DictElement) and literal_text(element.key) == name:
                return element.value
    return None


# -- scope ----------------------------------------------------------------------------------------


def within(source: PythonSource, kind: type, outer: cst.CSTNode | None) -> list:
    """Nodes of exactly type ``kind`` inside ``outer`` (the whole module when None)."""
    nodes = source.of_type(kind)
    if outer is None:
        return nodes
    where = source.positions[outer]
    low, high = (where.start.line, where.start.column), (where.end.line, where.end.column)
    return [
        node
        for node in nodes
        if low <= ((p := source.positions[node]).start.line, p.start.column)
        and (p.end.line, p.end.column) <= high
    ]


def enclosing_functions(source: PythonSource, target: cst.CSTNode) -> list[cst.FunctionDef]:
    """The functions whose body contains ``target``, innermost first."""
    position = source.positions[target]
    found = []
    for node in source.of_type(cst.FunctionDef):
        where = source.positions[node]
        if (
            (where.start.line, where.start.column)
            <= (position.start.line, position.start.column)
            <= (
                where.end.line,
                where.end.column,
            )
        ):
            found.append((where.start.line, node))
    return [node for _, node in sorted(found, key=lambda item: item[0], reverse=True)]


def bound_names(function: cst.FunctionDef, before_line: int, source: PythonSource) -> set[str]:
    """Parameters of ``function`` and plain names it assigns on a line before ``before_line``."""
    params = function.params
    names = {param.name.value for param in (*params.posonly_params, *params.params, *params.kwonly_params)}
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            names.add(star.name.value)
    for kind in (cst.Assign, cst.AnnAssign, cst.AugAssign):
        for node in within(source, kind, function):
            if start_line(source, node) >= before_line:
                continue
            targets = (
                [target.target for target in node.targets] if isinstance(node, cst.Assign) else [node.target]
            )
            names.update(target.value for target in targets if isinstance(target, cst.Name))
    return names


def formatted_fields(
    source: PythonSource, outer: cst.CSTNode | None = None
) -> Iterator[tuple[cst.FormattedString, int, str]]:
    """Every f-string inside ``outer`` (the module when None), with the index of each expression
    part and its code (dotted names only)."""
    for node in within(source, cst.FormattedString, outer):
        for index, part in enumerate(node.parts):
            if isinstance(part, cst.FormattedStringExpression) and part.format_spec is None:
                code = dotted_name(part.expression)
                if code is not None:
                    yield node, index, code


# -- statements -----------------------------------------------------------------------------------


def assigned_to(source: PythonSource, call: cst.Call) -> tuple[cst.SimpleStatementLine, str] | None:
    """The statement ``<target> = call`` and the target's code (``name`` or ``self.attr``)."""
    for node in source.of_type(cst.SimpleStatementLine):
        if len(node.body) != 1:
            continue
        statement = node.body[0]
        if isinstance(statement, cst.Assign) and statement.value is call and len(statement.targets) == 1:
            target = statement.targets[0].target
        elif isinstance(statement, cst.AnnAssign) and statement.value is call:
            target = statement.target
        else:
            continue
        code = dotted_name(target)
        if code is not None and (isinstance(target, cst.Name) or code.count(".") == 1):
            return node, code
    return None


def statement_of(source: PythonSource, node: cst.CSTNode) -> cst.SimpleStatementLine | None:
    """The simple statement line holding ``node``."""
    where = source.positions[node]
    best = None
    for candidate in source.of_type(cst.SimpleStatementLine):
        position = source.positions[candidate]
        if (position.start.line, position.start.column) <= (where.start.line, where.start.column) and (
            where.end.line,
            where.end.column,
        ) <= (position.end.line, position.end.column):
            best = candidate
    return best


def insert_after(
    source: PythonSource, statement: cst.BaseStatement, added: Sequence[cst.BaseStatement]
) -> str | None:
    """The module's code with ``added`` right after ``statement`` in its block."""
    blocks = [
        node for node in source.of_type(cst.IndentedBlock) if any(item is statement for item in node.body)
    ]
    if not blocks and any(item is statement for item in source.module.body):
        blocks = [source.module]
    if not blocks:
        return None
    block = blocks[0]
    body: list[cst.BaseStatement] = []
    for item in block.body:
        body.append(item)
        if item is statement:
            body.extend(added)
    if isinstance(block, cst.Module):
        return block.with_changes(body=body).code
    return replace(source, block, block.with_changes(body=body))


def imported_names(module: cst.Module, package: str) -> tuple[set[str], set[str]]:
    """(names imported ``from package import ...``, aliases of ``import package``) at module level."""
    names: set[str] = set()
    aliases: set[str] = set()
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for item in statement.body:
            if (
                isinstance(item, cst.ImportFrom)
                and item.module is not None
                and dotted_name(item.module) == package
            ):
                if isinstance(item.names, cst.ImportStar):
                    continue
                for alias in item.names:
                    if isinstance(alias.name, cst.Name) and alias.asname is None:
                        names.add(alias.name.value)
            elif isinstance(item, cst.Import):
                for alias in item.names:
                    if dotted_name(alias.name) == package:
                        bound = alias.asname.name if alias.asname is not None else alias.name
                        if isinstance(bound, cst.Name):
                            aliases.add(bound.value)
    return names, aliases


def one_per_line(call: cst.Call, indent: str, unit: str) -> cst.Call:
    """``call`` with each argument on a line of its own (``indent`` is the call's line indentation),
    a trailing comma, and the closing parenthesis on its own line: the layout formatters use."""

    def newline(spaces: str) -> cst.ParenthesizedWhitespace:
        return cst.ParenthesizedWhitespace(
            first_line=cst.TrailingWhitespace(), indent=False, last_line=cst.SimpleWhitespace(spaces)
        )

    inner = indent + unit
    args = [
        arg.with_changes(
            comma=cst.Comma(
                whitespace_before=cst.SimpleWhitespace(""),
                whitespace_after=newline(indent if index == len(call.args) - 1 else inner),
            ),
            whitespace_after_arg=cst.SimpleWhitespace(""),
        )
        for index, arg in enumerate(call.args)
    ]
    return call.with_changes(args=args, whitespace_before_args=newline(inner))


def line_indent(source_text: str, line: int) -> str:
    lines = source_text.splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return text[: len(text) - len(text.lstrip(" \t"))]


# -- physical names -------------------------------------------------------------------------------


def name_argument(source: PythonSource, line: int, resource: Resource) -> cst.BaseExpression | None:
    """The string or f-string keyword value on ``line`` that reads as ``resource.name`` (the one
    the model took the physical name from); None when there is not exactly one."""
    candidates = [
        arg.value
        for arg in nodes_at(source, line, cst.Arg)
        if arg.keyword is not None and reads_as(arg.value, resource)
    ]
    return candidates[0] if len(candidates) == 1 else None


def reads_as(node: cst.BaseExpression, resource: Resource) -> bool:
    """Whether the source expression is the name the model holds (so the fix edits the right thing)."""
    if isinstance(node, cst.SimpleString):
        value = literal_of(resource.name)
        return "b" not in node.prefix.lower() and node.quote in ("'", '"') and literal_text(node) == value
    if isinstance(node, cst.FormattedString):
        if node.end not in ("'", '"'):
            return False
        pattern = "".join(
            re.escape(part.value.replace("{{", "{").replace("}}", "}"))
            if isinstance(part, cst.FormattedStringText)
            else ".*"
            for part in node.parts
        )
        return re.fullmatch(pattern, render(resource.name), re.DOTALL) is not None
    return False


# -- building nodes (never by parsing text: fixes build their code from nodes) ---------------------


def dotted(code: str) -> cst.Name | cst.Attribute:
    """``a.b.c`` as a Name/Attribute chain."""
    head, *rest = code.split(".")
    node: cst.Name | cst.Attribute = cst.Name(head)
    for part in rest:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def call(function: str, args: Sequence[cst.Arg] = ()) -> cst.Call:
    return cst.Call(func=dotted(function), args=list(args))


def listing(items: Sequence[str]) -> cst.List:
    """``[a, b.c]`` from dotted names."""
    elements = [
        cst.Element(
            dotted(item),
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            if index < len(items) - 1
            else cst.MaybeSentinel.DEFAULT,
        )
        for index, item in enumerate(items)
    ]
    return cst.List(elements)


def expression_statement(expression: cst.BaseExpression) -> cst.SimpleStatementLine:
    return cst.SimpleStatementLine([cst.Expr(expression)])


def assignment(name: str, value: cst.BaseExpression) -> cst.SimpleStatementLine:
    return cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(name))], value)])
