"""The resource graph: a typed wrapper over ``networkx.DiGraph`` with named queries.

Edges point from the dependent resource to its prerequisite: when ``Function.Role`` references
``Role``, the edge is ``Function -> Role`` and CloudFormation (or Pulumi, or CDK) creates ``Role``
first. Rules use the queries below; they never read the networkx graph directly.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import networkx as nx

from analyzer.model import Location, Project, Resource, iter_refs


class EdgeKind(enum.Enum):
    REFERENCE = "reference"  # a property refers to another resource
    DEPENDS_ON = "depends_on"  # an explicit ordering (DependsOn, depends_on, add_dependency)
    IAM_GRANT = "iam_grant"  # a policy resource grants its statements to a role/user/group
    ASSUMES_ROLE = "assumes_role"  # a resource runs as a role (Function.Role, StateMachine.RoleArn)
    EVENT_TARGET = "event_target"  # an event rule or schedule invokes a target
    PASSES_ROLE = "passes_role"  # a rule/schedule target hands a role to the target service
    PERMISSION = "permission"  # a resource policy (Lambda permission) on a function


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    kind: EdgeKind
    path: str  # property path where the reference occurs ("Targets[0].Arn"); "" for DependsOn
    location: Location | None


# Which reference, by resource type and property path ([*] matches any index), means more than
# "refers to". Source: the CloudFormation resource reference of each type (Policy.Roles attaches
# the policy; Events::Rule Targets[].Arn/RoleArn; Scheduler::Schedule Target.Arn/RoleArn; the role
# property of each compute resource).
_EDGE_KINDS: dict[tuple[str, str], EdgeKind] = {
    ("AWS::IAM::Policy", "Roles[*]"): EdgeKind.IAM_GRANT,
    ("AWS::IAM::ManagedPolicy", "Roles[*]"): EdgeKind.IAM_GRANT,
    ("AWS::IAM::RolePolicy", "RoleName"): EdgeKind.IAM_GRANT,
    ("Pulumi::AWS::IAM::RolePolicyAttachment", "Role"): EdgeKind.IAM_GRANT,
    ("Pulumi::AWS::IAM::RolePoliciesExclusive", "RoleName"): EdgeKind.IAM_GRANT,
    ("AWS::Events::Rule", "Targets[*].Arn"): EdgeKind.EVENT_TARGET,
    ("AWS::Events::Rule", "Targets[*].RoleArn"): EdgeKind.PASSES_ROLE,
    ("Pulumi::AWS::CloudWatch::EventTarget", "Arn"): EdgeKind.EVENT_TARGET,
    ("Pulumi::AWS::CloudWatch::EventTarget", "RoleArn"): EdgeKind.PASSES_ROLE,
    ("AWS::Scheduler::Schedule", "Target.Arn"): EdgeKind.EVENT_TARGET,
    ("AWS::Scheduler::Schedule", "Target.RoleArn"): EdgeKind.PASSES_ROLE,
    ("AWS::Lambda::Permission", "FunctionName"): EdgeKind.PERMISSION,
    ("AWS::Lambda::Function", "Role"): EdgeKind.ASSUMES_ROLE,
    ("AWS::StepFunctions::StateMachine", "RoleArn"): EdgeKind.ASSUMES_ROLE,
    ("AWS::ECS::TaskDefinition", "TaskRoleArn"): EdgeKind.ASSUMES_ROLE,
    ("AWS::ECS::TaskDefinition", "ExecutionRoleArn"): EdgeKind.ASSUMES_ROLE,
    ("AWS::CodeBuild::Project", "ServiceRole"): EdgeKind.ASSUMES_ROLE,
    ("AWS::CodePipeline::Pipeline", "RoleArn"): EdgeKind.ASSUMES_ROLE,
    ("AWS::Glue::Job", "Role"): EdgeKind.ASSUMES_ROLE,
    ("AWS::IAM::InstanceProfile", "Roles[*]"): EdgeKind.ASSUMES_ROLE,
    ("AWS::Pipes::Pipe", "RoleArn"): EdgeKind.ASSUMES_ROLE,
    ("AWS::KinesisFirehose::DeliveryStream", "*.RoleARN"): EdgeKind.ASSUMES_ROLE,
    # CloudFormation-only shapes (SAM, users/groups, service roles set on the resource itself).
    ("AWS::IAM::Policy", "Users[*]"): EdgeKind.IAM_GRANT,
    ("AWS::IAM::Policy", "Groups[*]"): EdgeKind.IAM_GRANT,
    ("AWS::IAM::ManagedPolicy", "Users[*]"): EdgeKind.IAM_GRANT,
    ("AWS::IAM::ManagedPolicy", "Groups[*]"): EdgeKind.IAM_GRANT,
    ("AWS::Serverless::Function", "Role"): EdgeKind.ASSUMES_ROLE,
    ("AWS::Serverless::StateMachine", "Role"): EdgeKind.ASSUMES_ROLE,
    ("AWS::ApiGateway::Method", "Integration.Credentials"): EdgeKind.ASSUMES_ROLE,
    ("AWS::Config::ConfigurationRecorder", "RoleARN"): EdgeKind.ASSUMES_ROLE,
    ("AWS::CloudTrail::Trail", "CloudWatchLogsRoleArn"): EdgeKind.ASSUMES_ROLE,
}

# SAM's Events on a function or state machine are not inputs of it: the transform turns each one
# into resources that wait for the function. A bucket notification, an API route and a Cognito
# trigger are added to the bucket, API or user pool the event names (so that resource waits for the
# function); an event source mapping, rule, subscription or filter is a new resource that refers to
# both. Source: the AWS SAM specification, EventSource types (S3, Api, HttpApi, Cognito, SQS, ...).
_SAM_EVENT_HOLDERS = frozenset({"AWS::Serverless::Function", "AWS::Serverless::StateMachine"})
_SAM_EVENT_SOURCE = re.compile(r"^Events\.[^.]+\.Properties\.(Bucket|UserPool|RestApiId|ApiId)$")
# The property SAM writes into the named resource, for the reversed edge's path.
_SAM_EVENT_FIELD = {
    "Bucket": "NotificationConfiguration",
    "UserPool": "LambdaConfig",
    "RestApiId": "DefinitionBody",
    "ApiId": "DefinitionBody",
}

_INDEX = re.compile(r"\[\d+\]")


def _edge_kind(resource_type: str, path: str) -> EdgeKind:
    pattern = _INDEX.sub("[*]", path)
    kind = _EDGE_KINDS.get((resource_type, pattern))
    if kind is None and "." in pattern:
        kind = _EDGE_KINDS.get((resource_type, "*." + pattern.rsplit(".", 1)[1]))
    return kind or EdgeKind.REFERENCE


class ResourceGraph:
    """Resources as nodes, typed edges, and the queries rules need."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._graph: nx.MultiDiGraph = nx.MultiDiGraph()
        for resource in project.resources:
            self._graph.add_node(resource.id)
        for resource in project.resources:
            self._add_edges(resource)

    def _add_edges(self, resource: Resource) -> None:
        known = self._graph
        for name, value in resource.properties.items():
            for path, ref in iter_refs(value, name):
                if ref.resource in known and ref.resource != resource.id:
                    location = ref.location or resource.location_of(name)
                    if resource.type in _SAM_EVENT_HOLDERS and name == "Events":
                        source = _SAM_EVENT_SOURCE.match(path)
                        if source:  # the named resource waits for the function, not the reverse
                            field = _SAM_EVENT_FIELD[source.group(1)]
                            self._add(Edge(ref.resource, resource.id, EdgeKind.REFERENCE, field, location))
                        continue
                    kind = _edge_kind(resource.type, path)
                    self._add(Edge(resource.id, ref.resource, kind, path, location))
        for dependency in resource.depends_on:
            if dependency.target in known and dependency.target != resource.id:
                self._add(Edge(resource.id, dependency.target, EdgeKind.DEPENDS_ON, "", dependency.location))

    def _add(self, edge: Edge) -> None:
        self._graph.add_edge(edge.source, edge.target, key=(edge.kind, edge.path), edge=edge)

    # -- queries -----------------------------------------------------------------------------------

    def edges(
        self, kind: EdgeKind | None = None, source: str | None = None, target: str | None = None
    ) -> Iterator[Edge]:
        if source is not None:
            if source not in self._graph:
                return
            candidates: Iterable = self._graph.out_edges(source, data="edge")
        elif target is not None:
            if target not in self._graph:
                return
            candidates = self._graph.in_edges(target, data="edge")
        else:
            candidates = self._graph.edges(data="edge")
        for _, _, edge in candidates:
            if (kind is None or edge.kind is kind) and (target is None or edge.target == target):
                yield edge

    def dependencies_of(self, resource_id: str) -> set[str]:
        """Everything ``resource_id`` waits for, directly or transitively."""
        if resource_id not in self._graph:
            return set()
        return set(nx.descendants(self._graph, resource_id))

    def depends_on(self, dependent: str, prerequisite: str) -> bool:
        """True when a chain of references or explicit dependencies orders ``prerequisite`` first."""
        if dependent not in self._graph or prerequisite not in self._graph:
            return False
        return nx.has_path(self._graph, dependent, prerequisite)

    def roles_assumed_by(self, resource_id: str) -> list[str]:
        return sorted({edge.target for edge in self.edges(EdgeKind.ASSUMES_ROLE, source=resource_id)})

    def principals_assuming(self, role_id: str) -> list[str]:
        return sorted({edge.source for edge in self.edges(EdgeKind.ASSUMES_ROLE, target=role_id)})

    def grants_to(self, principal_id: str) -> list[str]:
        """Policy resources attached to ``principal_id`` (a role, user or group)."""
        return sorted({edge.source for edge in self.edges(EdgeKind.IAM_GRANT, target=principal_id)})

    def referrers(self, resource_id: str) -> list[str]:
        return sorted({edge.source for edge in self.edges(target=resource_id)})

    def cycles(self, limit: int = 20) -> list[list[str]]:
        """Simple cycles among resources (each a list of ids), shortest first, at most ``limit``."""
        simple = nx.DiGraph(self._graph)
        found: list[list[str]] = []
        for component in nx.strongly_connected_components(simple):
            if len(component) < 2:
                continue
            sub = simple.subgraph(component)
            for cycle in nx.simple_cycles(sub):
                found.append(cycle)
                if len(found) >= limit:
                    break
        found.sort(key=lambda cycle: (len(cycle), cycle))
        return found[:limit]

    def edge_between(self, source: str, target: str) -> Edge | None:
        for edge in self.edges(source=source, target=target):
            return edge
        return None

    def __len__(self) -> int:
        return self._graph.number_of_nodes()

    def to_networkx(self) -> nx.MultiDiGraph:
        """A copy, for exporters (graph drawings); rules use the queries above."""
        return self._graph.copy()
