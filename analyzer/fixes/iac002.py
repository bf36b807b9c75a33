"""IAC002: append the environment suffix to a fixed physical name, in the file's naming style.

* Python (Pulumi, CDK): the name is a string literal or an f-string passed as a keyword at the
  finding's line, and it must still read as the model's value. It becomes an f-string ending in
  ``{<separator>}{<suffix>}``, where ``<suffix>`` is the expression the enclosing function already
  uses for the suffix in its f-strings (``self.environment_suffix``, ``args.environment_suffix``)
  or a parameter/variable of that function named like the project's suffix, and the separator is
  the one the file's suffixed names use (``-`` when there are none). No suffix in scope: no fix.
* CloudFormation: a plain name becomes ``!Sub '<name>-${EnvironmentSuffix}'`` (JSON:
  ``{"Fn::Sub": ...}``); an existing ``Fn::Sub`` string gets ``-${EnvironmentSuffix}`` appended, in
  its own quote style. Only when the template declares the suffix parameter.
Safe: the name changes, so a deployed resource is replaced, but that is the point of the rule."""

from __future__ import annotations

import collections
import json
import re
from collections.abc import Iterable

import libcst as cst

from analyzer.findings import Edit, Finding, Fix
from analyzer.fixes import python as py
from analyzer.fixes import templates as cfn
from analyzer.fixes.context import FixContext, rewrite
from analyzer.fixes.sources import PythonSource, Source
from analyzer.model import Location, Project, Resource

_DEFAULT_SEPARATOR = "-"
_SEPARATORS = "-_./:"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def fixes(finding: Finding, ctx: FixContext) -> Iterable[Fix]:
    resource = ctx.resource(finding.resource)
    location = ctx.model_location(finding.location)
    if resource is None or resource.name is None or location is None or finding.key.endswith(":logical-id"):
        return
    if resource.location_of(resource.name_property) != location:
        return
    source = ctx.source(location)
    if source is None:
        return
    if ctx.project.platform == "cloudformation":
        edit = _template_edit(source, ctx.project, resource)
        if edit is not None:
            yield Fix(f"append the environment suffix to the name of '{resource.id}'", (edit,), True)
        return
    parsed = source.python()
    if parsed is None:
        return
    found = _python(parsed, ctx.project, resource, location)
    if found is not None:
        new_text, code = found
        fix = rewrite(source, new_text, f"append {{{code}}} to the name of '{resource.id}'", True)
        if fix is not None:
            yield fix


# -- Python -----------------------------------------------------------------------------------------


def _python(
    parsed: PythonSource, project: Project, resource: Resource, location: Location
) -> tuple[str, str] | None:
    node = py.name_argument(parsed, location.line, resource)
    if node is None:
        return None
    functions = py.enclosing_functions(parsed, node)
    if not functions:
        return None
    suffix = _suffix_expression(parsed, project, functions[0], location.line)
    if suffix is None:
        return None
    separator = _separator(parsed)
    updated = _appended(node, suffix, separator)
    if updated is None:
        return None
    new_text = py.replace(parsed, node, updated)
    return (new_text, suffix) if new_text else None


# Variable names that say "the per-deployment suffix" (besides the project's own suffix names).
_SUFFIX_WORDS = frozenset({"suffix", "env_suffix", "environment_suffix", "deployment_suffix", "stage_suffix"})


def _suffix_identifiers(project: Project) -> set[str]:
    return {name for name in project.suffix.names if _IDENTIFIER.fullmatch(name)} | _SUFFIX_WORDS


def _suffix_expression(
    parsed: PythonSource, project: Project, function: cst.FunctionDef, line: int
) -> str | None:
    wanted = _suffix_identifiers(project)
    bound = py.bound_names(function, line, parsed)
    usable = [
        code
        for string, _, code in py.formatted_fields(parsed, function)
        if py.start_line(parsed, string) < line and code.split(".")[0] in bound
    ]
    # 1. what this function's f-strings already use for the suffix, before this line
    for code in usable:
        if code.split(".")[-1] in wanted:
            return code
    # 2. a parameter or variable of the function named like the suffix
    named = sorted(name for name in bound if name in wanted)
    if named:
        return named[0] if len(named) == 1 else None
    # 3. an attribute the function set before this line: ``self.environment_suffix = ...``
    attributes = sorted(
        {
            attribute
            for kind in (cst.Assign, cst.AnnAssign)
            for node in py.within(parsed, kind, function)
            if py.start_line(parsed, node) < line
            for target in (
                [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
            )
            if (attribute := py.dotted_name(target)) is not None
            and attribute.count(".") == 1
            and attribute.startswith("self.")
            and attribute.split(".")[1] in wanted
        }
    )
    return attributes[0] if len(attributes) == 1 and "self" in bound else None


def _separator(parsed: PythonSource) -> str:
    """The separator the file puts before its suffix fields (``-`` if it has none)."""
    if "iac002.separator" not in parsed.memo:
        parsed.memo["iac002.separator"] = _file_separator(parsed)
    return str(parsed.memo["iac002.separator"])


def _file_separator(parsed: PythonSource) -> str:
    seen: collections.Counter[str] = collections.Counter()
    for string, index, code in py.formatted_fields(parsed):
        if "suffix" not in code.split(".")[-1].lower() or index == 0:
            continue
        before = string.parts[index - 1]
        if isinstance(before, cst.FormattedStringText) and before.value[-1:] in _SEPARATORS:
            seen[before.value[-1]] += 1
    return seen.most_common(1)[0][0] if seen else _DEFAULT_SEPARATOR


def _appended(node: cst.BaseExpression, suffix: str, separator: str) -> cst.BaseExpression | None:
    field = cst.FormattedStringExpression(py.dotted(suffix))
    if isinstance(node, cst.SimpleString):
        text = py.literal_text(node)
        if text is None:
            return None
        quote = node.quote
        escaped = py.string_node(text, quote).value[1:-1].replace("{", "{{").replace("}", "}}")
        prefix = "f" + node.prefix.lower().replace("u", "")
        return cst.FormattedString(
            parts=[cst.FormattedStringText(escaped + separator), field], start=prefix + quote, end=quote
        )
    if isinstance(node, cst.FormattedString):
        parts = list(node.parts)
        if parts and isinstance(parts[-1], cst.FormattedStringText):
            parts[-1] = parts[-1].with_changes(value=parts[-1].value + separator)
        else:
            parts.append(cst.FormattedStringText(separator))
        return node.with_changes(parts=[*parts, field])
    return None


# -- CloudFormation ---------------------------------------------------------------------------------


def _template_edit(source: Source, project: Project, resource: Resource) -> Edit | None:
    suffix = next((name for name in project.suffix.names if name in project.parameters), None)
    template = source.template()
    found = cfn.resource_node(template, resource.id) if template is not None and suffix else None
    prop = resource.name_property
    if found is None or suffix is None or prop is None:
        return None
    properties = found[1].get("Properties")
    value = properties.get(prop) if isinstance(properties, dict) else None
    where = cfn.span(value)
    if where is None:
        return None
    (line, column), (end_line, end_column) = where
    if end_line != line:
        return None
    raw = cfn.line_text(source, line)[column - 1 : end_column - 1]
    tail = f"-${{{suffix}}}"
    json_style = cfn.is_json(source)
    if isinstance(value, str):
        new_value = value.replace("${", "${!") + tail
        text = (
            '{"Fn::Sub": ' + json.dumps(new_value, ensure_ascii=False) + "}"
            if json_style
            else "!Sub " + cfn.scalar(new_value, source, like="'")
        )
    elif isinstance(value, dict) and list(value) == ["Fn::Sub"] and isinstance(value["Fn::Sub"], str):
        new_value = value["Fn::Sub"] + tail
        pattern = r'("Fn::Sub"\s*:\s*)("(?:[^"\\]|\\.)*")' if json_style else r"^(!Sub\s+)(.+?)\s*$"
        match = re.search(pattern, raw)
        if match is None:
            return None
        replacement = cfn.scalar(new_value, source, like=match.group(2))
        text = raw[: match.start(2)] + replacement + raw[match.end(2) :]
    else:
        return None
    edit = Edit(source.path, line, column, end_line, end_column, text)
    return cfn.checked_edit(
        source,
        edit,
        lambda old, new: (
            cfn.value_at(new, resource.id, "Properties", prop) == {"Fn::Sub": new_value}
            and cfn.same_except(old, new, resource.id, "Properties", prop)
        ),
    )
