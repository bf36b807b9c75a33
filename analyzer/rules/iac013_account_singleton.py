"""IAC013 account-singleton: resources an account or region allows once, created by every environment.

The singletons are data (``analyzer/data/singletons.json``, one source per entry). The DMS roles
that DMS looks up by name (IAC004's table) are singletons too: IAC004 reports them when they are
misnamed, this rule when they are named right but created by every environment, so one role is
never reported twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from analyzer.facts import Singleton
from analyzer.findings import Finding, Severity
from analyzer.model import Literal, Project, Resource, literal_of
from analyzer.rules.base import Example, Rule, RuleContext
from analyzer.rules.iac004_dms_role_name import DMS_ROLES, ROLE_TYPE

_DATA = Path(__file__).resolve().parents[1] / "data" / "singletons.json"


@dataclass(frozen=True, slots=True)
class SingletonSpec:
    label: str
    types: tuple[str, ...]
    tokens: tuple[str, ...]
    kind: str  # "fails" | "setting"
    error: str
    lookup: str
    source: str
    unless: str | None = None  # a property that makes the resource not a singleton (CustomSuffix)


@cache
def singleton_specs() -> tuple[SingletonSpec, ...]:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    return tuple(
        SingletonSpec(
            item["label"],
            tuple(item["types"]),
            tuple(item["tokens"]),
            item["kind"],
            item["error"],
            item["lookup"],
            item["source"],
            item.get("unless"),
        )
        for item in data["singletons"]
    )


_DMS_NAMES = {spec.name: spec for spec in DMS_ROLES}


def conditional(resource: Resource) -> bool:
    """Created only under a condition the deployment chooses (a CloudFormation ``Condition``; a
    plugin that records conditional creation on Python platforms uses the same option), unless the
    plugin decided that the condition holds when every parameter keeps its default
    (``ConditionDefault``): a TAP pipeline sets only the suffix, so such a resource is created by
    every deployment."""
    if "Condition" not in resource.options:
        return False
    return literal_of(resource.options.get("ConditionDefault")) is not True


def account_singletons(project: Project) -> list[Singleton]:
    """Singletons the project creates unconditionally, in model order."""
    found: list[Singleton] = []
    specs = singleton_specs()
    for resource in project.resources:
        if conditional(resource):
            continue
        spec = next((s for s in specs if resource.type in s.types or resource.source_type in s.tokens), None)
        if spec is not None:
            if spec.unless and resource.properties.get(spec.unless) is not None:
                continue
            found.append(
                Singleton(
                    resource.id,
                    resource.type,
                    spec.label,
                    spec.kind,
                    spec.error,
                    spec.lookup,
                    resource.location,
                )
            )
        elif resource.type == ROLE_TYPE:
            name = resource.name
            if isinstance(name, Literal) and isinstance(name.value, str) and name.value in _DMS_NAMES:
                where = name.location or resource.location_of(resource.name_property)
                found.append(
                    Singleton(
                        resource.id,
                        resource.type,
                        "DMS service role",
                        "fails",
                        f"EntityAlreadyExists: Role with name {name.value} already exists",
                        "a role created once per account (DMS looks it up by name, so no stack needs to own it)",
                        where,
                    )
                )
    return found


class AccountSingleton(Rule):
    """
    ## What it does
    Finds resources of which an AWS account (or one region of it) allows only one, created
    unconditionally by a stack that is deployed once per environment: GuardDuty detectors, AWS
    Config recorders and delivery channels, Security Hub (`AWS::SecurityHub::Hub`, Pulumi
    `securityhub.Account`), Macie sessions, Detective graphs, organizations, service-linked roles
    without a custom suffix, the DMS roles DMS looks up by name (`dms-vpc-role`, ...; IAC004 checks
    their names), and account-wide settings that every environment overwrites
    (`AWS::ApiGateway::Account`, the IAM account password policy, the Inspector enabler, EBS
    encryption by default, the S3 account public access block). The table with its sources is
    `analyzer/data/singletons.json`.

    A CloudFormation resource with a `Condition` is not reported, unless the condition holds when
    every parameter keeps its default (a deployment that sets only the suffix creates it). The
    Pulumi and CDK plugins do
    not record whether a resource is created inside an `if`, so on those platforms a singleton
    behind a configuration flag is reported too: suppress it with a reason, or move it to an
    account-level stack.

    ## Why is this bad
    The first environment creates the singleton; the second one's deployment fails
    (`BadRequestException: ... a detector already exists for the current account`,
    `MaxNumberOfConfigurationRecordersExceededException`, `EntityAlreadyExists`). Account-wide
    settings do not fail, but every environment overwrites them and tearing one environment down
    resets them for all.

    ## Example
    ```python
    aws.guardduty.Detector(f"detector-{suffix}", enable=True)
    ```

    ## Use instead
    Create account singletons once per account (a separate bootstrap stack), make them
    conditional (a CloudFormation `Condition` on a parameter), or look the existing one up:
    ```python
    detector_id = aws.guardduty.get_detector().id
    ```
    """

    id = "IAC013"
    name = "account-singleton"
    severity = Severity.ERROR
    summary = "a resource the account allows only once is created by every environment's deployment"
    tags = ("deploy-failure", "multi-environment")
    VALID = [
        Example.cfn_yaml(
            """
            Parameters:
              EnableGuardDuty:
                Type: String
                AllowedValues: ["true", "false"]
                Default: "false"
            Conditions:
              CreateDetector: !Equals [!Ref EnableGuardDuty, "true"]
            Resources:
              Detector:
                Type: AWS::GuardDuty::Detector
                Condition: CreateDetector
                Properties:
                  Enable: true
              Role:
                Type: AWS::IAM::ServiceLinkedRole
                Properties:
                  AWSServiceName: autoscaling.amazonaws.com
                  CustomSuffix: !Ref AWS::StackName
            """,
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    detector = aws.guardduty.get_detector()
                    aws.guardduty.Filter(
                        f"filter-{args.environment_suffix}",
                        detector_id=detector.id,
                        name=f"filter{args.environment_suffix}",
                        action="ARCHIVE",
                        rank=1,
                        finding_criteria={"criterions": [{"field": "severity", "equals": ["2"]}]},
                    )
            """,
        ),
    ]
    INVALID = [
        Example.cfn_yaml(
            """
            Resources:
              Detector:  # expect: IAC013
                Type: AWS::GuardDuty::Detector
                Properties:
                  Enable: true
              Recorder:  # expect: IAC013
                Type: AWS::Config::ConfigurationRecorder
                Properties:
                  RoleARN: arn:aws:iam::123456789012:role/config
              ApiAccount:  # expect: IAC013
                Type: AWS::ApiGateway::Account
            """,
        ),
        Example.cfn_yaml(
            """
            Parameters:
              EnableGuardDuty:
                Type: String
                AllowedValues: ["true", "false"]
                Default: "true"
            Conditions:
              CreateDetector: !Equals [!Ref EnableGuardDuty, "true"]
            Resources:
              Detector:  # expect: IAC013
                Type: AWS::GuardDuty::Detector
                Condition: CreateDetector
                Properties:
                  Enable: true
            """,
            title="a condition that holds with the parameters' defaults",
        ),
        Example.pulumi(
            """
            import json

            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.securityhub.Account(f"hub-{args.environment_suffix}")  # expect: IAC013
                    aws.iam.AccountPasswordPolicy("policy", minimum_password_length=14)  # expect: IAC013
                    aws.iam.Role(
                        "dms-vpc-role",
                        name="dms-vpc-role",  # expect: IAC013
                        assume_role_policy=json.dumps({
                            "Statement": [{"Effect": "Allow", "Principal": {"Service": "dms.amazonaws.com"},
                                           "Action": "sts:AssumeRole"}],
                        }),
                    )
            """,
        ),
        Example.cdk(
            """
            import aws_cdk as cdk
            from aws_cdk import aws_guardduty as guardduty
            from constructs import Construct


            class TapStackProps(cdk.StackProps):
                def __init__(self, environment_suffix=None, **kwargs):
                    super().__init__(**kwargs)
                    self.environment_suffix = environment_suffix


            class TapStack(cdk.Stack):
                def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    guardduty.CfnDetector(self, "Detector", enable=True)  # expect: IAC013
            """,
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for item in account_singletons(ctx.project):
            if item.kind == "fails":
                message = (
                    f"{item.resource_type} '{item.resource}' ({item.label}) can exist only once per "
                    f"account: every environment creates it, so the second deployment to the account "
                    f"fails ({item.error})"
                )
                severity = self.severity
            else:
                message = (
                    f"{item.resource_type} '{item.resource}' ({item.label}) is one setting per account: "
                    f"{item.error}"
                )
                severity = Severity.WARNING if self.severity is Severity.ERROR else self.severity
            hint = (
                f"create it once per account (a separate bootstrap stack), make it conditional on a "
                f"parameter or config flag, or use {item.lookup}"
            )
            yield self.finding(
                message, item.location, hint, resource=item.resource, key=item.label, severity=severity
            )
