"""IAC014 on hand-built models: literals that pin a stack to one account and region."""

from __future__ import annotations

from analyzer.findings import Severity
from analyzer.graph import ResourceGraph
from analyzer.model import Concat, Literal, Location, Origin, Project, Ref, Resource, Unknown, Value
from analyzer.rules.base import RuleContext
from analyzer.rules.iac014_hardcoded_environment import HardcodedEnvironment

PATH = "lib/TapStack.yml"


def res(rid: str, rtype: str, props: dict[str, Value]) -> Resource:
    return Resource(
        rid,
        rtype,
        Location(PATH, 3),
        properties=props,
        property_locations={k: Location(PATH, 5) for k in props},
    )


def run(*resources: Resource, platform: str = "cloudformation", **extra) -> list:
    project = Project(root="/x", platform=platform, resources=resources, entry_point=PATH, **extra)
    return list(HardcodedEnvironment().check(RuleContext(project, ResourceGraph(project))))


def kinds(findings: list) -> list[str]:
    return [f.key.split(":", 1)[0] for f in findings]


def test_ami_zone_and_key_pair_literals() -> None:
    instance = res(
        "Web",
        "AWS::EC2::Instance",
        {
            "ImageId": Literal("ami-0abcdef1234567890"),
            "AvailabilityZone": Literal("eu-west-1b", location=Location(PATH, 9)),
            "KeyName": Literal("deployer"),
        },
    )
    findings = run(instance)
    assert kinds(findings) == ["ami", "zone", "key-pair"]
    assert all(f.severity is Severity.WARNING and f.resource == "Web" for f in findings)
    assert findings[1].location.line == 9 and findings[0].location.line == 5
    assert "ami-0abcdef1234567890" in findings[0].message and "SSM" in findings[0].fix_hint


def test_a_key_pair_the_stack_creates_or_builds_is_not_assumed() -> None:
    # AWS::EC2::KeyPair's KeyName is the key it creates (its own physical name), not one to use.
    created = Resource(
        "Key",
        "AWS::EC2::KeyPair",
        Location(PATH, 3),
        properties={"KeyName": Literal("deployer")},
        property_locations={"KeyName": Location(PATH, 5)},
        name_property="KeyName",
    )
    assert run(created) == []
    # A name built from the deployment: its literal pieces ('-', '-key') are no key pair's name.
    built = Concat(
        (Unknown("stack", Origin.STACK_NAME), Literal("-"), Unknown("region", Origin.REGION), Literal("-key"))
    )
    assert run(res("Web", "AWS::EC2::Instance", {"KeyName": built})) == []
    # A whole literal on a consumer (an instance, a launch template's data) still is.
    template_data = Literal({"KeyName": Literal("deployer")})
    (finding,) = run(res("Lt", "AWS::EC2::LaunchTemplate", {"LaunchTemplateData": template_data}))
    assert finding.key == "key-pair:deployer"


def test_arn_account_and_region() -> None:
    topic = res(
        "Topic", "AWS::SNS::Topic", {"KmsMasterKeyId": Literal("arn:aws:kms:us-east-1:123456789012:key/abc")}
    )
    (finding,) = run(topic)
    assert finding.key == "account-region:123456789012 in us-east-1" and "AWS::AccountId" in finding.fix_hint
    global_arn = Literal("arn:aws:iam::123456789012:role/deployer")
    (finding,) = run(res("Fn", "AWS::Lambda::Function", {"Role": global_arn}))
    assert finding.key == "account:123456789012" and "only in that account" in finding.message
    # A region written into an ARN that takes the account from the deployment.
    sub = Concat(
        (Literal("arn:aws:sns:us-west-2:"), Unknown("AWS::AccountId", Origin.ACCOUNT), Literal(":alerts"))
    )
    (finding,) = run(res("Rule", "AWS::Events::Rule", {"Targets": Literal((Literal({"Arn": sub}),))}))
    assert finding.key == "region:us-west-2"


def test_values_built_from_the_deployment_are_fine() -> None:
    built = Concat(
        (
            Literal("arn:"),
            Unknown("AWS::Partition"),
            Literal(":kms:"),
            Unknown("AWS::Region", Origin.REGION),
            Literal(":"),
            Unknown("AWS::AccountId", Origin.ACCOUNT),
            Literal(":alias/aws/sns"),
        )
    )
    managed = Literal((Literal("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),))
    assert run(res("Topic", "AWS::SNS::Topic", {"KmsMasterKeyId": built})) == []
    assert run(res("Role", "AWS::IAM::Role", {"ManagedPolicyArns": managed, "Path": Literal("/")})) == []
    assert run(res("Bucket", "AWS::S3::Bucket", {"Arn": Literal("arn:aws:s3:::my-bucket/*")})) == []
    assert run(res("Web", "AWS::EC2::Instance", {"ImageId": Ref("Lookup", "ImageId")})) == []


def test_configuration_values_are_settable_but_parameter_defaults_are_reported() -> None:
    context = Literal("ami-0abcdef1234567890", Origin.CONFIG)
    assert run(res("S/Web", "AWS::EC2::Instance", {"ImageId": context}), platform="cdk") == []
    default = Literal("ami-0abcdef1234567890", Origin.CONFIG | Origin.PARAMETER)
    (finding,) = run(res("Web", "AWS::EC2::Instance", {"ImageId": default}))
    assert "parameter's default" in finding.message


def test_required_key_pair_parameter_without_default() -> None:
    required = Unknown("no default", Origin.PARAMETER | Origin.CONFIG, Location(PATH, 2), hint="SshKey")
    instance = res("Web", "AWS::EC2::Instance", {"KeyName": required})
    (finding,) = run(instance, parameters={"SshKey": required})
    assert finding.location.line == 2 and "'SshKey'" in finding.message and finding.resource is None
    # Named like a key pair even when unused; an SSM-backed parameter is resolved at deploy time.
    named = Unknown("no default", Origin.PARAMETER | Origin.CONFIG, Location(PATH, 2), hint="KeyPairName")
    assert len(run(parameters={"KeyPairName": named})) == 1
    ssm = Unknown("ssm", Origin.PARAMETER | Origin.EXTERNAL, Location(PATH, 2), hint="KeyName")
    assert run(parameters={"KeyName": ssm}) == []
    assert run(parameters={"KeyName": Literal("deployer", Origin.PARAMETER, Location(PATH, 2))}) == []


def test_default_vpc_lookups_from_the_lookups_fact() -> None:
    lookup = {
        "call": "aws.ec2.get_vpc",
        "arguments": {"default": Literal(True)},
        "location": Location("lib/tap_stack.py", 12),
    }
    (finding,) = run(platform="pulumi", facts={"lookups": [lookup]})
    assert finding.location.line == 12 and "default VPC" in finding.message
    cdk = {
        "call": "aws_cdk.aws_ec2.Vpc.from_lookup",
        "arguments": {"is_default": Literal(True)},
        "location": Location("x.py", 3),
    }
    assert len(run(platform="cdk", facts={"lookups": [cdk]})) == 1
    by_id = {
        "call": "aws.ec2.get_vpc",
        "arguments": {"id": Literal("vpc-1")},
        "location": Location("x.py", 3),
    }
    assert run(platform="pulumi", facts={"lookups": [by_id, "garbage", {"call": 3}]}) == []
    assert run(platform="pulumi", facts={"lookups": "not a list"}) == []


def test_one_finding_per_literal_per_resource() -> None:
    statement = Literal({"Resource": Literal("arn:aws:sqs:us-east-1:123456789012:q")})
    document = Literal({"Statement": Literal((statement, statement))})
    assert len(run(res("Policy", "AWS::IAM::Policy", {"PolicyDocument": document}))) == 1


def test_the_elastic_load_balancing_account_a_bucket_policy_names_is_not_the_stacks() -> None:
    # An access-log bucket policy names AWS's ELB account of the region (IAC020 asks for it); the
    # account the stack was written in is another one, and stays reported.
    def policy(account: str) -> Literal:
        principal = Literal({"AWS": Literal(f"arn:aws:iam::{account}:root")})
        statement = Literal(
            {"Effect": Literal("Allow"), "Principal": principal, "Action": Literal("s3:PutObject")}
        )
        return Literal({"Statement": Literal((statement,))})

    elb = res("LogsPolicy", "AWS::S3::BucketPolicy", {"PolicyDocument": policy("127311923021")})
    assert run(elb) == []
    own = res("LogsPolicy", "AWS::S3::BucketPolicy", {"PolicyDocument": policy("123456789012")})
    assert kinds(run(own)) == ["account"]
