"""IAC011 on hand-built models: which cycles are reported, where, as what path, with which break."""

from __future__ import annotations

from analyzer.findings import Severity
from analyzer.graph import ResourceGraph
from analyzer.model import Dependency, Literal, Location, Project, Ref, Resource, Value
from analyzer.rules.base import RuleContext
from analyzer.rules.iac011_dependency_cycle import DependencyCycle, dependency_cycles

PATH = "lib/TapStack.yml"


def group(rid: str, line: int, source: str | None = None) -> Resource:
    props: dict[str, Value] = {"GroupDescription": Literal(rid)}
    if source:
        rule = Literal(
            {
                "IpProtocol": Literal("tcp"),
                "SourceSecurityGroupId": Ref(source, location=Location(PATH, line + 4)),
            }
        )
        props["SecurityGroupIngress"] = Literal((rule,))
    return Resource(rid, "AWS::EC2::SecurityGroup", Location(PATH, line), properties=props)


def run(*resources: Resource, platform: str = "cloudformation") -> list:
    project = Project(root="/x", platform=platform, resources=resources)
    return list(DependencyCycle().check(RuleContext(project, ResourceGraph(project))))


def test_two_security_groups_naming_each_other_are_one_finding_at_the_first_declared() -> None:
    # Declared order in the file is AppSg (line 3) then DbSg (line 10); the model lists them reversed.
    findings = run(group("DbSg", 10, source="AppSg"), group("AppSg", 3, source="DbSg"))
    assert len(findings) == 1
    finding = findings[0]
    assert finding.severity is Severity.ERROR
    assert finding.location == Location(PATH, 3) and finding.resource == "AppSg"
    assert "'AppSg' -> 'DbSg' -> 'AppSg'" in finding.message
    assert "SecurityGroupIngress[0].SourceSecurityGroupId" in finding.message
    assert [r.location.line for r in finding.related] == [7, 14]
    assert "AWS::EC2::SecurityGroupIngress" in finding.fix_hint
    assert finding.key == "AppSg->DbSg"


def test_pulumi_models_are_never_reported() -> None:
    # A Pulumi program cannot build a cycle; one in its model would be an analysis artefact.
    assert run(group("a", 3, source="b"), group("b", 10, source="a"), platform="pulumi") == []


def test_cdk_cycles_are_reported() -> None:
    assert len(run(group("S/A", 3, source="S/B"), group("S/B", 10, source="S/A"), platform="cdk")) == 1


def test_explicit_dependency_cycle_suggests_dropping_it() -> None:
    a = Resource("A", "AWS::SQS::Queue", Location(PATH, 2), depends_on=(Dependency("B", Location(PATH, 3)),))
    b = Resource("B", "AWS::SQS::Queue", Location(PATH, 6), depends_on=(Dependency("C", Location(PATH, 7)),))
    c = Resource("C", "AWS::SQS::Queue", Location(PATH, 9), depends_on=(Dependency("A", Location(PATH, 10)),))
    (finding,) = run(c, a, b)
    assert "'A' -> 'B' -> 'C' -> 'A'" in finding.message
    assert "explicit dependency" in finding.message
    assert finding.fix_hint.startswith("drop the explicit dependency")
    assert len(finding.related) == 3


def test_role_policy_loop_suggests_a_separate_policy() -> None:
    document = Literal({"Statement": Literal((Literal({"Resource": Ref("Queue", "Arn")}),))})
    role = Resource(
        "Role",
        "AWS::IAM::Role",
        Location(PATH, 2),
        properties={"Policies": Literal((Literal({"PolicyDocument": document}),))},
    )
    queue = Resource(
        "Queue",
        "AWS::SQS::Queue",
        Location(PATH, 20),
        properties={"Tags": Literal((Literal({"Value": Ref("Role", "Arn")}),))},
    )
    (finding,) = run(role, queue)
    assert "separate AWS::IAM::Policy" in finding.fix_hint


def test_separate_cycles_are_reported_separately_and_acyclic_graphs_not_at_all() -> None:
    findings = run(
        group("A", 1, source="B"),
        group("B", 10, source="A"),
        group("C", 20, source="D"),
        group("D", 30, source="C"),
    )
    assert [f.resource for f in findings] == ["A", "C"]
    assert run(group("A", 1, source="B"), group("B", 10)) == []


def test_each_cycle_once_even_with_several_edges_between_the_same_resources() -> None:
    a = group("A", 1, source="B")
    a = Resource(a.id, a.type, a.location, properties=a.properties, depends_on=(Dependency("B"),))
    project = Project(root="/x", platform="cloudformation", resources=(a, group("B", 10, source="A")))
    cycles = dependency_cycles(project, ResourceGraph(project))
    assert len(cycles) == 1
    # The property reference says more about the fix than the DependsOn between the same two.
    assert cycles[0].hops[0].edge.path.startswith("SecurityGroupIngress")


def test_a_tangle_of_many_cycles_shows_a_few_and_counts_the_rest() -> None:
    names = [f"Sg{i}" for i in range(5)]
    resources = []
    for index, name in enumerate(names):
        rules = tuple(Literal({"SourceSecurityGroupId": Ref(other)}) for other in names if other != name)
        resources.append(
            Resource(
                name,
                "AWS::EC2::SecurityGroup",
                Location(PATH, 10 * index + 1),
                properties={"SecurityGroupIngress": Literal(rules)},
            )
        )
    findings = run(*resources)
    assert len(findings) == 3
    assert "more cycles run through these resources" in findings[-1].message
    assert all("more cycles" not in f.message for f in findings[:-1])
    assert len({f.key for f in findings}) == 3


def test_a_function_granted_access_to_itself_through_its_default_policy() -> None:
    # CDK: fn.grant_invoke(fn) puts the function's ARN in the role's default policy, which the
    # function waits for.
    function = Resource(
        "S/F", "AWS::Lambda::Function", Location(PATH, 30), depends_on=(Dependency("S/F/Policy"),)
    )
    statement = Literal({"Action": Literal("lambda:InvokeFunction"), "Resource": Ref("S/F", "Arn")})
    policy = Resource(
        "S/F/Policy",
        "AWS::IAM::Policy",
        Location(PATH, 30),
        properties={"PolicyDocument": Literal({"Statement": Literal((statement,))})},
    )
    (finding,) = run(function, policy, platform="cdk")
    assert "iam.Policy" in finding.fix_hint and finding.resource == "S/F"
