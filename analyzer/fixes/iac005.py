"""IAC005: order the dependent resource after its prerequisites (safe).

* Pulumi: ``depends_on=[...]`` in the call's ``opts=ResourceOptions(...)`` (merged into an existing
  ``depends_on`` list; ``opts`` added when absent; options held in a variable are combined with
  ``ResourceOptions.merge(var, ResourceOptions(depends_on=[...]))``). Each prerequisite is named
  by the variable or ``self`` attribute its constructor call is assigned to (a call written as a
  bare statement gets a fresh variable), and only when that name is usable where the dependent is
  created (same function, assigned before; or ``self.x`` in the same class).
* CDK: ``<dependent>.node.add_dependency(<prerequisite>)`` after the dependent's statement.
* CloudFormation: ``DependsOn`` (a string becomes a list; a list gains the new ids; a resource
  without one gets it before its ``Type``).
The prerequisites are the finding's related resources."""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst

from analyzer.findings import Edit, Finding, Fix
from analyzer.fixes import bindings
from analyzer.fixes import python as py
from analyzer.fixes import templates as cfn
from analyzer.fixes.context import FixContext
from analyzer.fixes.sources import PythonSource, Source
from analyzer.fixes.text import minimal_edit
from analyzer.model import Resource


def fixes(finding: Finding, ctx: FixContext) -> Iterable[Fix]:
    dependent = ctx.resource(finding.resource)
    if dependent is None:
        return
    prerequisites = _prerequisites(finding, ctx)
    if not prerequisites or dependent.in_loop:
        return
    names = ", ".join(f"'{r.id}'" for r in prerequisites)
    description = f"order '{dependent.id}' after {names}"
    source = ctx.source(dependent.location)
    if source is None:
        return
    fix: Fix | None = None
    if ctx.project.platform == "cloudformation":
        edit = _depends_on_edit(source, dependent, prerequisites)
        fix = Fix(description, (edit,), True) if edit is not None else None
    elif ctx.project.platform in ("pulumi", "cdk"):
        if any(r.location.path != dependent.location.path or r.in_loop for r in prerequisites):
            return  # naming a resource of another file needs an import we do not invent
        parsed = source.python()
        found = _python(parsed, source, dependent, prerequisites, ctx.project.platform) if parsed else None
        if found is not None:
            new_text, bindings = found
            main = minimal_edit(source.path, source.text, new_text)
            fix = Fix(description, (*bindings, main), True) if main is not None else None
    if fix is not None:
        yield fix


def _prerequisites(finding: Finding, ctx: FixContext) -> list[Resource]:
    found: list[Resource] = []
    for item in finding.related:
        location = ctx.model_location(item.location)
        if location is None:
            return []
        matches = [
            r
            for r in ctx.project.resources
            if r.location == location and f"'{r.id}'" in item.message and r not in found
        ]
        if len(matches) != 1:
            return []
        found.append(matches[0])
    return found


# -- Python -----------------------------------------------------------------------------------------


def _python(
    parsed: PythonSource, source: Source, dependent: Resource, prerequisites: list[Resource], platform: str
) -> tuple[str, list[Edit]] | None:
    """The text with the ordering added, and the edits that give unnamed resources a variable."""
    call = bindings.call_at(parsed, dependent.location.line)
    if call is None:
        return None
    functions = py.enclosing_functions(parsed, call)
    if not functions:
        return None
    taken = {node.value for node in parsed.of_type(cst.Name)}
    references: list[str] = []
    binding_edits: list[Edit] = []
    for prerequisite in prerequisites:
        bound = bindings.reference(parsed, source, prerequisite, functions[0], dependent.location.line, taken)
        if bound is None:
            return None
        references.append(bound[0])
        binding_edits.extend(bound[1:])
    if platform == "pulumi":
        new_text = _pulumi_depends_on(parsed, call, references)
        return (new_text, binding_edits) if new_text else None
    assigned = py.assigned_to(parsed, call)
    if assigned is not None:
        statement, dependent_code = assigned
    else:
        named = bindings.bind_statement(parsed, source, call, taken)
        if named is None:
            return None
        dependent_code, binding, statement = named
        binding_edits.append(binding)
    lines = [
        py.expression_statement(py.call(f"{dependent_code}.node.add_dependency", [cst.Arg(py.dotted(code))]))
        for code in references
    ]
    new_text = py.insert_after(parsed, statement, lines)
    return (new_text, binding_edits) if new_text else None


def _pulumi_depends_on(parsed: PythonSource, call: cst.Call, references: list[str]) -> str | None:
    if py.has_star(call):
        return None
    opts = py.keyword(call, "opts")
    elements = [cst.Element(py.dotted(code)) for code in references]
    if opts is None:
        options_name = _options_name(parsed.module)
        if options_name is None:
            return None
        value = py.call(options_name, [py.new_keyword("depends_on", py.listing(references))])
        return py.replace(parsed, call, py.with_keywords(call, [py.new_keyword("opts", value)]))
    options = opts.value
    if isinstance(options, (cst.Name, cst.Attribute)) and py.dotted_name(options) is not None:
        # Options built elsewhere: ResourceOptions.merge keeps them and adds the ordering.
        options_name = _options_name(parsed.module)
        if options_name is None:
            return None
        ordering = py.call(options_name, [py.new_keyword("depends_on", py.listing(references))])
        merged = py.call(f"{options_name}.merge", [cst.Arg(options), cst.Arg(ordering)])
        return py.replace(parsed, options, merged)
    if not isinstance(options, cst.Call) or not (py.dotted_name(options.func) or "").endswith(
        "ResourceOptions"
    ):
        return None
    if py.has_star(options):
        return None
    existing = py.keyword(options, "depends_on")
    if existing is None:
        updated = py.with_keywords(options, [py.new_keyword("depends_on", py.listing(references))])
        return py.replace(parsed, options, updated)
    if not isinstance(existing.value, cst.List):
        return None
    present = {py.dotted_name(element.value) for element in existing.value.elements}
    missing = [element for element, code in zip(elements, references, strict=True) if code not in present]
    if not missing:
        return None
    return py.replace(parsed, existing.value, py.with_elements(existing.value, missing))


def _options_name(module: cst.Module) -> str | None:
    names, aliases = py.imported_names(module, "pulumi")
    if "ResourceOptions" in names:
        return "ResourceOptions"
    if aliases:
        return f"{sorted(aliases)[0]}.ResourceOptions"
    return None


# -- CloudFormation ---------------------------------------------------------------------------------


def _depends_on_edit(source: Source, dependent: Resource, prerequisites: list[Resource]) -> Edit | None:
    template = source.template()
    found = cfn.resource_node(template, dependent.id) if template is not None else None
    if found is None:
        return None
    _, body = found
    wanted = [r.id for r in prerequisites]
    existing = body.get("DependsOn")
    json_style = cfn.is_json(source)
    if existing is None:
        edit = _insert_depends_on(source, body, wanted, json_style)
        expected = wanted
    else:
        current = [existing] if isinstance(existing, str) else existing
        if not isinstance(current, list) or not all(isinstance(item, str) for item in current):
            return None
        expected = [*current, *(w for w in wanted if w not in current)]
        if expected == current:
            return None
        edit = _replace_depends_on(source, existing, expected, json_style)
    if edit is None:
        return None
    return cfn.checked_edit(
        source,
        edit,
        lambda old, new: (
            cfn.value_at(new, dependent.id, "DependsOn")
            in (expected, expected[0] if len(expected) == 1 else None)
            and cfn.same_except(old, new, dependent.id, "DependsOn")
        ),
    )


def _flow_list(items: list[str], source: Source) -> str:
    return "[" + ", ".join(cfn.scalar(item, source) for item in items) + "]"


def _insert_depends_on(source: Source, body: dict, wanted: list[str], json_style: bool) -> Edit | None:
    return cfn.insert_key(source, body, "DependsOn", _flow_list(wanted, source), before="Type")


def _replace_depends_on(
    source: Source, existing: object, expected: list[str], json_style: bool
) -> Edit | None:
    where = cfn.span(existing)
    if where is None:
        return None
    (line, column), (end_line, end_column) = where
    if isinstance(existing, list):
        first = cfn.line_text(source, line)[column - 1 : column]
        if first != "[":  # a block list: one more "- item" line after the last one
            last = cfn.span(existing[-1]) if existing else None
            if last is None:
                return None
            (item_line, item_column), (item_end_line, item_end_column) = last
            prefix = cfn.line_text(source, item_line)[: item_column - 1]
            if not prefix.strip().startswith("-") or prefix.strip() != "-":
                return None
            added = "".join(f"\n{prefix}{cfn.scalar(item, source)}" for item in expected[len(existing) :])
            return Edit(source.path, item_end_line, item_end_column, item_end_line, item_end_column, added)
    return Edit(source.path, line, column, end_line, end_column, _flow_list(expected, source))
