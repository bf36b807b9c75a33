"""IAC014 hardcoded-environment: values that tie the stack to the account and region it was written in.

Literal AMI ids, availability-zone names, account ids and regions inside ARNs, key pair names,
required key-pair parameters without a default, and default-VPC lookups. Values built from
``AWS::AccountId``/``AWS::Region``, Pulumi/CDK lookups, configuration (Pulumi stack config, CDK
context) or parameters the deployment sets are not literals here and are not reported.

Lookups are read from the plugin fact ``Project.facts["lookups"]``: a list of
``{"call": "aws.ec2.get_vpc" | "aws_cdk.aws_ec2.Vpc.from_lookup", "arguments": {name: Value},
"location": Location}``. No plugin records it yet (the Pulumi plugin keeps a data-source call as
an opaque ``Unknown``, the CDK plugin does not model ``from_lookup``), so default-VPC lookups are
found once a plugin provides the fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from analyzer.findings import Finding, Severity
from analyzer.model import Concat, Literal, Location, Origin, Project, Resource, Unknown, Value
from analyzer.rules.base import Example, Rule, RuleContext

# EC2 User Guide, "Amazon Machine Images": AMI ids are ami- and 8 or 17 hex digits; AMIs are regional.
AMI_ID = re.compile(r"^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$")
# EC2 User Guide, "Regions and Zones": zone names are the region name plus a letter (us-east-1a).
ZONE_NAME = re.compile(r"^(?:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)[a-z]$")
# IAM User Guide, "IAM identifiers" (ARN format arn:partition:service:region:account-id:resource).
# A literal part may end after the region when the account comes from the deployment ("...:us-east-1:").
ARN_HEAD = re.compile(
    r"arn:aws[a-z-]*:([a-z0-9-]+):([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)?:(?:(\d{12})?:)?"
)
KEY_PAIR_PARAMETER = re.compile(r"^(?:ec2)?key(?:pair)?(?:name)?$")
_DEFAULT_VPC_CALLS = {
    "aws.ec2.get_vpc": "default",
    "aws.ec2.get_vpc_output": "default",
    "aws_cdk.aws_ec2.Vpc.from_lookup": "is_default",
}


@dataclass(frozen=True, slots=True)
class Assumption:
    resource: str | None
    kind: str  # "ami" | "zone" | "account" | "account-region" | "region" | "key-pair" | "key-parameter" | "default-vpc"
    text: str
    path: str
    location: Location
    from_parameter: bool = False


def _literal_strings(value: Value | None, path: str) -> Iterator[tuple[str, str, Value]]:
    """(path, text, value) for every literal string inside ``value``, Concat parts included."""
    if isinstance(value, Concat):
        for part in value.parts:
            yield from _literal_strings(part, path)
    elif isinstance(value, Literal):
        inner = value.value
        if isinstance(inner, str):
            yield path, inner, value
        elif isinstance(inner, tuple):
            for index, item in enumerate(inner):
                yield from _literal_strings(item, f"{path}[{index}]")
        elif isinstance(inner, dict):
            for key, item in inner.items():
                yield from _literal_strings(item, f"{path}.{key}" if path else key)


def _settable(value: Value) -> bool:
    origin = value.origin
    return bool(origin & Origin.CONFIG) and not origin & Origin.PARAMETER


def resource_assumptions(resource: Resource) -> list[Assumption]:
    found: list[Assumption] = []
    seen: set[tuple[str, str]] = set()
    for name, value in resource.properties.items():
        for path, text, part in _literal_strings(value, name):
            if _settable(part):
                continue
            where = part.location or resource.location_of(name)
            from_parameter = bool(part.origin & Origin.PARAMETER)
            hits: list[tuple[str, str]] = []
            if AMI_ID.match(text):
                hits.append(("ami", text))
            elif ZONE_NAME.match(text):
                hits.append(("zone", text))
            elif path.rsplit(".", 1)[-1] == "KeyName" and text.strip():
                hits.append(("key-pair", text))
            else:
                for match in ARN_HEAD.finditer(text):
                    if match.group(3) and match.group(2):
                        hits.append(("account-region", f"{match.group(3)} in {match.group(2)}"))
                    elif match.group(3):
                        hits.append(("account", match.group(3)))
                    elif match.group(2):
                        hits.append(("region", match.group(2)))
            for kind, shown in hits:
                if (kind, shown) in seen:
                    continue
                seen.add((kind, shown))
                found.append(Assumption(resource.id, kind, shown, path, where, from_parameter))
    return found


def key_pair_parameters(project: Project) -> list[Assumption]:
    """CloudFormation parameters for a key pair that have no default: the deployment must name a
    key pair that exists in its account, and a pipeline that sets only the suffix cannot."""
    if project.platform != "cloudformation":
        return []
    used: set[str] = set()
    for resource in project.resources:
        for name, value in resource.properties.items():
            for path, hint in _unknown_hints(value, name):
                if path.rsplit(".", 1)[-1] == "KeyName":
                    used.add(hint)
    found: list[Assumption] = []
    for name, value in project.parameters.items():
        if not isinstance(value, Unknown) or value.origin & Origin.EXTERNAL:
            continue  # has a default, or read from SSM
        normalized = re.sub(r"[^a-z0-9]", "", name.lower())
        if name in used or KEY_PAIR_PARAMETER.match(normalized):
            where = value.location or Location(project.entry_point or ".", 1)
            found.append(Assumption(None, "key-parameter", name, name, where, True))
    return found


def _unknown_hints(value: Value | None, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, Unknown) and value.origin & Origin.PARAMETER and value.hint:
        yield path, value.hint
    elif isinstance(value, Literal) and isinstance(value.value, dict):
        for key, item in value.value.items():
            yield from _unknown_hints(item, f"{path}.{key}" if path else key)
    elif isinstance(value, Literal) and isinstance(value.value, tuple):
        for item in value.value:
            yield from _unknown_hints(item, path)


def default_vpc_lookups(project: Project) -> list[Assumption]:
    found: list[Assumption] = []
    lookups = project.facts.get("lookups")
    if not isinstance(lookups, (list, tuple)):
        return found
    for lookup in lookups:
        if not isinstance(lookup, Mapping):
            continue
        call = lookup.get("call")
        flag = _DEFAULT_VPC_CALLS.get(call) if isinstance(call, str) else None
        arguments: Any = lookup.get("arguments")
        location = lookup.get("location")
        if flag is None or not isinstance(arguments, Mapping) or not isinstance(location, Location):
            continue
        value = arguments.get(flag)
        if isinstance(value, Literal) and value.value is True:
            found.append(Assumption(None, "default-vpc", str(call), flag, location))
    return found


def environment_assumptions(project: Project) -> list[Assumption]:
    found: list[Assumption] = []
    for resource in project.resources:
        found.extend(resource_assumptions(resource))
    found.extend(key_pair_parameters(project))
    found.extend(default_vpc_lookups(project))
    return found


_WHAT = {
    "ami": (
        "the AMI id {text}: AMIs are regional (and get deregistered), so the stack deploys only in the region "
        "it was written for",
        "look the image up at deploy time: an SSM public parameter "
        "(/aws/service/ami-amazon-linux-latest/...), aws.ec2.get_ami(...), or ec2.MachineImage.latest_amazon_linux2023()",
    ),
    "zone": (
        "the availability zone {text}: zone names exist only in their region (and differ between accounts)",
        "use Fn::GetAZs / Fn::Select, aws.get_availability_zones(), or the VPC's subnets",
    ),
    "account": (
        "an ARN with the account id {text}: the stack deploys only in that account",
        "build the ARN from the deploying account (${AWS::AccountId}, aws.get_caller_identity().account_id, "
        "cdk.Aws.ACCOUNT_ID), or pass it as a parameter/config value if it is another account",
    ),
    "account-region": (
        "an ARN with the account and region {text}: the stack deploys only there (only in that region, "
        "if the account is another one's, such as a public Lambda layer's)",
        "build the ARN from the deployment (${AWS::Region}/${AWS::AccountId}, aws.get_region(), "
        "aws.get_caller_identity(), cdk.Aws.REGION/ACCOUNT_ID), or take it from configuration per region",
    ),
    "region": (
        "an ARN with the region {text}: the stack deploys only in that region",
        "build the ARN from the deploying region (${AWS::Region}, aws.get_region().name, cdk.Aws.REGION)",
    ),
    "key-pair": (
        "the key pair '{text}', which must already exist in the account and region",
        "drop the key pair (use SSM Session Manager), create one in the stack (AWS::EC2::KeyPair), or take "
        "its name from configuration",
    ),
    "key-parameter": (
        "requires the key pair parameter '{text}' with no default: a deployment that sets only the "
        "environment suffix fails, and the key pair must exist in the account",
        "give the parameter a default that works everywhere (or make it optional with a Condition), or "
        "drop the key pair in favour of SSM Session Manager",
    ),
    "default-vpc": (
        "looks up the default VPC ({text}): new and CI accounts have none, so the deployment fails with "
        "'no matching EC2 VPC found'",
        "create the VPC in the stack, or take its id from configuration",
    ),
}


class HardcodedEnvironment(Rule):
    """
    ## What it does
    Finds values that tie a stack to the account and region it was written in: literal AMI ids
    (`ami-0abc...`), availability-zone names (`us-east-1a`), ARNs with a literal account id or
    region (`arn:aws:sns:us-east-1:123456789012:alerts`), literal EC2 key pair names, CloudFormation
    key-pair parameters without a default, and default-VPC lookups
    (`aws.ec2.get_vpc(default=True)`, `ec2.Vpc.from_lookup(is_default=True)`, once a plugin records
    lookups in `Project.facts["lookups"]`). A literal is reported once per resource. Values from
    `AWS::AccountId`/`AWS::Region`, lookups, Pulumi stack configuration or CDK context are not
    literals and are fine; a template parameter's default is reported, since a deployment that sets
    only the environment suffix uses it.

    ## Why is this bad
    The stack deploys in the author's account and region only: in another region the AMI and
    the zone do not exist, in another account the ARNs point at nothing or at someone else's
    resources, the key pair is missing, and a fresh CI account has no default VPC ("no matching
    EC2 VPC found").

    ## Example
    ```yaml
    Instance:
      Type: AWS::EC2::Instance
      Properties:
        ImageId: ami-0abcdef1234567890
        AvailabilityZone: us-east-1a
    ```

    ## Use instead
    ```yaml
    Parameters:
      LatestAmiId:
        Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
        Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
    Resources:
      Instance:
        Type: AWS::EC2::Instance
        Properties:
          ImageId: !Ref LatestAmiId
          AvailabilityZone: !Select [0, !GetAZs ""]
    ```
    """

    id = "IAC014"
    name = "hardcoded-environment"
    severity = Severity.WARNING
    summary = "an AMI id, zone, account id, region or key pair is written for one account and region"
    tags = ("portability", "multi-environment")
    VALID = [
        Example.cfn_yaml(
            """
            Parameters:
              LatestAmiId:
                Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
                Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
            Resources:
              Instance:
                Type: AWS::EC2::Instance
                Properties:
                  ImageId: !Ref LatestAmiId
                  AvailabilityZone: !Select [0, !GetAZs ""]
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  KmsMasterKeyId: !Sub arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/aws/sns
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Statement:
                      - Effect: Allow
                        Principal: {Service: lambda.amazonaws.com}
                        Action: sts:AssumeRole
                  ManagedPolicyArns:
                    - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
            """,
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    ami = aws.ec2.get_ami(most_recent=True, owners=["amazon"])
                    zones = aws.get_availability_zones()
                    aws.ec2.Instance(
                        "web", ami=ami.id, instance_type="t3.micro", availability_zone=zones.names[0]
                    )
            """,
        ),
    ]
    INVALID = [
        Example.cfn_yaml(
            """
            Parameters:
              KeyName:  # expect: IAC014
                Type: AWS::EC2::KeyPair::KeyName
            Resources:
              Instance:
                Type: AWS::EC2::Instance
                Properties:
                  ImageId: ami-0abcdef1234567890  # expect: IAC014
                  AvailabilityZone: us-east-1a  # expect: IAC014
                  KeyName: !Ref KeyName
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  KmsMasterKeyId: arn:aws:kms:us-east-1:123456789012:key/1234abcd  # expect: IAC014
            """,
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.ec2.Instance(
                        "web",
                        ami="ami-0abcdef1234567890",  # expect: IAC014
                        instance_type="t3.micro",
                        key_name="deployer",  # expect: IAC014
                    )
            """,
        ),
        Example.cdk(
            """
            import aws_cdk as cdk
            from aws_cdk import aws_sns as sns
            from constructs import Construct


            class TapStackProps(cdk.StackProps):
                def __init__(self, environment_suffix=None, **kwargs):
                    super().__init__(**kwargs)
                    self.environment_suffix = environment_suffix


            class TapStack(cdk.Stack):
                def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    sns.CfnTopic(
                        self,
                        "Alerts",
                        kms_master_key_id="arn:aws:kms:eu-west-1:123456789012:key/1234abcd",  # expect: IAC014
                    )
            """,
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        project = ctx.project
        looped: set[tuple[object, str]] = set()  # one source line making several resources: say it once
        for item in environment_assumptions(project):
            what, fix = _WHAT[item.kind]
            owner = project.resource(item.resource) if item.resource is not None else None
            if owner is not None and owner.in_loop:
                if (item.location, f"{item.kind}:{item.text}") in looped:
                    continue
                looped.add((item.location, f"{item.kind}:{item.text}"))
            described = what.format(text=item.text)
            if item.resource is None:
                subject = "The project" if item.kind == "default-vpc" else "The template"
                message = f"{subject} {described}"
            else:
                resource = project.resource(item.resource)
                kind = resource.type if resource else "Resource"
                via = " (a template parameter's default)" if item.from_parameter else ""
                message = f"{kind} '{item.resource}' uses {described}{via}"
            yield self.finding(
                message,
                item.location,
                fix,
                resource=item.resource,
                key=f"{item.kind}:{item.text}",
            )
