"""Symbolic evaluation of CloudFormation intrinsic functions into model values.

Nothing here knows the values a deployment will supply; it only knows what the template says:

* ``Ref`` to a parameter gives the parameter's value as :func:`parameter_value` built it (its
  ``Default`` as a ``Literal`` marked ``PARAMETER | CONFIG``, plus ``SUFFIX`` or ``ENV_NAME`` for
  the suffix / environment-name parameter; ``Unknown`` with the same marks when it has no default),
  so a rule can see both "comes from a parameter" and, where it needs one, a concrete value.
* ``Ref`` / ``Fn::GetAtt`` to a resource give ``model.Ref`` (the graph's edges come from these).
* Pseudo parameters: ``AWS::StackName`` is unknown, unique per stack (``STACK_NAME``) and possibly
  uppercase; ``AWS::AccountId``/``AWS::Region`` are unknown ``ACCOUNT``/``REGION``; ``AWS::StackId``
  is ``UNIQUE``; ``AWS::URLSuffix``/``AWS::Partition`` are the commercial-partition literals.
* ``Fn::Sub``/``Fn::Join`` build ``Concat`` values (literal parts collapse); ``Fn::Select``,
  ``Fn::Split``, ``Fn::FindInMap`` (against the template's Mappings) and ``Fn::ToJsonString``
  compute when their inputs are known.
* ``Fn::If`` keeps both branches in view: a branch that is ``AWS::NoValue`` means "the property is
  absent", so the value is the other branch (what the property is *when present*); equal branches
  give that value; different branches give ``Unknown`` whose origin is what both branches share
  (``a.origin & b.origin``) and whose reason names both.
* ``Fn::ImportValue`` and dynamic references (``{{resolve:ssm:...}}``) are ``Unknown``/``EXTERNAL``.
* ``Fn::Base64`` is transparent: the value is the text before encoding, which is what a reader of
  ``UserData`` wants (and it keeps the references inside).
* Anything else (``Fn::Cidr``, ``Fn::GetAZs``, ``Fn::Length``, ``Fn::Transform``...) is ``Unknown``.

Evaluation is bounded (``Limits.eval_depth`` nesting, ``Limits.eval_steps`` nodes per template):
a template built to be expensive yields ``Unknown`` values, not a hang.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from analyzer.model import Concat, Literal, Location, Origin, Ref, Unknown, Value, concat, literal_of, render
from analyzer.plugin import Limits
from plugins.cloudformation.decoding import location


class _NoValueType:
    """``AWS::NoValue``: the property (or list element) is removed."""

    _instance: _NoValueType | None = None

    def __new__(cls) -> _NoValueType:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NoValue"


NO_VALUE = _NoValueType()
Evaluated = Value | _NoValueType

# Literal values of the commercial partition; other partitions (aws-cn, aws-us-gov) differ, but
# a template that names them explicitly is rare, and these are the values seen in this layout.
_PSEUDO: dict[str, Value] = {
    "AWS::StackName": Unknown(
        "the stack name", Origin.STACK_NAME | Origin.MAYBE_UPPERCASE, hint="AWS::StackName"
    ),
    "AWS::StackId": Unknown("the stack id", Origin.UNIQUE, hint="AWS::StackId"),
    "AWS::AccountId": Unknown("the account id", Origin.ACCOUNT, hint="AWS::AccountId"),
    "AWS::Region": Unknown("the region", Origin.REGION, hint="AWS::Region"),
    "AWS::NotificationARNs": Unknown(
        "the stack's notification ARNs", Origin.EXTERNAL, hint="AWS::NotificationARNs"
    ),
    "AWS::URLSuffix": Literal("amazonaws.com"),
    "AWS::Partition": Literal("aws"),
}

_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_DYNAMIC_REFERENCE = "{{resolve:"


@dataclass(slots=True)
class TemplateScope:
    """What a template's intrinsics can refer to."""

    path: str
    parameters: Mapping[str, Value]  # name -> value (see parameter_value)
    resources: Mapping[str, str]  # logical id -> project resource id
    mappings: Mapping[str, Any]  # the decoded Mappings section
    limits: Limits = field(default_factory=Limits)


class Evaluator:
    """Turns decoded template nodes into model values; one instance per template."""

    def __init__(self, scope: TemplateScope) -> None:
        self.scope = scope
        self.steps = 0
        self.exhausted = False

    # -- entry point -------------------------------------------------------------------------------

    def value(self, node: Any, depth: int = 0) -> Evaluated:
        self.steps += 1
        where = location(self.scope.path, node)
        if self.steps > self.scope.limits.eval_steps:
            self.exhausted = True
            return Unknown(
                "evaluation budget exhausted (template too large or too deeply aliased)", location=where
            )
        if depth > self.scope.limits.eval_depth:
            return Unknown(f"nested deeper than {self.scope.limits.eval_depth} levels", location=where)
        if isinstance(node, dict):
            if len(node) == 1:
                (key,) = node.keys()
                if isinstance(key, str) and (key == "Ref" or key.startswith("Fn::")):
                    return self._intrinsic(str(key), node[key], depth + 1, where)
            items: dict[str, Value] = {}
            for key, item in node.items():
                evaluated = self.value(item, depth + 1)
                if evaluated is not NO_VALUE:
                    items[str(key)] = evaluated  # type: ignore[assignment]
            return Literal(items, location=where)
        if isinstance(node, list):
            elements = tuple(
                item for item in (self.value(element, depth + 1) for element in node) if item is not NO_VALUE
            )
            return Literal(elements, location=where)  # type: ignore[arg-type]
        if isinstance(node, str):
            text = str(node)
            if _DYNAMIC_REFERENCE in text:
                return Unknown(
                    "a dynamic reference resolved at deploy time", Origin.EXTERNAL, where, hint=text
                )
            return Literal(text, location=where)
        if node is None or isinstance(node, (bool, int, float)):
            return Literal(node, location=where)
        if isinstance(node, (datetime.date, datetime.datetime)):
            # YAML 1.1 reads an unquoted 2024-01-01 as a date; CloudFormation receives the text.
            return Literal(node.isoformat(), location=where)
        return Unknown(f"unsupported node {type(node).__name__}", location=where)

    # -- intrinsics --------------------------------------------------------------------------------

    def _intrinsic(self, name: str, argument: Any, depth: int, where: Location | None) -> Evaluated:
        handler = _HANDLERS.get(name)
        if handler is None:
            return Unknown(f"{name} is not evaluated", location=where, hint=name)
        return handler(self, argument, depth, where)

    def _ref(self, argument: Any, depth: int, where: Location | None) -> Evaluated:
        if not isinstance(argument, str):
            return Unknown("Ref to a computed name", location=where, hint="Ref(?)")
        return self.name(str(argument), where)

    def name(self, name: str, where: Location | None) -> Evaluated:
        """What ``Ref: name`` (or ``${name}`` in ``Fn::Sub``) stands for."""
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in _PSEUDO:
            return _located(_PSEUDO[name], where)
        if name in self.scope.parameters:
            return _located(self.scope.parameters[name], where)
        if name in self.scope.resources:
            return Ref(self.scope.resources[name], None, location=where)
        return Unknown(f"Ref to '{name}', which the template does not define", location=where, hint=name)

    def _get_att(self, argument: Any, depth: int, where: Location | None) -> Evaluated:
        if isinstance(argument, str):
            resource, _, attribute = str(argument).partition(".")
        elif isinstance(argument, list) and len(argument) >= 2 and isinstance(argument[0], str):
            resource = str(argument[0])
            pieces = [self.value(piece, depth + 1) for piece in argument[1:]]
            texts = [literal_of(piece) for piece in pieces]  # type: ignore[arg-type]
            if not all(isinstance(text, str) for text in texts):
                return Unknown(
                    "Fn::GetAtt with a computed attribute name", location=where, hint=f"{resource}.?"
                )
            attribute = ".".join(texts)
        else:
            return Unknown("malformed Fn::GetAtt", location=where, hint="GetAtt(?)")
        if resource not in self.scope.resources:
            return Unknown(
                f"Fn::GetAtt of '{resource}', which the template does not define",
                location=where,
                hint=f"{resource}.{attribute}",
            )
        return Ref(self.scope.resources[resource], attribute or None, location=where)

    def _sub(self, argument: Any, depth: int, where: Location | None) -> Evaluated:
        variables: dict[str, Evaluated] = {}
        if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], dict):
            template = argument[0]
            for key, item in argument[1].items():
                variables[str(key)] = self.value(item, depth + 1)
        elif isinstance(argument, list) and len(argument) == 1:
            template = argument[0]
        else:
            template = argument
        if not isinstance(template, str):
            return Unknown("Fn::Sub with a computed template", location=where, hint="Sub(?)")
        text = str(template)
        if _DYNAMIC_REFERENCE in text:
            return Unknown("a dynamic reference resolved at deploy time", Origin.EXTERNAL, where, hint=text)
        parts: list[Value] = []
        cursor = 0
        for match in _SUB_VARIABLE.finditer(text):
            parts.append(Literal(text[cursor : match.start()]))
            cursor = match.end()
            inner = match.group(1)
            if inner.startswith("!"):
                parts.append(Literal("${" + inner[1:] + "}"))  # ${!Literal} escapes a literal "${Literal}"
                continue
            variable = inner.strip()
            if variable in variables:
                part = variables[variable]
            elif "." in variable and variable.split(".", 1)[0] in self.scope.resources:
                resource, attribute = variable.split(".", 1)
                part = Ref(self.scope.resources[resource], attribute, location=where)
            else:
                part = self.name(variable, where)
            if part is NO_VALUE:
                return Unknown("Fn::Sub of AWS::NoValue", location=where, hint=variable)
            parts.append(part)  # type: ignore[arg-type]
        parts.append(Literal(text[cursor:]))
        return concat(parts, where)

    def _join(self, argument: Any, depth: int, where: Location | None) -> Evaluated:
        if not (isinstance(argument, list) and len(argument) == 2):
            return Unknown("malformed Fn::Join", location=where, hint="Join(?)")
        delimiter = literal_of(self.value(argument[0], depth + 1))  # type: ignore[arg-type]
        elements = self.value(argument[1], depth + 1)
        if not isinstance(delimiter, str):
            return Unknown("Fn::Join with a computed delimiter", location=where, hint="Join(?)")
        if not (isinstance(elements, Literal) and isinstance(elements.value, tuple)):
            origin = elements.origin if isinstance(elements, (Literal, Ref, Unknown, Concat)) else Origin.NONE
            return Unknown(
                "Fn::Join of a list that is not known", origin, where, hint=f"Join({delimiter!r}, ?)"
            )
        parts: list[Value] = []
        for index, element in enumerate(elements.value):
            if index:
                parts.append(Literal(delimiter))
            if isinstance(element, Literal) and isinstance(element.value, (tuple, dict)):
                return Unknown(
                    "Fn::Join of a nested list", element.origin, where, hint=f"Join({delimiter!r}, ?)"
                )
            parts.append(element)
        return concat(parts, where)

    def _select(self, argument: Any, depth: int, where: Location | None) -> Evaluated:
        if not (isinstance(argument, list) and len(argument) == 2):
            return Unknown("malformed Fn::Select", location=where, hint="Select(?)")
        index = literal_of(self.value(argument[0], depth + 1))  # type: ignore[arg-type]
        source = self.value(argument[1], depth + 1)
        if isinstance(index, str) and index.strip().isdigit():
            index = int(index)
        if isinstance(source, Literal) and isinstance(source.value, tuple) and isinstance(index, int):
            if 0 <= index < len(source.value) and not isinstance(index, bool):
                return source.value[index]
            return Unknown(f"Fn::Select index {index} is out of range", location=where, hint="Select(?)")
        origin = source.origin if isinstance(source, (Literal, Ref, Unknown, Concat)) else Origin.NONE
        return Unknown("Fn::Select from a list that is not known", origin, where, hint=f"Select({index}, ?)")

    def _split(self, argument: Any, depth: int, where: Location | None) -> Evaluated:
        if not (isinstance(argument, list) and len(argument) == 2):
            return Unknown("malformed Fn::Split", location=where, hint="Split(?)")
        delimiter = literal_of(self.value(argument[0], depth + 1))  # type: ignore[arg-type]
        source = self.value(argument[1], depth + 1)
        if (
            isinstance(delimiter, str)
            and delimiter
            and isinstance(source, Literal)
            and isinstance(source.value, str)
        ):
            pieces = tuple(Literal(piece, source.origin, where) for piece in source.value.split(delimiter))
            return Literal(pieces, source.origin, where)
        origin = source.origin if isinstance(source, (Literal, Ref, Unknown, Concat)) else Origin.NONE
        return Unknown("Fn::Split of a value that is not known", origin, where, hint="Split(?)")

    def _if(self, argument: Any, depth: int, where: Location | None) -> Evaluated:
        if not (isinstance(argument, list) and len(argument) == 3):
            return Unknown("malformed Fn::If", location=where, hint="If(?)")
        condition = str(argument[0]) if isinstance(argument[0], str) else "?"
        when_true = self.value(argument[1], depth + 1)
        when_false = self.value(argument[2], depth + 1)
        if when_true is NO_VALUE:
            return when_false
        if when_false is NO_VALUE or when_true == when_false:
            return when_true
        first, second = when_true, when_false
        assert not isinstance(first, _NoValueType) and not isinstance(second, _NoValueType)
        return Unknown(
            f"depends on condition {condition}: {render(first)} or {render(second)}",
            first.origin & second.origin,
            where,
            hint=f"If({condition}, {render(first)}, {render(second)})",
        )

    def _find_in_map(self, argument: Any, depth: int, where: Location | None) -> Evaluated:
        if not (isinstance(argument, list) and len(argument) in (3, 4)):
            return Unknown("malformed Fn::FindInMap", location=where, hint="FindInMap(?)")
        keys = [self.value(piece, depth + 1) for piece in argument[:3]]
        texts = [literal_of(key) for key in keys]  # type: ignore[arg-type]
        default: Evaluated | None = None
        if len(argument) == 4 and isinstance(argument[3], dict) and "DefaultValue" in argument[3]:
            default = self.value(argument[3]["DefaultValue"], depth + 1)
        table = self.scope.mappings.get(texts[0]) if isinstance(texts[0], str) else None
        hint = (
            "FindInMap(" + ", ".join(render(key) for key in keys if not isinstance(key, _NoValueType)) + ")"
        )
        if not isinstance(table, dict):
            return (
                default
                if default is not None
                else Unknown("Fn::FindInMap of an unknown map", location=where, hint=hint)
            )
        top, second = texts[1], texts[2]
        if isinstance(top, (str, int)) and isinstance(second, (str, int)):
            entry = table.get(str(top))
            if isinstance(entry, dict) and str(second) in entry:
                return self.value(entry[str(second)], depth + 1)
            if default is not None:
                return default
            return Unknown("Fn::FindInMap key not in the map", location=where, hint=hint)
        if isinstance(second, (str, int)):
            # The top-level key is only known at deploy time (``AWS::Region``): when every entry
            # agrees on the value, that is the value.
            candidates = [
                self.value(entry[str(second)], depth + 1)
                for entry in table.values()
                if isinstance(entry, dict) and str(second) in entry
            ]
            agree = candidates and all(candidate == candidates[0] for candidate in candidates)
            if agree and len(candidates) == len(table):
                return candidates[0]
        return Unknown("Fn::FindInMap with a key known only at deploy time", location=where, hint=hint)

    def _import_value(self, argument: Any, depth: int, where: Location | None) -> Evaluated:
        exported = self.value(argument, depth + 1)
        rendered = "?" if isinstance(exported, _NoValueType) else render(exported)
        return Unknown(
            "an export of another stack (Fn::ImportValue)",
            Origin.EXTERNAL,
            where,
            hint=f"ImportValue({rendered})",
        )

    def _base64(self, argument: Any, depth: int, where: Location | None) -> Evaluated:
        return self.value(argument, depth + 1)

    def _to_json_string(self, argument: Any, depth: int, where: Location | None) -> Evaluated:
        inner = self.value(argument, depth + 1)
        plain = literal_of(inner) if not isinstance(inner, _NoValueType) else None  # type: ignore[arg-type]
        if plain is not None:
            try:
                return Literal(json.dumps(plain, separators=(",", ":")), inner.origin, where)  # type: ignore[union-attr]
            except (TypeError, ValueError):
                pass
        origin = inner.origin if isinstance(inner, (Literal, Ref, Unknown, Concat)) else Origin.NONE
        return Unknown(
            "Fn::ToJsonString of a value that is not fully known", origin, where, hint="ToJsonString(?)"
        )

    def _get_azs(self, argument: Any, depth: int, where: Location | None) -> Evaluated:
        return Unknown("the region's availability zones", Origin.REGION, where, hint="GetAZs")


def _located(value: Value, where: Location | None) -> Value:
    """The shared value of a parameter or pseudo parameter, placed where this use is."""
    if where is None:
        return value
    if isinstance(value, Literal):
        return Literal(value.value, value.origin, where)
    if isinstance(value, Unknown):
        return Unknown(value.reason, value.origin, where, value.hint)
    return value


_HANDLERS = {
    "Ref": Evaluator._ref,
    "Fn::GetAtt": Evaluator._get_att,
    "Fn::Sub": Evaluator._sub,
    "Fn::Join": Evaluator._join,
    "Fn::Select": Evaluator._select,
    "Fn::Split": Evaluator._split,
    "Fn::If": Evaluator._if,
    "Fn::FindInMap": Evaluator._find_in_map,
    "Fn::ImportValue": Evaluator._import_value,
    "Fn::Base64": Evaluator._base64,
    "Fn::ToJsonString": Evaluator._to_json_string,
    "Fn::GetAZs": Evaluator._get_azs,
}
