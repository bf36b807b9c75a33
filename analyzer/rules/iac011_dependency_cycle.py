"""IAC011 dependency-cycle: resources that wait for each other, so no creation order exists.

Which platforms can build a cycle: a CloudFormation template can (any ``Ref``/``GetAtt``/``Sub``/
``DependsOn`` may point at a resource declared anywhere), and so can a CDK app (L1 constructs refer
to each other's attributes, ``node.add_dependency`` orders anything). A Pulumi program cannot: a
resource object must exist before another resource's arguments or ``depends_on`` can mention it,
so a cycle in a Pulumi model can only be an artefact of the analysis, and the rule stays silent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from analyzer.findings import Finding, Related, Severity
from analyzer.graph import Edge, EdgeKind, ResourceGraph
from analyzer.model import Project, Resource
from analyzer.rules.base import Example, Rule, RuleContext
from analyzer.rules.stack_cycles import StackCycle, resource_pairs, stack_cycles

# Platforms whose programs can express a cycle (see the module docstring).
CYCLE_PLATFORMS = frozenset({"cloudformation", "cdk"})


@dataclass(frozen=True, slots=True)
class Hop:
    source: str
    target: str
    edge: Edge


@dataclass(frozen=True, slots=True)
class Cycle:
    hops: tuple[Hop, ...]  # starts at the first resource in declaration order

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(hop.source for hop in self.hops)


# The usual break for a hop, by (dependent type, first segment of the property path). Sources: the
# CloudFormation User Guide's advice on circular dependencies (AWS Blog "Handling circular
# dependency errors in AWS CloudFormation"), the AWS::EC2::SecurityGroupIngress/Egress, AWS::IAM::Policy
# and AWS::Lambda::Permission references.
BREAKS: dict[tuple[str, str], str] = {
    ("AWS::EC2::SecurityGroup", "SecurityGroupIngress"): (
        "move the ingress rule that names the other security group into a separate "
        "AWS::EC2::SecurityGroupIngress resource (CDK: ec2.CfnSecurityGroupIngress)"
    ),
    ("AWS::EC2::SecurityGroup", "SecurityGroupEgress"): (
        "move the egress rule that names the other security group into a separate "
        "AWS::EC2::SecurityGroupEgress resource (CDK: ec2.CfnSecurityGroupEgress)"
    ),
    ("AWS::IAM::Role", "Policies"): (
        "move the inline policy into a separate AWS::IAM::Policy resource attached with Roles: [!Ref Role]"
    ),
    ("AWS::IAM::Policy", "PolicyDocument"): (
        "name the resource in the statement by a built ARN instead of a reference, or put the statement in a "
        "separate policy the resource does not wait for (CDK: iam.Policy(...) attached to the role instead of "
        "a grant on the role's default policy, which the function waits for)"
    ),
    ("AWS::KMS::Key", "KeyPolicy"): (
        "name the role in the key policy by a built ARN (arn:${AWS::Partition}:iam::${AWS::AccountId}:role/"
        "<name>) instead of a reference, or grant kms:* in the role's own policy"
    ),
    ("AWS::S3::Bucket", "NotificationConfiguration"): (
        "give the bucket a name and build its ARN from that name in the Lambda permission's SourceArn "
        "(arn:${AWS::Partition}:s3:::<name>) instead of referencing the bucket"
    ),
    ("AWS::Lambda::Permission", "SourceArn"): (
        "build the source ARN from the source's name (arn:${AWS::Partition}:s3:::<name>) instead of "
        "referencing the resource that waits for this permission"
    ),
    ("AWS::S3::BucketPolicy", "PolicyDocument"): (
        "name the principal by a built ARN instead of a reference, or move the statement to the role's policy"
    ),
    ("AWS::SQS::QueuePolicy", "PolicyDocument"): (
        "name the principal or source by a built ARN instead of a reference"
    ),
}
_DEPENDS_ON_BREAK = "drop the explicit dependency if the references already order these resources"
_DEFAULT_BREAK = (
    "break one hop: move the referencing part into its own resource (an ingress rule, a policy, a "
    "permission) or build the value from a known name instead of a reference"
)


def _order(project: Project) -> dict[str, tuple]:
    return {
        resource.id: (resource.location.path, resource.location.line, resource.location.column, resource.id)
        for resource in project.resources
    }


def dependency_cycles(project: Project, graph: ResourceGraph) -> list[Cycle]:
    """Each simple cycle once, rotated to start at its first-declared resource."""
    if project.platform not in CYCLE_PLATFORMS:
        return []
    order = _order(project)
    found: dict[tuple[str, ...], Cycle] = {}
    for ids in graph.cycles():
        start = min(range(len(ids)), key=lambda index: order.get(ids[index], ("", 0, 0, ids[index])))
        rotated = ids[start:] + ids[:start]
        hops: list[Hop] = []
        for index, source in enumerate(rotated):
            target = rotated[(index + 1) % len(rotated)]
            edge = _preferred_edge(graph, source, target)
            if edge is None:
                break
            hops.append(Hop(source, target, edge))
        else:
            found.setdefault(tuple(rotated), Cycle(tuple(hops)))
    return sorted(found.values(), key=lambda cycle: (order.get(cycle.members[0], ()), len(cycle.hops)))


def _preferred_edge(graph: ResourceGraph, source: str, target: str) -> Edge | None:
    # A property reference says more about the fix than an explicit DependsOn between the same two.
    edges = list(graph.edges(source=source, target=target))
    edges.sort(key=lambda edge: (edge.kind is EdgeKind.DEPENDS_ON, edge.path))
    return edges[0] if edges else None


def _describe(hop: Hop) -> str:
    if hop.edge.kind is EdgeKind.DEPENDS_ON:
        return f"'{hop.source}' depends on '{hop.target}' (explicit dependency)"
    return f"'{hop.source}' refers to '{hop.target}' ({hop.edge.path})"


def _break_for(cycle: Cycle, project: Project) -> str:
    for hop in cycle.hops:
        resource: Resource | None = project.resource(hop.source)
        if resource is None or hop.edge.kind is EdgeKind.DEPENDS_ON:
            continue
        head = re.split(r"[.\[]", hop.edge.path, maxsplit=1)[0]
        advice = BREAKS.get((resource.type, head))
        if advice:
            return f"{advice} ('{hop.source}' -> '{hop.target}')"
    if any(hop.edge.kind is EdgeKind.DEPENDS_ON for hop in cycle.hops):
        return _DEPENDS_ON_BREAK
    return _DEFAULT_BREAK


class DependencyCycle(Rule):
    """
    ## What it does
    Finds cycles in the resource graph: resources that, through property references
    (`Ref`, `Fn::GetAtt`, `Fn::Sub`, CDK attribute references) and explicit dependencies
    (`DependsOn`, `node.add_dependency`), each wait for the next one and the last for the first.
    Each cycle is reported once, at its first-declared resource, as a path with every hop's
    location, together with the usual way to break it.

    In a CDK app it also finds stacks that wait for each other: a reference from one stack to
    another makes the whole referring stack wait (an output and a parameter between nested stacks,
    an import between top-level stacks), so two stacks that refer to each other, directly or
    through their parent, have no order even when their resources do.

    Only CloudFormation templates and CDK apps are checked: a Pulumi program cannot express a
    cycle (a resource object must exist before anything can refer to it).

    ## Why is this bad
    No creation order exists, so the deployment is rejected before anything is created:
    CloudFormation says `Circular dependency between resources: [SgA, SgB]`. Typical loops are
    two security groups whose inline ingress rules name each other, a role whose inline policy
    names a resource whose policy names the role, a bucket notification that waits for a Lambda
    permission whose `SourceArn` refers to the bucket, and (CDK) a function granted access to
    itself (`fn.grant_invoke(fn)`): the grant lands in the role's default policy, which the
    function waits for. Between CDK stacks, the classic loop is a bucket notification in the
    bucket's stack for a function in another stack that reads the bucket's name: CloudFormation
    rejects the parent template, and between top-level stacks CDK stops at synth (`would create a
    cyclic reference`).

    ## Example
    ```yaml
    AppSg:
      Type: AWS::EC2::SecurityGroup
      Properties:
        GroupDescription: app
        SecurityGroupIngress:
          - {IpProtocol: tcp, FromPort: 443, ToPort: 443, SourceSecurityGroupId: !Ref DbSg}
    DbSg:
      Type: AWS::EC2::SecurityGroup
      Properties:
        GroupDescription: db
        SecurityGroupIngress:
          - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref AppSg}
    ```

    ## Use instead
    ```yaml
    DbIngressFromApp:
      Type: AWS::EC2::SecurityGroupIngress
      Properties:
        GroupId: !Ref DbSg
        IpProtocol: tcp
        FromPort: 5432
        ToPort: 5432
        SourceSecurityGroupId: !Ref AppSg
    ```
    """

    id = "IAC011"
    name = "dependency-cycle"
    severity = Severity.ERROR
    summary = "resources refer to each other in a cycle, so no creation order exists"
    tags = ("deploy-failure", "graph")
    VALID = [
        Example.cfn_yaml(
            """
            Resources:
              AppSg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: app
              DbSg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: db
                  SecurityGroupIngress:
                    - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref AppSg}
              AppIngressFromDb:
                Type: AWS::EC2::SecurityGroupIngress
                Properties:
                  GroupId: !Ref AppSg
                  IpProtocol: tcp
                  FromPort: 443
                  ToPort: 443
                  SourceSecurityGroupId: !Ref DbSg
            """,
            title="one direction inline, the other as a separate ingress rule",
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    app = aws.ec2.SecurityGroup("app", description="app")
                    db = aws.ec2.SecurityGroup(
                        "db",
                        description="db",
                        ingress=[{"protocol": "tcp", "from_port": 5432, "to_port": 5432, "security_groups": [app.id]}],
                    )
                    aws.ec2.SecurityGroupRule(
                        "app-from-db",
                        type="ingress",
                        security_group_id=app.id,
                        source_security_group_id=db.id,
                        protocol="tcp",
                        from_port=443,
                        to_port=443,
                    )
            """,
        ),
        Example.cdk(
            """
            import aws_cdk as cdk
            from aws_cdk import aws_events as events, aws_events_targets as targets, aws_lambda as lambda_
            from aws_cdk import aws_s3 as s3


            class TapStackProps(cdk.StackProps):
                def __init__(self, environment_suffix=None, **kwargs):
                    super().__init__(**kwargs)
                    self.environment_suffix = environment_suffix


            class Jobs(cdk.NestedStack):
                def __init__(self, scope, construct_id):
                    super().__init__(scope, construct_id)
                    self.reports = s3.Bucket(self, "Reports")
                    self.handler = lambda_.Function(
                        self,
                        "Handler",
                        runtime=lambda_.Runtime.PYTHON_3_12,
                        handler="index.handler",
                        code=lambda_.Code.from_inline("def handler(event, context):\\n    return 1\\n"),
                    )


            class Schedules(cdk.NestedStack):
                def __init__(self, scope, construct_id, jobs):
                    super().__init__(scope, construct_id)
                    events.Rule(
                        self,
                        "Nightly",
                        schedule=events.Schedule.rate(cdk.Duration.days(1)),
                        targets=[targets.LambdaFunction(jobs.handler)],
                    )
                    jobs.reports.grant_read(jobs.handler)


            class TapStack(cdk.Stack):
                def __init__(self, scope, construct_id, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    Schedules(self, "Schedules", Jobs(self, "Jobs"))
            """,
            title="CDK: a rule in one nested stack targets a function in another (CDK puts the permission "
            "in the rule's stack, so only the rule's stack refers to the other)",
        ),
    ]
    INVALID = [
        Example.cfn_yaml(
            """
            Resources:
              AppSg:  # expect: IAC011
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: app
                  SecurityGroupIngress:
                    - {IpProtocol: tcp, FromPort: 443, ToPort: 443, SourceSecurityGroupId: !Ref DbSg}
              DbSg:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: db
                  SecurityGroupIngress:
                    - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !GetAtt AppSg.GroupId}
            """,
            title="security groups naming each other inline",
        ),
        Example.cfn_json(
            """
            {
              "Resources": {
                "Uploads": { // expect: IAC011
                  "Type": "AWS::S3::Bucket",
                  "DependsOn": "InvokePermission",
                  "Properties": {
                    "NotificationConfiguration": {
                      "LambdaConfigurations": [
                        {"Event": "s3:ObjectCreated:*", "Function": {"Fn::GetAtt": ["Handler", "Arn"]}}
                      ]
                    }
                  }
                },
                "Handler": {
                  "Type": "AWS::Lambda::Function",
                  "Properties": {"Runtime": "python3.12", "Handler": "index.handler", "Role": "arn:aws:iam::123456789012:role/x",
                                 "Code": {"ZipFile": "def handler(e, c): pass"}}
                },
                "InvokePermission": {
                  "Type": "AWS::Lambda::Permission",
                  "Properties": {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": {"Ref": "Handler"},
                    "Principal": "s3.amazonaws.com",
                    "SourceArn": {"Fn::GetAtt": ["Uploads", "Arn"]}
                  }
                }
              }
            }
            """,
            title="Lambda permission loop",
        ),
        Example.cdk(
            """
            import aws_cdk as cdk
            from aws_cdk import aws_ec2 as ec2
            from constructs import Construct


            class TapStackProps(cdk.StackProps):
                def __init__(self, environment_suffix=None, **kwargs):
                    super().__init__(**kwargs)
                    self.environment_suffix = environment_suffix


            class TapStack(cdk.Stack):
                def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    app = ec2.CfnSecurityGroup(self, "AppSg", group_description="app")  # expect: IAC011
                    db = ec2.CfnSecurityGroup(
                        self,
                        "DbSg",
                        group_description="db",
                        security_group_ingress=[{"ipProtocol": "tcp", "sourceSecurityGroupId": app.attr_group_id}],
                    )
                    app.node.add_dependency(db)
            """,
            title="an explicit dependency against a reference",
        ),
        Example.cdk(
            """
            import aws_cdk as cdk
            from aws_cdk import aws_lambda as lambda_, aws_s3 as s3, aws_s3_notifications as s3n


            class TapStackProps(cdk.StackProps):
                def __init__(self, environment_suffix=None, **kwargs):
                    super().__init__(**kwargs)
                    self.environment_suffix = environment_suffix


            class Storage(cdk.NestedStack):
                def __init__(self, scope, construct_id):
                    super().__init__(scope, construct_id)
                    self.bucket = s3.Bucket(self, "Uploads")


            class Processing(cdk.NestedStack):
                def __init__(self, scope, construct_id, bucket):
                    super().__init__(scope, construct_id)
                    self.handler = lambda_.Function(  # expect: IAC011
                        self,
                        "Handler",
                        runtime=lambda_.Runtime.PYTHON_3_12,
                        handler="index.handler",
                        code=lambda_.Code.from_inline("def handler(event, context):\\n    return 1\\n"),
                        environment={"BUCKET": bucket.bucket_name},
                    )


            class TapStack(cdk.Stack):
                def __init__(self, scope, construct_id, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    storage = Storage(self, "Storage")
                    processing = Processing(self, "Processing", storage.bucket)
                    storage.bucket.add_event_notification(
                        s3.EventType.OBJECT_CREATED, s3n.LambdaDestination(processing.handler)
                    )
            """,
            title="CDK: two nested stacks that refer to each other (a notification one way, a name the other)",
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        project = ctx.project
        cycles = dependency_cycles(project, ctx.graph)
        reported = {(hop.source, hop.target) for cycle in cycles for hop in cycle.hops}
        for group in _tangles(cycles):
            shown, rest = group[:PER_TANGLE], len(group) - PER_TANGLE
            for index, cycle in enumerate(shown):
                more = (
                    f" ({rest} more cycles run through these resources)"
                    if rest > 0 and index == len(shown) - 1
                    else ""
                )
                finding = self._cycle_finding(project, cycle, more)
                if finding is not None:
                    yield finding
        for stack_cycle in stack_cycles(project, ctx.graph):
            if resource_pairs(stack_cycle) <= reported:
                continue  # the resources themselves form this cycle, reported above
            found = self._stack_cycle_finding(project, stack_cycle)
            if found is not None:
                yield found

    def _stack_cycle_finding(self, project: Project, cycle: StackCycle) -> Finding | None:
        first = project.resource(cycle.hops[0].edge.source)
        if first is None:
            return None
        names = [*cycle.stacks, cycle.stacks[0]]
        hops = "; ".join(
            f"'{hop.edge.source}' refers to '{hop.edge.target}'"
            + (f" ({hop.edge.path})" if hop.edge.path else " (explicit dependency)")
            for hop in cycle.hops
        )
        if cycle.level is None:
            where = "CDK refuses the cyclic reference between the stacks at synth"
        elif cycle.only_stacks:
            where = f"in the template of '{cycle.level}' the nested stacks wait for each other"
        else:
            where = f"in the template of '{cycle.level}' a nested stack and the stack's own resources wait for each other"
        message = (
            f"Dependency cycle across stacks {' -> '.join(repr(name) for name in names)}: {hops}. "
            f"A reference across stacks makes the whole stack wait ({where}), so no creation order exists"
        )
        related = [
            Related(hop.edge.location, f"'{hop.edge.source}' refers to '{hop.edge.target}'")
            for hop in cycle.hops
            if hop.edge.location is not None
        ]
        return self.finding(
            message,
            first.location,
            "keep the resources that refer to each other in one stack, or pass one of the values as a name "
            "built from a known prefix instead of a reference",
            resource=first.id,
            key="stacks:" + "->".join(cycle.stacks),
            related=related,
        )

    def _cycle_finding(self, project: Project, cycle: Cycle, more: str) -> Finding | None:
        first = project.resource(cycle.members[0])
        if first is None:
            return None
        path = " -> ".join([*(f"'{member}'" for member in cycle.members), f"'{cycle.members[0]}'"])
        hops = "; ".join(_describe(hop) for hop in cycle.hops)
        message = (
            f"Dependency cycle {path}: {hops}. No creation order exists, so the deployment is "
            f"rejected ('Circular dependency between resources'){more}"
        )
        related = [
            Related(hop.edge.location, _describe(hop)) for hop in cycle.hops if hop.edge.location is not None
        ]
        return self.finding(
            message,
            first.location,
            _break_for(cycle, project),
            resource=first.id,
            key="->".join(cycle.members),
            related=related,
        )


# Cycles that share resources form one tangle; showing a few of its cycles is enough to fix it.
PER_TANGLE = 3


def _tangles(cycles: list[Cycle]) -> list[list[Cycle]]:
    """Cycles grouped by shared resources, groups and cycles in their original order."""
    groups: list[tuple[set[str], list[Cycle]]] = []
    for cycle in cycles:
        members = set(cycle.members)
        joined = [group for group in groups if group[0] & members]
        if not joined:
            groups.append((members, [cycle]))
            continue
        target = joined[0]
        target[0].update(members)
        target[1].append(cycle)
        for other in joined[1:]:
            target[0].update(other[0])
            target[1].extend(other[1])
            groups.remove(other)
    return [group[1] for group in groups]
