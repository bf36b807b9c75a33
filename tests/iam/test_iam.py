"""analyzer.iam: statements, effective statements, allows(), ARN patterns, passrole data."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from analyzer.graph import ResourceGraph
from analyzer.iam import (
    action_matches,
    allows,
    arn_matches,
    arn_resolver,
    aws_managed_policy_name,
    effective_statements,
    normalize_document,
    passing_action,
    passing_operation,
    policy_sentry_passes_role,
    trusted_services,
)
from analyzer.model import Concat, Literal, Location, Origin, Project, Ref, Resource, Unknown, Value

ACCOUNT = Unknown("the account id", Origin.ACCOUNT, hint="AWS::AccountId")


def lit(data: Any) -> Value:
    """Plain data as a model value; Ref/Unknown/Concat objects are kept as they are."""
    if isinstance(data, Ref | Unknown | Concat | Literal):
        return data
    if isinstance(data, dict):
        return Literal({key: lit(value) for key, value in data.items()})
    if isinstance(data, list):
        return Literal(tuple(lit(value) for value in data))
    return Literal(data)


def doc(*statements: dict[str, Any]) -> Value:
    return lit({"Version": "2012-10-17", "Statement": list(statements)})


def role(rid: str, name: str | None = None, **properties: Any) -> Resource:
    return Resource(
        rid,
        "AWS::IAM::Role",
        Location("lib/TapStack.yml", 1),
        {key: lit(value) for key, value in properties.items()},
        name=Literal(name) if name else None,
    )


def project(*resources: Resource) -> Project:
    return Project("/tmp/x", "cloudformation", resources=resources)


PASS_ANY = {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}


def test_statement_shapes() -> None:
    single = normalize_document(
        lit({"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}})
    )
    assert len(single) == 1 and single[0].effect == "Allow"
    listed = normalize_document(doc(PASS_ANY, {"Effect": "Deny", "NotAction": ["s3:*"], "Resource": "*"}))
    assert [s.effect for s in listed] == ["Allow", "Deny"]
    assert listed[1].not_actions == (Literal("s3:*"),)
    opaque = normalize_document(Unknown("json.dumps(x)"))
    assert opaque[0].opaque


def test_action_wildcards_are_case_insensitive() -> None:
    assert action_matches("iam:*", "iam:PassRole")
    assert action_matches("IAM:passrole", "iam:PassRole")
    assert action_matches("*", "iam:PassRole")
    assert action_matches("iam:Pass?ole", "iam:PassRole")
    assert not action_matches("iam:Pass", "iam:PassRole")
    assert not action_matches("s3:*", "iam:PassRole")


def test_allows_three_values_and_deny() -> None:
    target = Ref("SchedulerRole", "Arn")
    assert allows(normalize_document(doc(PASS_ANY)), "iam:PassRole", target) is True
    exact = {"Effect": "Allow", "Action": "iam:PassRole", "Resource": Ref("SchedulerRole", "Arn")}
    assert allows(normalize_document(doc(exact)), "iam:PassRole", target) is True
    other = {"Effect": "Allow", "Action": "iam:PassRole", "Resource": Ref("OtherRole", "Arn")}
    assert allows(normalize_document(doc(other)), "iam:PassRole", Unknown("env")) is None
    none = {"Effect": "Allow", "Action": ["events:PutRule", "events:PutTargets"], "Resource": "*"}
    assert allows(normalize_document(doc(none)), "iam:PassRole", target) is False
    deny = {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}
    assert allows(normalize_document(doc(PASS_ANY, deny)), "iam:PassRole", target) is False
    assert (
        allows(normalize_document(doc({"Effect": "Allow", "Action": "*", "Resource": "*"})), "iam:PassRole")
        is True
    )
    assert allows(normalize_document(Unknown("x")), "iam:PassRole", target) is None


def test_refs_to_different_roles_resolve_to_different_arns() -> None:
    p = project(role("A", "app-a-dev"), role("B", "app-b-dev"))
    other = {"Effect": "Allow", "Action": "iam:PassRole", "Resource": Ref("A", "Arn")}
    resolve = arn_resolver(p)
    assert allows(normalize_document(doc(other)), "iam:PassRole", Ref("B", "Arn"), resolve=resolve) is False
    # Auto-named roles: the names are unknown, but two different roles never share an ARN.
    q = project(role("A"), role("B"))
    assert (
        allows(normalize_document(doc(other)), "iam:PassRole", Ref("B", "Arn"), resolve=arn_resolver(q))
        is False
    )
    # A pattern on a name prefix cannot be compared with a generated name.
    prefix = {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::*:role/app-*"}
    assert (
        allows(normalize_document(doc(prefix)), "iam:PassRole", Ref("B", "Arn"), resolve=arn_resolver(q))
        is None
    )


def test_concat_patterns_against_role_arns() -> None:
    p = project(role("Sched", "scheduler-role-dev"))
    resolve = arn_resolver(p)
    pattern = Concat((Literal("arn:aws:iam::"), ACCOUNT, Literal(":role/scheduler-*")))
    assert arn_matches(pattern, Ref("Sched", "Arn"), resolve) is True
    wrong = Concat((Literal("arn:aws:iam::"), ACCOUNT, Literal(":role/worker-*")))
    assert arn_matches(wrong, Ref("Sched", "Arn"), resolve) is False
    literal_account = Literal("arn:aws:iam::123456789012:role/scheduler-role-dev")
    assert arn_matches(literal_account, Ref("Sched", "Arn"), resolve) is None
    sub = Concat((Literal("arn:aws:iam::"), ACCOUNT, Literal(":role/"), Ref("Sched")))
    assert arn_matches(sub, Ref("Sched", "Arn"), resolve) is True


def test_passed_to_service_condition() -> None:
    scoped = {
        "Effect": "Allow",
        "Action": "iam:PassRole",
        "Resource": "*",
        "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}},
    }
    statements = normalize_document(doc(scoped))
    assert (
        allows(statements, "iam:PassRole", None, context={"iam:PassedToService": "lambda.amazonaws.com"})
        is True
    )
    assert (
        allows(statements, "iam:PassRole", None, context={"iam:PassedToService": "scheduler.amazonaws.com"})
        is False
    )
    assert allows(statements, "iam:PassRole", None) is None
    other_key = {**scoped, "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}}
    assert allows(normalize_document(doc(other_key)), "iam:PassRole", None) is None


def test_effective_statements_collects_every_source() -> None:
    principal = role(
        "Fn",
        "fn-role",
        Policies=[
            {"PolicyName": "p", "PolicyDocument": doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"})}
        ],
        ManagedPolicyArns=["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
    )
    attached = Resource(
        "Extra",
        "AWS::IAM::Policy",
        Location("lib/TapStack.yml", 30),
        {"Roles": lit([Ref("Fn")]), "PolicyDocument": doc(PASS_ANY)},
    )
    by_name = Resource(
        "ByName",
        "AWS::IAM::Policy",
        Location("lib/TapStack.yml", 40),
        {
            "Roles": lit(["fn-role"]),
            "PolicyDocument": doc({"Effect": "Allow", "Action": "sqs:*", "Resource": "*"}),
        },
    )
    p = project(principal, attached, by_name)
    statements = effective_statements(p, ResourceGraph(p), "Fn")
    sources = {s.source for s in statements}
    assert sources == {"Fn", "aws-managed:AWSLambdaBasicExecutionRole", "Extra", "ByName"}
    assert allows(statements, "iam:PassRole", Ref("X", "Arn")) is True
    assert allows(statements, "sqs:SendMessage", None) is True


def test_managed_policies_known_and_unknown() -> None:
    basic = role(
        "R", "r", ManagedPolicyArns=["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
    )
    p = project(basic)
    assert allows(effective_statements(p, ResourceGraph(p), "R"), "iam:PassRole", Ref("Y", "Arn")) is False
    exotic = role("R", "r", ManagedPolicyArns=["arn:aws:iam::aws:policy/SomethingNew"])
    p = project(exotic)
    assert allows(effective_statements(p, ResourceGraph(p), "R"), "iam:PassRole", Ref("Y", "Arn")) is None
    partial = role("R", "r", ManagedPolicyArns=["arn:aws:iam::aws:policy/AmazonS3FullAccess"])
    p = project(partial)
    statements = effective_statements(p, ResourceGraph(p), "R")
    assert allows(statements, "iam:PassRole", Ref("Y", "Arn")) is False
    assert allows(statements, "s3:GetObject", None) is None  # only the PassRole part is known
    admin = role(
        "R",
        "r",
        ManagedPolicyArns=[
            Concat((Literal("arn:"), Unknown("partition"), Literal(":iam::aws:policy/AdministratorAccess")))
        ],
    )
    p = project(admin)
    assert allows(effective_statements(p, ResourceGraph(p), "R"), "iam:PassRole", Ref("Y", "Arn")) is True
    assert aws_managed_policy_name(Literal("arn:aws:iam::123:policy/mine")) is None


def test_trusted_services() -> None:
    trust = doc(
        {
            "Effect": "Allow",
            "Principal": {"Service": ["lambda.amazonaws.com", "Scheduler.amazonaws.com"]},
            "Action": "sts:AssumeRole",
        }
    )
    assert trusted_services(role("R", AssumeRolePolicyDocument=trust)) == {
        "lambda.amazonaws.com",
        "scheduler.amazonaws.com",
    }
    assert trusted_services(role("R")) == set()


def test_passrole_data() -> None:
    schedule = passing_operation("scheduler", "CreateSchedule")
    assert schedule is not None and schedule.always_passes
    assert [m.dotted for m in schedule.members] == ["Target.RoleArn"]
    assert schedule.action == "scheduler:CreateSchedule"
    targets = passing_operation("events", "put_targets")
    assert targets is not None and not targets.always_passes
    assert targets.members[0].path == ("Targets", "[]", "RoleArn")
    media = passing_operation("mediaconvert", "CreateJob")
    assert media is not None and media.always_passes and media.members[0].path == ("Role",)
    assert passing_operation("dynamodb", "PutItem") is None
    assert passing_operation("sts", "AssumeRole") is None
    assert passing_action("states:CreateStateMachine")[0].client == "stepfunctions"
    assert policy_sentry_passes_role("ecs:RunTask")
    assert not policy_sentry_passes_role("events:PutTargets")


@given(st.text(alphabet="ab*?:/", max_size=12), st.text(alphabet="ab:/", max_size=12))
def test_literal_patterns_agree_with_regex(pattern: str, text: str) -> None:
    expected = action_matches(pattern, text) if pattern == pattern.lower() else None
    result = arn_matches(Literal(pattern), Literal(text))
    if expected is not None:
        assert result is expected


def test_pulumi_managed_policy_constants() -> None:
    constant = Unknown(
        "external", Origin.EXTERNAL, hint="pulumi_aws.iam.ManagedPolicy.AWS_LAMBDA_BASIC_EXECUTION_ROLE"
    )
    basic = role("R", "r", ManagedPolicyArns=[constant])
    p = project(basic)
    assert allows(effective_statements(p, ResourceGraph(p), "R"), "iam:PassRole", Ref("Y", "Arn")) is False
    other = Unknown("external", Origin.EXTERNAL, hint="pulumi_aws.iam.ManagedPolicy.SOMETHING_UNLISTED")
    p = project(role("R", "r", ManagedPolicyArns=[other]))
    assert allows(effective_statements(p, ResourceGraph(p), "R"), "iam:PassRole", Ref("Y", "Arn")) is None


_SCALARS = st.one_of(
    st.sampled_from(["*", "iam:PassRole", "iam:*", "Allow", "Deny", "arn:aws:iam::*:role/*", "s3:Get*"]),
    st.text(max_size=20),
    st.none(),
    st.integers(),
)
_VALUES = st.recursive(
    st.one_of(
        _SCALARS.map(Literal),
        st.builds(Ref, st.sampled_from(["A", "B"]), st.sampled_from([None, "Arn"])),
        st.builds(Unknown, st.text(max_size=5), st.sampled_from([Origin.NONE, Origin.ACCOUNT])),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4).map(lambda items: Literal(tuple(items))),
        st.dictionaries(
            st.sampled_from(
                [
                    "Statement",
                    "Effect",
                    "Action",
                    "NotAction",
                    "Resource",
                    "NotResource",
                    "Condition",
                    "StringEquals",
                    "iam:PassedToService",
                ]
            ),
            children,
            max_size=5,
        ).map(Literal),
        st.lists(children, min_size=1, max_size=3).map(lambda parts: Concat(tuple(parts))),
    ),
    max_leaves=25,
)


@given(_VALUES, _VALUES)
def test_arbitrary_documents_never_raise(document: Value, resource: Value) -> None:
    statements = normalize_document(document)
    p = project(role("A", "a"), role("B"))
    verdict = allows(
        statements, "iam:PassRole", resource, context={"iam:PassedToService": "x"}, resolve=arn_resolver(p)
    )
    assert verdict in (True, False, None)
