"""Generate ``plugins/cloudformation/data/physical_names.json``: the property that sets each
CloudFormation resource type's physical name.

Source: the CloudFormation resource provider schemas that cfn-lint ships
(``cfnlint/data/schemas/providers/us-east-1.json`` indexes ``cfnlint/data/schemas/resources/*.json``).
A property is the physical name when it is a writable, top-level string property whose name says
it names *this* resource (``Name``, or ``<Type>Name`` / ``<Type>Identifier`` for the type's own
name, e.g. ``QueueName`` on ``AWS::SQS::Queue``, ``DBClusterIdentifier`` on ``AWS::RDS::DBCluster``)
and that is either the resource's primary identifier or create-only (changing it replaces the
resource: the mark of a name that must be unique). Properties such as ``DBSubnetGroupName`` on a
``DBCluster`` name *another* resource and are excluded by the "names this resource" test.
The small ``OVERRIDES`` table below covers what the schemas cannot say; each entry has its reason.

Run: ``python tools/gen_cfn_names.py`` (re-run after upgrading cfn-lint).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import cfnlint
from cfnlint.version import __version__ as CFN_LINT_VERSION

SCHEMAS = Path(cfnlint.__file__).parent / "data" / "schemas"
OUTPUT = (
    Path(__file__).resolve().parent.parent / "plugins" / "cloudformation" / "data" / "physical_names.json"
)

# type -> name property (None: the type has no physical name even if the heuristic finds one).
OVERRIDES: dict[str, str | None] = {
    # Renameable in place (so not create-only) but still a unique, account-wide identifier.
    "AWS::DMS::ReplicationInstance": "ReplicationInstanceIdentifier",
    "AWS::DMS::Endpoint": "EndpointIdentifier",
    "AWS::DMS::ReplicationTask": "ReplicationTaskIdentifier",
    "AWS::RDS::DBParameterGroup": "DBParameterGroupName",
    "AWS::RDS::DBClusterParameterGroup": "DBClusterParameterGroupName",
    "AWS::RDS::DBSubnetGroup": "DBSubnetGroupName",
    "AWS::ElastiCache::ReplicationGroup": "ReplicationGroupId",
    "AWS::ElastiCache::CacheCluster": "ClusterName",
    "AWS::ElastiCache::SubnetGroup": "CacheSubnetGroupName",
    "AWS::Elasticsearch::Domain": "DomainName",
    "AWS::OpenSearchService::Domain": "DomainName",
    "AWS::CodeCommit::Repository": "RepositoryName",
    # A Cognito hosted-UI prefix domain is globally unique (auth.<region>.amazoncognito.com).
    "AWS::Cognito::UserPoolDomain": "Domain",
    # Secrets Manager: the schema's identifier is the ARN; Name is the unique name.
    "AWS::SecretsManager::Secret": "Name",
    # SSM parameters: Name is unique per account and region.
    "AWS::SSM::Parameter": "Name",
    "AWS::ApiGateway::RestApi": None,  # names need not be unique; API ids are generated
    "AWS::ApiGateway::Stage": None,  # StageName is unique per API only
    "AWS::ApiGateway::Resource": None,
    "AWS::Lambda::Permission": None,
    "AWS::Lambda::Alias": None,  # unique per function only
    "AWS::Lambda::Version": None,
    # Scoped to a parent resource (a role, user, group, pool, cluster's task set): two deployments
    # collide only if the parent does, and the parent's own name is what IAC002 checks.
    "AWS::IAM::RolePolicy": None,
    "AWS::IAM::UserPolicy": None,
    "AWS::IAM::GroupPolicy": None,
    "AWS::Cognito::UserPoolGroup": None,
    # SAM types are not in the provider schemas (the transform expands them); their name properties
    # per the SAM specification.
    "AWS::Serverless::Function": "FunctionName",
    "AWS::Serverless::SimpleTable": "TableName",
    "AWS::Serverless::StateMachine": "Name",
    # The schema's identifier is KeyName, which the "names this resource" test misses (KeyPair).
    "AWS::EC2::KeyPair": "KeyName",
}

# "Id" is left out on purpose: ``*Id`` properties are nearly always references to other
# resources (``SourceIpamPoolId``, ``KeyId``); the few real ones are in OVERRIDES.
_SUFFIXES = ("Name", "Identifier")


def _names_this_resource(resource_type: str, prop: str) -> bool:
    if prop == "Name":
        return True
    short = resource_type.split("::")[-1].lower()
    for suffix in _SUFFIXES:
        if prop.endswith(suffix) and len(prop) > len(suffix):
            stem = prop[: -len(suffix)].lower()
            # QueueName/Queue, DBClusterIdentifier/DBCluster, GroupName/SecurityGroup,
            # ReplicationSubnetGroupIdentifier/ReplicationSubnetGroup; not SourceIpamPoolId/IPAMPool.
            if short.endswith(stem):
                return True
    return False


def _top(pointer: str) -> str | None:
    match = re.fullmatch(r"/properties/([A-Za-z0-9]+)", pointer)
    return match.group(1) if match else None


def _is_string(schema: dict, prop: str) -> bool:
    spec = schema.get("properties", {}).get(prop, {})
    kind = spec.get("type")
    if kind is None and "$ref" in spec:
        return True  # a definition; accept, the name test already filtered
    return kind == "string" or (isinstance(kind, list) and "string" in kind)


def derive(schema: dict, resource_type: str) -> str | None:
    read_only = {_top(p) for p in schema.get("readOnlyProperties", [])}
    create_only = [_top(p) for p in schema.get("createOnlyProperties", [])]
    primary = [_top(p) for p in schema.get("primaryIdentifier", [])]

    def ok(prop: str | None) -> bool:
        return (
            prop is not None
            and prop not in read_only
            and prop in schema.get("properties", {})
            and _is_string(schema, prop)
            and _names_this_resource(resource_type, prop)
        )

    if len(primary) == 1 and ok(primary[0]):
        return primary[0]
    candidates = [prop for prop in create_only if ok(prop)]
    # Prefer the most specific (<Type>Name over Name).
    candidates.sort(key=lambda prop: (prop == "Name", prop))
    return candidates[0] if candidates else None


def main() -> None:
    index = json.loads((SCHEMAS / "providers" / "us-east-1.json").read_text())
    table: dict[str, str] = {}
    for resource_type, digest in sorted(index.items()):
        path = SCHEMAS / "resources" / f"{digest}.json"
        if not path.is_file():
            continue
        schema = json.loads(path.read_text())
        name = derive(schema, resource_type)
        if name:
            table[resource_type] = name
    for resource_type, name in OVERRIDES.items():
        if name is None:
            table.pop(resource_type, None)
        else:
            table[resource_type] = name
    version = (
        json.loads((SCHEMAS / "version.json").read_text()) if (SCHEMAS / "version.json").is_file() else None
    )
    document = {
        "source": f"cfn-lint {CFN_LINT_VERSION} provider schemas "
        "(us-east-1) + tools/gen_cfn_names.py OVERRIDES",
        "schemas_version": version,
        "names": dict(sorted(table.items())),
    }
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(document, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(f"{len(table)} resource types with a physical-name property -> {OUTPUT}")


if __name__ == "__main__":
    main()
