"""IAC014 hardcoded-environment: values that tie the stack to the account and region it was written in.

Literal AMI ids, availability-zone names, account ids and regions inside ARNs, key pair names,
required key-pair parameters without a default, and lookups of the default VPC or a default
subnet. Values built from ``AWS::AccountId``/``AWS::Region``, Pulumi/CDK lookups, configuration
(Pulumi stack config, CDK context) or parameters the deployment sets are not literals here and are
not reported.

Lookups are read from the plugin fact ``Project.facts["lookups"]`` (written by the Pulumi and CDK
plugins through ``analyzer.python.lookups``): a list of ``{"call": "aws.ec2.get_vpc" |
"aws_cdk.aws_ec2.Vpc.from_lookup" | ..., "arguments": {keyword: Value}, "location": Location,
"condition": str | None, "runs_unconfigured": bool}``. A lookup is reported when it certainly asks
for the default (a literal ``default=True`` / ``is_default=True`` / ``default_for_az=True``, or a
literal ``is-default`` / ``default-for-az`` filter) and runs in a deployment that sets no
configuration value (``runs_unconfigured``: no undecided ``if`` around it, or the fallback branch of
``if vpc_id: ... else: <lookup>`` where ``vpc_id`` is configuration nothing in the worktree sets);
a flag from configuration, a lookup behind any other undecided ``if``, and a synchronous Pulumi
invoke inside a ``try`` that handles ``Exception`` (``in_try``: the handler may recover) are left
alone."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from analyzer.findings import Finding, Severity
from analyzer.model import Concat, Literal, Location, Origin, Project, Resource, Unknown, Value
from analyzer.rules.base import Example, Rule, RuleContext
from analyzer.rules.iac020_log_bucket_policy_denies_delivery import ELB_ACCOUNTS

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


@dataclass(frozen=True, slots=True)
class DefaultLookup:
    """A lookup that finds nothing in an account without a default VPC, and fails when it does."""

    kind: str  # "default-vpc" | "default-subnet"
    flag: str  # the keyword that asks for the default ("": the call always does)
    filters: frozenset[str]  # EC2 filter names that ask for it too (``filters=[{name, values: ["true"]}]``)
    shown: str  # the call as the message names it
    error: str  # what the deployment says
    fix: str  # in the platform's own terms
    # The failure raises in the program, so a `try` that handles Exception may recover (Pulumi's
    # synchronous invokes); an Output-returning invoke fails later, a CDK lookup after synthesis.
    raises: bool = False


# Pulumi AWS registry, ec2.getVpc / ec2.getSubnet: ``default`` / ``default_for_az`` select the
# region's default VPC / the default subnet of a zone, and a data source that matches nothing fails
# the program ("no matching EC2 VPC found", seed 002; "no matching EC2 Subnet found"). The filter
# names are the EC2 API's (DescribeVpcs ``is-default``, DescribeSubnets ``default-for-az``); the
# camel-case spellings seen in programs (``isDefault``) are read too. get_subnets/get_vpcs return an empty
# list instead of failing, so they are not here. aws-cdk-lib ec2.Vpc.fromLookup ``isDefault``: the
# vpc-provider context lookup that `cdk synth` runs throws "Could not find any VPCs matching ...".
_PULUMI_VPC = DefaultLookup(
    "default-vpc",
    "default",
    frozenset({"is-default", "isDefault"}),
    "aws.ec2.get_vpc",
    "the Pulumi program fails with 'no matching EC2 VPC found'",
    "create the VPC in the stack (aws.ec2.Vpc with its subnets), or take its id from configuration "
    '(aws.ec2.get_vpc(id=pulumi.Config().require("vpcId")))',
)
_PULUMI_SUBNET = DefaultLookup(
    "default-subnet",
    "default_for_az",
    frozenset({"default-for-az", "defaultForAz"}),
    "aws.ec2.get_subnet",
    "the Pulumi program fails with 'no matching EC2 Subnet found'",
    "create the VPC and its subnets in the stack (aws.ec2.Vpc, aws.ec2.Subnet), or take the subnet ids "
    "from configuration",
)
_DEFAULT_LOOKUPS: dict[str, DefaultLookup] = {
    "aws.ec2.get_vpc": replace(_PULUMI_VPC, raises=True),
    "aws.ec2.get_vpc_output": _PULUMI_VPC,
    "aws.ec2.get_subnet": replace(_PULUMI_SUBNET, raises=True),
    "aws.ec2.get_subnet_output": _PULUMI_SUBNET,
    # pulumi-awsx awsx/ec2/getDefaultVpc.ts: the DefaultVpc component is aws.ec2.getVpc({default: true}).
    "awsx.ec2.DefaultVpc": DefaultLookup(
        "default-vpc",
        "",
        frozenset(),
        "awsx.ec2.DefaultVpc",
        "the Pulumi program fails with 'no matching EC2 VPC found'",
        "create the VPC in the stack (awsx.ec2.Vpc or aws.ec2.Vpc), or take its id from configuration",
    ),
    "aws_cdk.aws_ec2.Vpc.from_lookup": DefaultLookup(
        "default-vpc",
        "is_default",
        frozenset(),
        "ec2.Vpc.from_lookup",
        "`cdk synth` fails with 'Could not find any VPCs matching ...'",
        'create the VPC in the stack (ec2.Vpc(self, "Vpc", max_azs=2)), or look it up by an id from '
        'context (ec2.Vpc.from_lookup(self, "Vpc", vpc_id=self.node.try_get_context("vpcId")))',
    ),
}


@dataclass(frozen=True, slots=True)
class Assumption:
    resource: str | None
    kind: str  # "ami" | "zone" | "account" | "account-region" | "region" | "key-pair" | "key-parameter" | "default-vpc" | "default-subnet"
    text: str
    path: str
    location: Location
    from_parameter: bool = False
    detail: str = ""  # lookups: what the deployment says
    fix: str = ""  # lookups: the fix in the platform's terms (else the kind's)


def _literal_strings(
    value: Value | None, path: str, fragment: bool = False
) -> Iterator[tuple[str, str, Value, bool]]:
    """(path, text, value, fragment) for every literal string inside ``value``, Concat parts
    included; ``fragment`` is True for a part of a Concat (only a piece of the final string)."""
    if isinstance(value, Concat):
        for part in value.parts:
            yield from _literal_strings(part, path, True)
    elif isinstance(value, Literal):
        inner = value.value
        if isinstance(inner, str):
            yield path, inner, value, fragment
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
        for path, text, part, fragment in _literal_strings(value, name):
            if _settable(part):
                continue
            where = part.location or resource.location_of(name)
            from_parameter = bool(part.origin & Origin.PARAMETER)
            hits: list[tuple[str, str]] = []
            if AMI_ID.match(text):
                hits.append(("ami", text))
            elif ZONE_NAME.match(text):
                hits.append(("zone", text))
            elif path.rsplit(".", 1)[-1] == "KeyName":
                # A key pair is assumed only where a whole literal names one to use: the KeyName of
                # an AWS::EC2::KeyPair is the key it creates (its own name), and a piece of a
                # built name (`${AWS::StackName}-key`) is not the name of an existing key.
                if text.strip() and not fragment and path != resource.name_property:
                    hits.append(("key-pair", text))
            else:
                for match in ARN_HEAD.finditer(text):
                    if match.group(3) in ELB_ACCOUNTS:
                        # AWS's own Elastic Load Balancing log-delivery account, which a bucket
                        # policy must name (IAC020): not the account the stack was written in.
                        continue
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
    """Lookups of the default VPC or a default subnet that run in a deployment setting no
    configuration value (see the module docstring), from the plugin fact ``facts["lookups"]``."""
    found: list[Assumption] = []
    lookups = project.facts.get("lookups")
    if not isinstance(lookups, (list, tuple)):
        return found
    for lookup in lookups:
        if not isinstance(lookup, Mapping):
            continue
        call = lookup.get("call")
        spec = _DEFAULT_LOOKUPS.get(call) if isinstance(call, str) else None
        arguments: Any = lookup.get("arguments")
        location = lookup.get("location")
        if spec is None or not isinstance(arguments, Mapping) or not isinstance(location, Location):
            continue
        condition = lookup.get("condition")
        runs = lookup.get("runs_unconfigured", not condition)
        if runs is not True:
            continue  # behind a test the analysis cannot decide: the deployment may never run it
        if spec.raises and lookup.get("in_try") is True:
            continue  # `try: get_vpc(default=True) except Exception: <create one>` recovers
        asked = _asks_for_default(spec, arguments)
        if asked is not None:
            detail = spec.error
            if isinstance(condition, str) and condition:
                # The fallback branch of `if vpc_id: ... else: <lookup>`: the CI deployment sets
                # no such configuration value, so it is the branch that runs.
                detail = f"{detail}: `{condition}` holds in a deployment that does not set that configuration"
            found.append(
                Assumption(
                    None, spec.kind, f"{spec.shown}({asked})", asked, location, detail=detail, fix=spec.fix
                )
            )
    return found


def _asks_for_default(spec: DefaultLookup, arguments: Mapping[str, Any]) -> str | None:
    """How the call asks for the default (``default=True``, ``filters=[is-default=true]``), or None
    when it does not certainly ask (a flag from configuration, filters the analysis cannot read)."""
    if not spec.flag:
        return "..."  # the call always means the default VPC
    flag = arguments.get(spec.flag)
    if isinstance(flag, Literal) and flag.value is True:
        return f"{spec.flag}=True"
    if isinstance(flag, Literal) and isinstance(flag.value, str) and flag.value.lower() == "true":
        # `get_vpc(default="true")`, seen in real programs: the provider reads it as the flag.
        return f'{spec.flag}="{flag.value}"'
    filters = arguments.get("filters")
    if spec.filters and isinstance(filters, Literal) and isinstance(filters.value, tuple):
        for entry in filters.value:
            fields = entry.value if isinstance(entry, Literal) and isinstance(entry.value, dict) else {}
            lowered = {str(key).lower(): value for key, value in fields.items()}
            name, values = lowered.get("name"), lowered.get("values")
            if not (isinstance(name, Literal) and name.value in spec.filters):
                continue
            if isinstance(values, Literal) and isinstance(values.value, tuple) and values.value:
                texts = [item.value if isinstance(item, Literal) else None for item in values.value]
                if all(isinstance(text, str) and text.lower() == "true" for text in texts):
                    return f"filters=[{name.value}=true]"
    return None


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
        "looks up the default VPC with {text}: new and CI accounts have none, so {detail}",
        "create the VPC in the stack, or take its id from configuration",
    ),
    "default-subnet": (
        "looks up a default subnet with {text}: default subnets belong to the default VPC, which new "
        "and CI accounts lack, so {detail}",
        "create the VPC and its subnets in the stack, or take the subnet ids from configuration",
    ),
}


class HardcodedEnvironment(Rule):
    """
    ## What it does
    Finds values that tie a stack to the account and region it was written in: literal AMI ids
    (`ami-0abc...`), availability-zone names (`us-east-1a`), ARNs with a literal account id or
    region (`arn:aws:sns:us-east-1:123456789012:alerts`), literal EC2 key pair names, CloudFormation
    key-pair parameters without a default, and lookups of the default VPC or a default subnet
    (Pulumi `aws.ec2.get_vpc(default=True)`, `get_subnet(default_for_az=True)` or the equivalent
    `is-default` / `default-for-az` filters, `awsx.ec2.DefaultVpc`; CDK
    `ec2.Vpc.from_lookup(is_default=True)`) that run
    in a deployment that sets no configuration value: unconditionally, or as the fallback of
    `if vpc_id: ... else: ...` when no stack file or `cdk.json` sets `vpc_id`. A lookup behind a
    flag (`if use_default_vpc:`) is not reported. A literal is reported once per resource. Values from
    `AWS::AccountId`/`AWS::Region`, lookups, Pulumi stack configuration or CDK context are not
    literals and are fine; a template parameter's default is reported, since a deployment that sets
    only the environment suffix uses it.

    ## Why is this bad
    The stack deploys in the author's account and region only: in another region the AMI and
    the zone do not exist, in another account the ARNs point at nothing or at someone else's
    resources, the key pair is missing, and a fresh CI account has no default VPC: the Pulumi
    program stops with "no matching EC2 VPC found", `cdk synth` with "Could not find any VPCs
    matching ...".

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
        Example.cfn_yaml(
            """
            Parameters:
              EnvironmentSuffix:
                Type: String
                Default: dev
            Resources:
              KeyPair:
                Type: AWS::EC2::KeyPair
                Properties:
                  KeyName: !Sub ${AWS::StackName}-${EnvironmentSuffix}-keypair
              Template:
                Type: AWS::EC2::LaunchTemplate
                Properties:
                  LaunchTemplateData:
                    ImageId: "{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}"
                    KeyName: !Ref KeyPair
            """,
            title="a key pair the stack creates",
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
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    shared = aws.ec2.get_vpc(id=pulumi.Config().require("sharedVpcId"))
                    aws.ec2.SecurityGroup("shared-sg", vpc_id=shared.id, description="shared")
                    vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
                    aws.ec2.SecurityGroup("web-sg", vpc_id=vpc.id, description="web")
            """,
            title="a VPC looked up by a configured id, and one the stack creates",
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
                    shared = ec2.Vpc.from_lookup(
                        self, "Shared", vpc_id=self.node.try_get_context("sharedVpcId")
                    )
                    ec2.SecurityGroup(self, "SharedSg", vpc=shared)
                    vpc = ec2.Vpc(self, "Vpc", max_azs=2)
                    ec2.SecurityGroup(self, "WebSg", vpc=vpc)
            """,
            title="a VPC looked up by a context id, and one the stack creates",
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
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    vpc = aws.ec2.get_vpc(default=True)  # expect: IAC014
                    aws.ec2.SecurityGroup("web-sg", vpc_id=vpc.id, description="web")
            """,
            title="a Pulumi lookup of the default VPC",
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
                    vpc = ec2.Vpc.from_lookup(self, "Vpc", is_default=True)  # expect: IAC014
                    ec2.SecurityGroup(self, "WebSg", vpc=vpc)
            """,
            title="a CDK lookup of the default VPC",
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
            fix = item.fix or fix
            described = what.format(text=item.text, detail=item.detail)
            if item.resource is None:
                subject = "The project" if item.kind in ("default-vpc", "default-subnet") else "The template"
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
