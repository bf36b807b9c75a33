"""Template parameters: their values for ``Ref``, and which one carries the environment suffix.

In this layout a deployment sets only the per-deployment suffix (``EnvironmentSuffix=pr1234``);
an environment *name* (``Environment``/``Stage`` with dev/staging/prod) is the same for many
deployments and so is not a suffix (issue 11 is the later statement on this). The suffix
parameter is found by name (the names below, plus ``suffix-names`` from the configuration, which
also lets a team declare an environment-name parameter to be its suffix).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from analyzer.model import Literal, Location, Origin, Unknown, Value
from plugins.cloudformation.decoding import location

# Normalized (lowercase, alphanumerics only) parameter names that carry the per-deployment suffix.
SUFFIX_NAMES = frozenset(
    {
        "environmentsuffix",
        "envsuffix",
        "suffix",
        "deploymentsuffix",
        "stacksuffix",
        "resourcesuffix",
        "namesuffix",
        "prsuffix",
        "branchsuffix",
        "environmentsuffixparam",
        "envsuffixparam",
    }
)
# Normalized names of environment *name* parameters (the same for many deployments).
ENV_NAME_NAMES = frozenset(
    {
        "environment",
        "environmentname",
        "environmenttype",
        "env",
        "envname",
        "envtype",
        "stage",
        "stagename",
        "deploymentenvironment",
        "deploymentstage",
        "environmentparam",
    }
)
# AllowedValues that mark a parameter as an environment name whatever it is called.
_ENV_VALUES = frozenset(
    {
        "dev",
        "development",
        "staging",
        "stage",
        "prod",
        "production",
        "test",
        "qa",
        "uat",
        "sandbox",
        "preprod",
        "demo",
    }
)


# Words that make a "...Suffix" parameter something else (a DNS or path suffix, not the deployment's).
_NOT_DEPLOYMENT = ("domain", "dns", "url", "host", "zone", "email", "path", "file", "cidr")


def _suffix_name(normalized: str) -> bool:
    if normalized in SUFFIX_NAMES:
        return True
    return normalized.endswith("suffix") and not any(word in normalized for word in _NOT_DEPLOYMENT)


def normalize(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass(frozen=True, slots=True)
class ParameterInfo:
    name: str
    value: Value  # what Ref gives
    location: Location | None
    is_suffix: bool
    is_env_name: bool
    allowed_values: tuple[Any, ...] = ()


def read_parameters(path: str, section: Any, suffix_names: Iterable[str] = ()) -> dict[str, ParameterInfo]:
    """The template's ``Parameters`` section as :class:`ParameterInfo` by name."""
    if not isinstance(section, dict):
        return {}
    configured = {normalize(name) for name in suffix_names}
    found: dict[str, ParameterInfo] = {}
    for key, body in section.items():
        name = str(key)
        where = location(path, key)
        spec = body if isinstance(body, dict) else {}
        allowed = spec.get("AllowedValues")
        allowed_values = (
            tuple(str(item) if isinstance(item, str) else item for item in allowed)
            if isinstance(allowed, list)
            else ()
        )
        normalized = normalize(name)
        is_suffix = normalized in configured or _suffix_name(normalized)
        allowed_lower = {str(item).lower() for item in allowed_values}
        is_env_name = not is_suffix and (
            normalized in ENV_NAME_NAMES or (len(allowed_lower) >= 2 and allowed_lower <= _ENV_VALUES)
        )
        origin = Origin.PARAMETER | Origin.CONFIG
        if is_suffix:
            origin |= Origin.SUFFIX
        elif is_env_name:
            origin |= Origin.ENV_NAME
        found[name] = ParameterInfo(
            name, _value(name, spec, origin, where), where, is_suffix, is_env_name, allowed_values
        )
    return found


def _value(name: str, spec: dict[str, Any], origin: Origin, where: Location | None) -> Value:
    kind = str(spec.get("Type", "String"))
    if kind.startswith("AWS::SSM::Parameter::Value"):
        return Unknown(
            f"parameter {name} is read from SSM at deploy time", origin | Origin.EXTERNAL, where, hint=name
        )
    if "Default" not in spec:
        return Unknown(
            f"parameter {name} has no default; its value is set at deploy time", origin, where, hint=name
        )
    default = spec["Default"]
    if kind == "CommaDelimitedList" or kind.startswith("List<"):
        if isinstance(default, list):
            items = [str(item) for item in default]
        else:
            items = [item.strip() for item in str(default).split(",")] if str(default) else []
        return Literal(tuple(Literal(item, origin, where) for item in items), origin, where)
    if isinstance(default, str):
        return Literal(str(default), origin, where)
    if default is None or isinstance(default, (bool, int, float)):
        return Literal(default, origin, where)
    if isinstance(default, (datetime.date, datetime.datetime)):  # YAML 1.1 date: CloudFormation reads text
        return Literal(default.isoformat(), origin, where)
    return Unknown(f"parameter {name} has a structured default", origin, where, hint=name)
