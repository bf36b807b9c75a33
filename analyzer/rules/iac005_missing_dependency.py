"""IAC005 missing-dependency: orderings AWS needs that nothing in the code enforces.

The orderings are data (``analyzer/data/orderings.json``). Each entry names a dependent resource
type, a *relation* that finds the prerequisite resources related to one dependent resource, and
why the order matters. A relation yields *requirements*; each requirement is a list of
alternative prerequisites, and it is met when the graph orders at least one of them before the
dependent (a chain of references or explicit dependencies, :meth:`ResourceGraph.depends_on`).

Relation kinds, and exactly how "related" is decided:

``shared``
    The dependent refers, at one of ``dependent_paths``, to a resource X of one of ``via_types``
    (its internet gateway, bucket, function, REST API, target group); a prerequisite refers to the
    same X at one of its ``paths``.
``same_vpc``
    The dependent's VPC is found by following its references through network resources (subnets,
    security groups, instances, network interfaces, route tables) to an ``AWS::EC2::VPC``; a
    prerequisite refers to that VPC at one of its ``paths``.
``any``
    Every prerequisite of the given types in the project (account- or region-wide singletons such
    as the AWS Config recorder).
``role_grant``
    The dependent's role is the ``AWS::IAM::Role`` it refers to at ``role_paths`` (or, with
    ``through``, the role of the resource it refers to there: an event source mapping's function's
    role); prerequisites are the policy resources attached to that role separately (the graph's
    IAM grants), narrowed by ``grant`` when given (managed policy names, actions, or a reference to
    the resource the dependent uses). When the role itself already carries a matching policy, the
    requirement is met by the role.
``dms_role``
    The role DMS looks up by name (see IAC004) and the attachments that carry its managed policy.
``log_group``
    The ``AWS::Logs::LogGroup`` whose name is ``/aws/lambda/`` followed by the function's name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from analyzer.findings import Finding, Related, Severity
from analyzer.graph import EdgeKind, ResourceGraph
from analyzer.model import Literal, Project, Ref, Resource, Value, get_path, items_of, iter_refs, render
from analyzer.rules.base import Example, Rule, RuleContext
from analyzer.rules.iac004_dms_role_name import dms_role_uses
from analyzer.rules.iac013_account_singleton import conditional

_DATA = Path(__file__).resolve().parent.parent / "data" / "orderings.json"

_VPC = "AWS::EC2::VPC"
_ROLE = "AWS::IAM::Role"
# Resources whose references lead to the VPC they live in (Subnet.VpcId, SecurityGroup.VpcId,
# Instance.SubnetId, NetworkInterface.SubnetId, RouteTable.VpcId).
_NETWORK_TYPES = frozenset(
    {
        "AWS::EC2::Subnet",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::Instance",
        "AWS::EC2::NetworkInterface",
        "AWS::EC2::RouteTable",
        _VPC,
    }
)
_NETWORK_DEPTH = 3

# How to add the ordering, by the project's platform (a lookup, not a branch per platform).
_FIX_BY_PLATFORM: Mapping[str, str] = {
    "cloudformation": "add `DependsOn: [{prerequisites}]` to '{dependent}'",
    "pulumi": "list the {quoted} resource(s) in `depends_on=[...]` of the `opts=pulumi.ResourceOptions(...)` "
    "of '{dependent}'",
    "cdk": "call `.node.add_dependency(...)` on '{dependent}' with the {quoted} construct(s)",
}
_FIX_NEUTRAL = (
    "add DependsOn: [{prerequisites}] (CloudFormation), depends_on=[{prerequisites}] in ResourceOptions "
    "(Pulumi), or node.add_dependency({prerequisites}) (CDK) to '{dependent}'"
)


# -- the table -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ordering:
    id: str
    dependent_types: tuple[str, ...]
    dependent_when: tuple[Mapping[str, Any], ...]
    relation: Mapping[str, Any]
    severity: Severity
    escalate: Severity | None
    reason: str
    error: str
    source: str


@dataclass(frozen=True, slots=True)
class ImplicitOrdering:
    """Prerequisites a platform orders by itself although the code shows no ordering."""

    prerequisite_suffix: str
    unless_dependent_contains: str

    def covers(self, dependent: Resource, prerequisite: Resource) -> bool:
        return prerequisite.source_type.endswith(self.prerequisite_suffix) and (
            self.unless_dependent_contains not in dependent.source_type
        )


@cache
def _raw() -> Mapping[str, Any]:
    return json.loads(_DATA.read_text(encoding="utf-8"))


@cache
def implicit_orderings() -> tuple[ImplicitOrdering, ...]:
    return tuple(
        ImplicitOrdering(
            entry["prerequisite_source_type_suffix"], entry["unless_dependent_source_type_contains"]
        )
        for entry in _raw().get("implicit", ())
    )


@cache
def orderings() -> tuple[Ordering, ...]:
    raw = _raw()
    return tuple(
        Ordering(
            id=entry["id"],
            dependent_types=tuple(entry["dependent"]["types"]),
            dependent_when=tuple(entry["dependent"].get("when", ())),
            relation=entry["relation"],
            severity=Severity.parse(entry["severity"]),
            escalate=Severity.parse(entry["escalate"]) if "escalate" in entry else None,
            reason=entry["reason"],
            error=entry["error"],
            source=entry["source"],
        )
        for entry in raw["orderings"]
    )


# -- paths and conditions --------------------------------------------------------------------------


@cache
def _path_pattern(pattern: str) -> re.Pattern[str]:
    if pattern == "**":
        return re.compile(r".*")
    text = re.escape(pattern.lower()).replace(r"\[\*\]", r"\[\d+\]").replace(r"\*", r"[^.]*")
    return re.compile(f"^{text}$")


def _path_matches(path: str, patterns: Sequence[str]) -> bool:
    lowered = path.lower()
    return any(_path_pattern(pattern).match(lowered) for pattern in patterns)


def _prop(resource: Resource, dotted: str) -> Value | None:
    """The value at a dotted path (keys compared case-insensitively); ``*`` steps into every list
    element and gives the first element that has the rest of the path."""
    found = _walk(Literal(dict(resource.properties)), dotted.split("."))
    return found[0] if found else None


def _walk(value: Value | None, steps: list[str]) -> list[Value]:
    if value is None:
        return []
    if not steps:
        return [value]
    head, rest = steps[0], steps[1:]
    if head == "*":
        return [found for item in items_of(value) if item is not value for found in _walk(item, rest)]
    if isinstance(value, Literal) and isinstance(value.value, dict):
        for key, inner in value.value.items():
            if key.lower() == head.lower():
                return _walk(inner, rest)
    return []


def condition_holds(resource: Resource, condition: Mapping[str, Any]) -> bool | None:
    """True/False when the condition is decided; None when the value is not known.

    Forms: ``{"any": [conditions]}``; ``{"path", "present": bool}``; ``{"path", "in"|"not_in": [...],
    "absent": bool}`` on a known scalar; ``{"path", "matches": regex}`` on the rendered value (an
    assembled ``logs.${AWS::Region}.amazonaws.com`` still matches ``logs\\.[^.]+\\.amazonaws\\.com``)."""
    if "any" in condition:
        results = [condition_holds(resource, inner) for inner in condition["any"]]
        return True if True in results else (None if None in results else False)
    value = _prop(resource, condition["path"])
    if value is None or (isinstance(value, Literal) and value.value in (None, (), {})):
        if "present" in condition:
            return not condition["present"]
        return bool(condition.get("absent", False))
    if "present" in condition:
        return bool(condition["present"])
    if "matches" in condition:
        if isinstance(value, Literal) and not isinstance(value.value, str):
            return False
        text = render(value)
        if re.fullmatch(condition["matches"], text, re.IGNORECASE):
            return True
        return False if isinstance(value, Literal) else None
    if not isinstance(value, Literal) or not isinstance(value.value, (str, bool, int)):
        return None
    text = render(value).strip().lower()  # booleans compare as "true"/"false" (Pulumi's internal=True)
    if "in" in condition:
        return text in {option.lower() for option in condition["in"]}
    if "not_in" in condition:
        return text not in {option.lower() for option in condition["not_in"]}
    return None


def _all_hold(resource: Resource, conditions: Iterable[Mapping[str, Any]]) -> bool:
    return all(condition_holds(resource, condition) is True for condition in conditions)


def _type_matches(resource_type: str, patterns: Sequence[str]) -> bool:
    return any(
        resource_type == pattern or (pattern.endswith("*") and resource_type.startswith(pattern[:-1]))
        for pattern in patterns
    )


# -- relations -------------------------------------------------------------------------------------

Requirement = list[Resource]  # alternatives: one of them ordered first is enough


class _Scope:
    """The project and graph, with the indexes and caches the relations share during one check."""

    def __init__(self, project: Project, graph: ResourceGraph) -> None:
        self.project = project
        self.graph = graph
        self._by_type: dict[str, list[Resource]] = {}
        for resource in project.resources:
            self._by_type.setdefault(resource.type, []).append(resource)
        self._refs: dict[str, list[tuple[str, Ref]]] = {}
        self._vpcs: dict[str, set[str]] = {}
        self._cache: dict[Any, Any] = {}

    def resource(self, resource_id: str) -> Resource | None:
        return self.project.resource(resource_id)

    def of_types(self, patterns: Sequence[str]) -> list[Resource]:
        found: list[Resource] = []
        for resource_type, resources in self._by_type.items():
            if _type_matches(resource_type, patterns):
                found.extend(resources)
        return found

    def selected(self, selector: Mapping[str, Any]) -> list[Resource]:
        return [r for r in self.of_types(selector["types"]) if _all_hold(r, selector.get("when", ()))]

    def refs(self, resource: Resource, patterns: Sequence[str]) -> list[Ref]:
        """References ``resource`` makes at property paths matching ``patterns``."""
        if resource.id not in self._refs:
            self._refs[resource.id] = [
                (path, ref)
                for name, value in resource.properties.items()
                for path, ref in iter_refs(value, name)
                if ref.resource != resource.id
            ]
        return [ref for path, ref in self._refs[resource.id] if _path_matches(path, patterns)]

    def cached(self, key: Any, compute: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]


def _shared(scope: _Scope, dependent: Resource, relation: Mapping[str, Any]) -> list[Requirement]:
    via = relation.get("via_types")
    shared = {
        ref.resource
        for ref in scope.refs(dependent, relation["dependent_paths"])
        if (target := scope.resource(ref.resource)) is not None and (via is None or target.type in via)
    }
    if not shared:
        return []
    candidates = [
        r
        for selector in relation["prerequisites"]
        for r in scope.selected(selector)
        if r.id != dependent.id
        and any(ref.resource in shared for ref in scope.refs(r, selector.get("paths", ["**"])))
    ]
    return [candidates] if candidates else []


def _vpcs_of(scope: _Scope, resource: Resource) -> set[str]:
    """The VPCs reached from ``resource`` through network resources (at most a few hops)."""
    return scope.cached(("vpcs", resource.id), lambda: _walk_to_vpcs(scope, resource))


def _walk_to_vpcs(scope: _Scope, resource: Resource) -> set[str]:
    found: set[str] = set()
    frontier, seen = [resource.id], {resource.id}
    for _ in range(_NETWORK_DEPTH):
        following: list[str] = []
        for node in frontier:
            for edge in scope.graph.edges(EdgeKind.REFERENCE, source=node):
                target = scope.resource(edge.target)
                if target is None or target.type not in _NETWORK_TYPES or edge.target in seen:
                    continue
                seen.add(edge.target)
                if target.type == _VPC:
                    found.add(target.id)
                else:
                    following.append(target.id)
        frontier = following
    return found


def _same_vpc(scope: _Scope, dependent: Resource, relation: Mapping[str, Any]) -> list[Requirement]:
    vpcs = _vpcs_of(scope, dependent)
    if not vpcs:
        return []
    candidates = [
        r
        for selector in relation["prerequisites"]
        for r in scope.selected(selector)
        if any(ref.resource in vpcs for ref in scope.refs(r, selector.get("paths", ["**"])))
    ]
    return [candidates] if candidates else []


def _any(scope: _Scope, dependent: Resource, relation: Mapping[str, Any]) -> list[Requirement]:
    candidates = [
        r for selector in relation["prerequisites"] for r in scope.selected(selector) if r.id != dependent.id
    ]
    return [candidates] if candidates else []


def _roles_of(scope: _Scope, dependent: Resource, relation: Mapping[str, Any]) -> list[Resource]:
    targets = [scope.resource(ref.resource) for ref in scope.refs(dependent, relation["role_paths"])]
    if "through" in relation:
        targets = [
            scope.resource(ref.resource)
            for middle in targets
            if middle is not None
            for ref in scope.refs(middle, relation["through"])
        ]
    return [t for t in targets if t is not None and t.type == _ROLE]


def _statement_actions(document: Value | None) -> list[str]:
    actions: list[str] = []
    if not isinstance(document, Literal) or not isinstance(document.value, dict):
        return actions
    for statement in items_of(document.value.get("Statement")):
        if isinstance(statement, Literal) and isinstance(statement.value, dict):
            for action in items_of(statement.value.get("Action")):
                if isinstance(action, Literal) and isinstance(action.value, str):
                    actions.append(action.value)
    return actions


def _action_covers(granted: str, wanted: str) -> bool:
    pattern = re.escape(granted.lower()).replace(r"\*", ".*").replace(r"\?", ".")
    return re.fullmatch(pattern, wanted.lower()) is not None


def _policy_values(scope: _Scope, holder: Resource) -> tuple[list[Value], list[Value]]:
    """(managed policy ARNs, policy documents) a role or a policy resource carries."""
    arns = list(items_of(holder.prop("ManagedPolicyArns"))) + list(items_of(holder.prop("PolicyArn")))
    documents: list[Value] = [v for v in (holder.prop("PolicyDocument"),) if v is not None]
    for policy in items_of(holder.prop("Policies")):
        document = get_path(policy, "PolicyDocument")
        if document is not None:
            documents.append(document)
    for arn in list(arns):
        if isinstance(arn, Ref) and (managed := scope.resource(arn.resource)) is not None:
            documents.extend(v for v in (managed.prop("PolicyDocument"),) if v is not None)
    return arns, documents


def _grant_matches(scope: _Scope, holder: Resource, grant: Mapping[str, Any], mentioned: set[str]) -> bool:
    arns, documents = _policy_values(scope, holder)
    for name in grant.get("managed_policies", ()):
        pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])")
        if any(pattern.search(render(arn)) for arn in arns):
            return True
    wanted = grant.get("actions", ())
    for document in documents:
        if any(
            _action_covers(granted, action) for granted in _statement_actions(document) for action in wanted
        ):
            return True
        if mentioned and any(ref.resource in mentioned for _, ref in iter_refs(document)):
            return True
    return False


def _role_grant(scope: _Scope, dependent: Resource, relation: Mapping[str, Any]) -> list[Requirement]:
    grant = relation.get("grant")
    mentioned = (
        {ref.resource for ref in scope.refs(dependent, grant.get("mentions_paths", ()))} if grant else set()
    )
    requirements: list[Requirement] = []
    for role in _roles_of(scope, dependent, relation):
        if grant is not None and _grant_matches(scope, role, grant, mentioned):
            continue  # the role carries the permission itself and is created with it
        attached = [scope.resource(policy_id) for policy_id in scope.graph.grants_to(role.id)]
        candidates = [
            policy
            for policy in attached
            if policy is not None
            and policy.id != dependent.id
            and (grant is None or _grant_matches(scope, policy, grant, mentioned))
        ]
        if candidates:
            requirements.append(candidates)
    return requirements


def _dms_role(scope: _Scope, dependent: Resource, relation: Mapping[str, Any]) -> list[Requirement]:
    all_uses = scope.cached("dms", lambda: dms_role_uses(scope.project))
    uses = [u for u in all_uses if u.spec.name == relation["role_name"]]
    if not uses:
        return []
    requirements: list[Requirement] = [[use.role for use in uses]]
    requirements.extend([attachment] for use in uses for attachment in use.attachments)
    return requirements


def _log_group(scope: _Scope, dependent: Resource, relation: Mapping[str, Any]) -> list[Requirement]:
    prefix = relation["prefix"]
    own_name = render(dependent.name) if dependent.name is not None else None
    candidates = [
        group
        for group, text, mentioned in scope.cached(
            ("log_groups", prefix), lambda: _log_group_names(scope, prefix)
        )
        if (dependent.id in mentioned) or (own_name is not None and text == prefix + own_name)
    ]
    return [candidates] if candidates else []


def _log_group_names(scope: _Scope, prefix: str) -> list[tuple[Resource, str, set[str]]]:
    """Log groups named under ``prefix``: (group, rendered name, resources the name refers to)."""
    found: list[tuple[Resource, str, set[str]]] = []
    for group in scope.of_types(["AWS::Logs::LogGroup"]):
        name = group.prop("LogGroupName")
        text = render(name) if name is not None else ""
        if text.startswith(prefix):
            found.append((group, text, {ref.resource for _, ref in iter_refs(name)}))
    return found


_RELATIONS = {
    "shared": _shared,
    "same_vpc": _same_vpc,
    "any": _any,
    "role_grant": _role_grant,
    "dms_role": _dms_role,
    "log_group": _log_group,
}


def _invoked_during_deployment(scope: _Scope, resource: Resource, relation: Mapping[str, Any]) -> bool:
    invokers = relation.get("invokers")
    if not invokers:
        return False
    paths = relation.get("invoker_paths", ["**"])
    invoked = scope.cached(
        ("invoked", tuple(invokers), tuple(paths)),
        lambda: {ref.resource for other in scope.of_types(invokers) for ref in scope.refs(other, paths)},
    )
    return resource.id in invoked


# -- the rule --------------------------------------------------------------------------------------


class MissingDependency(Rule):
    """
    ## What it does
    Checks orderings that AWS needs at creation time but that nothing in the code enforces: for
    each pair in a table of "B must be created after the related A" (with the reason and the AWS
    source), it reports B when no chain of references or explicit dependencies orders A first.
    Pulumi `depends_on`, CDK `node.add_dependency` and CloudFormation `DependsOn` all count.

    Covered: DMS subnet groups and instances after the `dms-vpc-role` and its policy attachment;
    internet-facing load balancers, Elastic IPs, NAT gateways and routes to an internet gateway
    after the VPC's gateway attachment; AWS Config delivery channels and rules after the
    configuration recorder; a CloudTrail trail after its bucket policy and its log role's policy; a
    Secrets Manager rotation schedule, a custom Config rule, or a bucket notification after the
    `AWS::Lambda::Permission` that lets the service invoke the function; a WAF association after the
    API stage; an API Gateway deployment after its methods; a stage after its deployment; an ECS
    service with a load balancer after the listener; an event source mapping, a VPC or dead-letter
    function, a logging state machine, an RDS instance with enhanced monitoring after the
    separately attached role policy they need; a function after its explicit log group. Warnings
    (documented, not yet seen failing in this layout): API Gateway logging after the account's
    CloudWatch role, subscription filters and Lambda target groups after their Lambda permission,
    load-balancer access logs after the bucket policy, S3 notifications to queues and topics after
    their policies, HTTP API deployments after routes, EKS node groups, Firehose and subscription
    filter roles after their policies. Only resources that are really related are compared: the
    same internet gateway, VPC, bucket, function, API, target group or role (see the module
    documentation for the exact relations); an ordering the platform makes itself (a CDK L2
    construct waits for its role's DefaultPolicy) counts as present, and a resource that waits for
    something the analysis cannot see into (a Pulumi component, a CDK construct) is not reported.
    Neither is a CloudFormation resource on either side of a pair whose `Condition` may be false
    when every parameter keeps its default: the default deployment does not create it, and a
    `DependsOn` on a resource that is not created fails the template.

    ## Why is this bad
    Without an ordering the deployment tool creates both at once, and AWS rejects the dependent
    resource because its prerequisite is not there yet: `The IAM Role ...dms-vpc-role is not
    configured properly`, `Unable to validate the following destination configurations`,
    `NoAvailableConfigurationRecorderException`, `The target group ... does not have an associated
    load balancer`. These failures are often intermittent, which makes them worse.

    ## Example
    ```python
    dms_vpc_role = aws.iam.Role("dms-vpc-role", name="dms-vpc-role", ...)
    aws.dms.ReplicationSubnetGroup("dms-subnets", subnet_ids=subnet_ids)
    ```

    ## Use instead
    ```python
    dms_vpc_role = aws.iam.Role("dms-vpc-role", name="dms-vpc-role", ...)
    aws.dms.ReplicationSubnetGroup(
        "dms-subnets",
        subnet_ids=subnet_ids,
        opts=pulumi.ResourceOptions(depends_on=[dms_vpc_role]),
    )
    ```
    (`DependsOn: DmsVpcRole` in CloudFormation, `subnet_group.node.add_dependency(role)` in CDK.)
    """

    id = "IAC005"
    name = "missing-dependency"
    severity = Severity.ERROR
    summary = "a resource AWS creates only after another related resource has no ordering on it"
    tags = ("ordering", "deploy-failure")
    VALID = [
        Example.cfn_yaml(
            """
            Resources:
              Vpc:
                Type: AWS::EC2::VPC
                Properties:
                  CidrBlock: 10.0.0.0/16
              Igw:
                Type: AWS::EC2::InternetGateway
              Attach:
                Type: AWS::EC2::VPCGatewayAttachment
                Properties:
                  VpcId: !Ref Vpc
                  InternetGatewayId: !Ref Igw
              PublicRoutes:
                Type: AWS::EC2::RouteTable
                Properties:
                  VpcId: !Ref Vpc
              DefaultRoute:
                Type: AWS::EC2::Route
                DependsOn: Attach
                Properties:
                  RouteTableId: !Ref PublicRoutes
                  DestinationCidrBlock: 0.0.0.0/0
                  GatewayId: !Ref Igw
            """,
            title="route after the gateway attachment",
        ),
        Example.cfn_yaml(
            """
            Resources:
              TrailBucket:
                Type: AWS::S3::Bucket
              TrailBucketPolicy:
                Type: AWS::S3::BucketPolicy
                Properties:
                  Bucket: !Ref TrailBucket
                  PolicyDocument:
                    Statement:
                      - Effect: Allow
                        Principal: {Service: cloudtrail.amazonaws.com}
                        Action: s3:PutObject
                        Resource: !Sub "${TrailBucket.Arn}/AWSLogs/${AWS::AccountId}/*"
              Trail:
                Type: AWS::CloudTrail::Trail
                DependsOn: [TrailBucketPolicy]
                Properties:
                  IsLogging: true
                  S3BucketName: !Ref TrailBucket
            """,
        ),
        Example.cfn_json(
            """
            {
              "Resources": {
                "Recorder": {
                  "Type": "AWS::Config::ConfigurationRecorder",
                  "Properties": {"RoleARN": "arn:aws:iam::123456789012:role/config"}
                },
                "Channel": {
                  "Type": "AWS::Config::DeliveryChannel",
                  "DependsOn": "Recorder",
                  "Properties": {"S3BucketName": "config-bucket"}
                },
                "Rule": {
                  "Type": "AWS::Config::ConfigRule",
                  "DependsOn": ["Recorder"],
                  "Properties": {"Source": {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_VERSIONING_ENABLED"}}
                }
              }
            }
            """,
        ),
        Example.cfn_yaml(
            """
            Resources:
              Handler:
                Type: AWS::Lambda::Function
                Properties:
                  Runtime: python3.12
                  Handler: index.handler
                  Role: arn:aws:iam::123456789012:role/handler
                  Code:
                    ZipFile: "def handler(event, context): return None"
              S3InvokePermission:
                Type: AWS::Lambda::Permission
                Properties:
                  FunctionName: !Ref Handler
                  Action: lambda:InvokeFunction
                  Principal: s3.amazonaws.com
                  SourceArn: arn:aws:s3:::uploads-bucket
              Uploads:
                Type: AWS::S3::Bucket
                DependsOn: S3InvokePermission
                Properties:
                  NotificationConfiguration:
                    LambdaConfigurations:
                      - Event: s3:ObjectCreated:*
                        Function: !GetAtt Handler.Arn
            """,
        ),
        Example.cfn_yaml(
            """
            Resources:
              Vpc:
                Type: AWS::EC2::VPC
                Properties:
                  CidrBlock: 10.0.0.0/16
              Attach:
                Type: AWS::EC2::VPCGatewayAttachment
                Properties:
                  VpcId: !Ref Vpc
                  InternetGatewayId: igw-0123456789abcdef0
              Subnet:
                Type: AWS::EC2::Subnet
                Properties:
                  VpcId: !Ref Vpc
                  CidrBlock: 10.0.1.0/24
              InternalAlb:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties:
                  Scheme: internal
                  Subnets: [!Ref Subnet]
            """,
            title="an internal load balancer needs no internet gateway",
        ),
        Example.pulumi(
            """
            import json

            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    self.dms_vpc_role = aws.iam.Role(
                        "dms-vpc-role",
                        name="dms-vpc-role",
                        assume_role_policy=json.dumps({
                            "Statement": [{"Effect": "Allow", "Principal": {"Service": "dms.amazonaws.com"},
                                           "Action": "sts:AssumeRole"}],
                        }),
                        managed_policy_arns=["arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole"],
                        opts=pulumi.ResourceOptions(parent=self),
                    )
                    aws.dms.ReplicationSubnetGroup(
                        f"dms-subnets-{args.environment_suffix}",
                        replication_subnet_group_id=f"dms-subnets-{args.environment_suffix}",
                        replication_subnet_group_description="dms",
                        subnet_ids=["subnet-1", "subnet-2"],
                        opts=pulumi.ResourceOptions(parent=self, depends_on=[self.dms_vpc_role]),
                    )
            """,
            title="seed 002 fixed",
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    vpc = aws.ec2.Vpc(f"vpc-{args.environment_suffix}", cidr_block="10.0.0.0/16")
                    igw = aws.ec2.InternetGateway(f"igw-{args.environment_suffix}", vpc_id=vpc.id)
                    table = aws.ec2.RouteTable(f"public-{args.environment_suffix}", vpc_id=vpc.id)
                    aws.ec2.Route(
                        f"default-{args.environment_suffix}",
                        route_table_id=table.id,
                        destination_cidr_block="0.0.0.0/0",
                        gateway_id=igw.id,
                    )
            """,
            title="Pulumi's InternetGateway(vpc_id=...) is attached when created; the route refers to it",
        ),
        Example.pulumi(
            """
            import json

            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    role = aws.iam.Role(
                        f"fn-role-{args.environment_suffix}",
                        assume_role_policy=json.dumps({
                            "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                           "Action": "sts:AssumeRole"}],
                        }),
                    )
                    vpc_access = aws.iam.RolePolicyAttachment(
                        f"fn-vpc-{args.environment_suffix}",
                        role=role.name,
                        policy_arn="arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
                    )
                    aws.lambda_.Function(
                        f"fn-{args.environment_suffix}",
                        role=role.arn,
                        runtime="python3.12",
                        handler="index.handler",
                        code=pulumi.AssetArchive({"index.py": pulumi.StringAsset("def handler(e, c): pass")}),
                        vpc_config=aws.lambda_.FunctionVpcConfigArgs(
                            subnet_ids=["subnet-1"], security_group_ids=["sg-1"]
                        ),
                        opts=pulumi.ResourceOptions(depends_on=[vpc_access]),
                    )
            """,
        ),
        Example.cdk(
            """
            import aws_cdk as cdk
            from aws_cdk import aws_ec2 as ec2
            from constructs import Construct


            class TapStackProps(cdk.StackProps):
                def __init__(self, environment_suffix: str | None = None, **kwargs):
                    super().__init__(**kwargs)
                    self.environment_suffix = environment_suffix


            class TapStack(cdk.Stack):
                def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    vpc = ec2.CfnVPC(self, "Vpc", cidr_block="10.0.0.0/16")
                    igw = ec2.CfnInternetGateway(self, "Igw")
                    attach = ec2.CfnVPCGatewayAttachment(
                        self, "Attach", vpc_id=vpc.ref, internet_gateway_id=igw.ref
                    )
                    table = ec2.CfnRouteTable(self, "Public", vpc_id=vpc.ref)
                    route = ec2.CfnRoute(
                        self,
                        "Default",
                        route_table_id=table.ref,
                        destination_cidr_block="0.0.0.0/0",
                        gateway_id=igw.ref,
                    )
                    route.node.add_dependency(attach)
            """,
        ),
    ]
    INVALID = [
        Example.cfn_yaml(
            """
            Resources:
              Vpc:
                Type: AWS::EC2::VPC
                Properties:
                  CidrBlock: 10.0.0.0/16
              Igw:
                Type: AWS::EC2::InternetGateway
              Attach:
                Type: AWS::EC2::VPCGatewayAttachment
                Properties:
                  VpcId: !Ref Vpc
                  InternetGatewayId: !Ref Igw
              PublicRoutes:
                Type: AWS::EC2::RouteTable
                Properties:
                  VpcId: !Ref Vpc
              DefaultRoute:  # expect: IAC005
                Type: AWS::EC2::Route
                Properties:
                  RouteTableId: !Ref PublicRoutes
                  DestinationCidrBlock: 0.0.0.0/0
                  GatewayId: !Ref Igw
            """,
            title="route to the gateway before it is attached",
        ),
        Example.cfn_yaml(
            """
            Resources:
              TrailBucket:
                Type: AWS::S3::Bucket
              TrailBucketPolicy:
                Type: AWS::S3::BucketPolicy
                Properties:
                  Bucket: !Ref TrailBucket
                  PolicyDocument:
                    Statement:
                      - Effect: Allow
                        Principal: {Service: cloudtrail.amazonaws.com}
                        Action: s3:PutObject
                        Resource: !Sub "${TrailBucket.Arn}/AWSLogs/${AWS::AccountId}/*"
              Trail:  # expect: IAC005
                Type: AWS::CloudTrail::Trail
                Properties:
                  IsLogging: true
                  S3BucketName: !Ref TrailBucket
            """,
        ),
        Example.cfn_json(
            """
            {
              "Resources": {
                "Recorder": {
                  "Type": "AWS::Config::ConfigurationRecorder",
                  "Properties": {"RoleARN": "arn:aws:iam::123456789012:role/config"}
                },
                "Channel": { // expect: IAC005
                  "Type": "AWS::Config::DeliveryChannel",
                  "Properties": {"S3BucketName": "config-bucket"}
                },
                "Rule": { // expect: IAC005
                  "Type": "AWS::Config::ConfigRule",
                  "Properties": {"Source": {"Owner": "AWS", "SourceIdentifier": "S3_BUCKET_VERSIONING_ENABLED"}}
                }
              }
            }
            """,
        ),
        Example.cfn_yaml(
            """
            Resources:
              Handler:
                Type: AWS::Lambda::Function
                Properties:
                  Runtime: python3.12
                  Handler: index.handler
                  Role: arn:aws:iam::123456789012:role/handler
                  Code:
                    ZipFile: "def handler(event, context): return None"
              S3InvokePermission:
                Type: AWS::Lambda::Permission
                Properties:
                  FunctionName: !Ref Handler
                  Action: lambda:InvokeFunction
                  Principal: s3.amazonaws.com
                  SourceArn: arn:aws:s3:::uploads-bucket
              Uploads:  # expect: IAC005
                Type: AWS::S3::Bucket
                Properties:
                  NotificationConfiguration:
                    LambdaConfigurations:
                      - Event: s3:ObjectCreated:*
                        Function: !GetAtt Handler.Arn
            """,
        ),
        Example.cfn_yaml(
            """
            Resources:
              TargetGroup:
                Type: AWS::ElasticLoadBalancingV2::TargetGroup
                Properties:
                  Port: 80
                  Protocol: HTTP
                  TargetType: ip
                  VpcId: vpc-0123456789abcdef0
              Listener:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties:
                  LoadBalancerArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/y
                  Port: 80
                  Protocol: HTTP
                  DefaultActions:
                    - Type: forward
                      TargetGroupArn: !Ref TargetGroup
              Service:  # expect: IAC005
                Type: AWS::ECS::Service
                Properties:
                  Cluster: default
                  TaskDefinition: web:1
                  LoadBalancers:
                    - ContainerName: web
                      ContainerPort: 80
                      TargetGroupArn: !Ref TargetGroup
            """,
        ),
        Example.cfn_yaml(
            """
            Resources:
              Api:
                Type: AWS::ApiGateway::RestApi
                Properties:
                  Name: orders
              GetOrders:
                Type: AWS::ApiGateway::Method
                Properties:
                  RestApiId: !Ref Api
                  ResourceId: !GetAtt Api.RootResourceId
                  HttpMethod: GET
                  AuthorizationType: NONE
                  Integration:
                    Type: MOCK
              Deployment:  # expect: IAC005
                Type: AWS::ApiGateway::Deployment
                Properties:
                  RestApiId: !Ref Api
            """,
        ),
        Example.pulumi(
            """
            import json

            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    self.dms_vpc_role = aws.iam.Role(
                        "dms-vpc-role",
                        name="dms-vpc-role",
                        assume_role_policy=json.dumps({
                            "Statement": [{"Effect": "Allow", "Principal": {"Service": "dms.amazonaws.com"},
                                           "Action": "sts:AssumeRole"}],
                        }),
                        managed_policy_arns=["arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole"],
                        opts=pulumi.ResourceOptions(parent=self),
                    )
                    self.dms_subnet_group = aws.dms.ReplicationSubnetGroup(  # expect: IAC005
                        f"dms-subnets-{args.environment_suffix}",
                        replication_subnet_group_id=f"dms-subnets-{args.environment_suffix}",
                        replication_subnet_group_description="dms",
                        subnet_ids=["subnet-1", "subnet-2"],
                        opts=pulumi.ResourceOptions(parent=self),
                    )
            """,
            title="seed 002: subnet group races the dms-vpc-role",
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    vpc = aws.ec2.Vpc(f"vpc-{args.environment_suffix}", cidr_block="10.0.0.0/16")
                    aws.ec2.InternetGateway(f"igw-{args.environment_suffix}", vpc_id=vpc.id)
                    subnet = aws.ec2.Subnet(f"public-{args.environment_suffix}", vpc_id=vpc.id, cidr_block="10.0.1.0/24")
                    aws.lb.LoadBalancer(  # expect: IAC005
                        f"alb-{args.environment_suffix}",
                        load_balancer_type="application",
                        subnets=[subnet.id],
                    )
            """,
            title="internet-facing load balancer before the internet gateway",
        ),
        Example.pulumi(
            """
            import json

            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    role = aws.iam.Role(
                        f"fn-role-{args.environment_suffix}",
                        assume_role_policy=json.dumps({
                            "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                                           "Action": "sts:AssumeRole"}],
                        }),
                    )
                    aws.iam.RolePolicyAttachment(
                        f"fn-vpc-{args.environment_suffix}",
                        role=role.name,
                        policy_arn="arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
                    )
                    aws.lambda_.Function(  # expect: IAC005
                        f"fn-{args.environment_suffix}",
                        role=role.arn,
                        runtime="python3.12",
                        handler="index.handler",
                        code=pulumi.AssetArchive({"index.py": pulumi.StringAsset("def handler(e, c): pass")}),
                        vpc_config=aws.lambda_.FunctionVpcConfigArgs(
                            subnet_ids=["subnet-1"], security_group_ids=["sg-1"]
                        ),
                    )
            """,
            title="VPC function before its VPC-access policy attachment",
        ),
        Example.cdk(
            """
            import aws_cdk as cdk
            from aws_cdk import aws_ec2 as ec2
            from constructs import Construct


            class TapStackProps(cdk.StackProps):
                def __init__(self, environment_suffix: str | None = None, **kwargs):
                    super().__init__(**kwargs)
                    self.environment_suffix = environment_suffix


            class TapStack(cdk.Stack):
                def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    vpc = ec2.CfnVPC(self, "Vpc", cidr_block="10.0.0.0/16")
                    igw = ec2.CfnInternetGateway(self, "Igw")
                    ec2.CfnVPCGatewayAttachment(self, "Attach", vpc_id=vpc.ref, internet_gateway_id=igw.ref)
                    table = ec2.CfnRouteTable(self, "Public", vpc_id=vpc.ref)
                    ec2.CfnRoute(  # expect: IAC005
                        self,
                        "Default",
                        route_table_id=table.ref,
                        destination_cidr_block="0.0.0.0/0",
                        gateway_id=igw.ref,
                    )
            """,
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        scope = _Scope(ctx.project, ctx.graph)
        for ordering in orderings():
            relate = _RELATIONS[ordering.relation["kind"]]
            for dependent in scope.of_types(ordering.dependent_types):
                if not _all_hold(dependent, ordering.dependent_when) or conditional(dependent):
                    continue  # a resource the default deployment may not create races with nothing
                missing = _unmet(scope, dependent, relate(scope, dependent, ordering.relation))
                # A DependsOn on a resource that may not exist fails the template, so a prerequisite
                # under a Condition the default deployment may not meet is not asked for.
                missing = [prerequisite for prerequisite in missing if not conditional(prerequisite)]
                if missing and not _ordering_unknown(scope, dependent):
                    yield self._report(scope, ordering, dependent, missing)

    def _report(
        self, scope: _Scope, ordering: Ordering, dependent: Resource, missing: list[Resource]
    ) -> Finding:
        names = ", ".join(f"{r.type} '{r.id}' ({r.location})" for r in missing)
        message = (
            f"{dependent.type} '{dependent.id}' is not ordered after {names}: {ordering.reason}. "
            f"Created at the same time it can fail with '{ordering.error}' (source: {ordering.source})"
        )
        severity = ordering.severity
        if ordering.escalate is not None and _invoked_during_deployment(scope, dependent, ordering.relation):
            severity = ordering.escalate
        return self.finding(
            message,
            dependent.location,
            _fix_hint(scope, dependent, missing),
            resource=dependent.id,
            key=f"{ordering.id}:" + ",".join(r.id for r in missing),
            related=[Related(r.location, f"prerequisite {r.type} '{r.id}'") for r in missing],
            severity=severity,
        )


def _ordering_unknown(scope: _Scope, dependent: Resource) -> bool:
    """Whether ``dependent`` (or anything it waits for) declares a dependency on something that is
    not a resource of the project: a Pulumi component, a CDK construct, a stack. That waits for
    resources the model cannot list, so a missing ordering cannot be told apart from a hidden one."""

    def compute() -> bool:
        waiting = [dependent.id, *scope.graph.dependencies_of(dependent.id)]
        return any(
            scope.resource(dependency.target) is None
            for resource_id in waiting
            if (resource := scope.resource(resource_id)) is not None
            for dependency in resource.depends_on
        ) or any(  # a plugin could not resolve some depends_on entry (Pulumi: computed lists)
            (resource := scope.resource(resource_id)) is not None and "depends_on_unknown" in resource.options
            for resource_id in waiting
        )

    return scope.cached(("unknown-order", dependent.id), compute)


def _unmet(scope: _Scope, dependent: Resource, requirements: list[Requirement]) -> list[Resource]:
    """The prerequisites of every requirement that no ordering meets (empty when all are met)."""
    missing: list[Resource] = []
    implicit = implicit_orderings()
    for alternatives in requirements:
        if any(
            scope.graph.depends_on(dependent.id, r.id) or any(rule.covers(dependent, r) for rule in implicit)
            for r in alternatives
        ):
            continue
        missing.extend(r for r in alternatives if r not in missing)
    return missing


def _fix_hint(scope: _Scope, dependent: Resource, missing: list[Resource]) -> str:
    template = _FIX_BY_PLATFORM.get(scope.project.platform, _FIX_NEUTRAL)
    hint = template.format(
        prerequisites=", ".join(r.id for r in missing),
        quoted=", ".join(f"'{r.id}'" for r in missing),
        dependent=dependent.id,
    )
    cycles = [r for r in missing if scope.graph.depends_on(r.id, dependent.id)]
    for prerequisite in cycles:
        hint += (
            f"; '{prerequisite.id}' already refers to '{dependent.id}', so first remove that reference "
            f"(build the name or ARN from a literal string) or the dependency makes a cycle"
        )
    return hint
