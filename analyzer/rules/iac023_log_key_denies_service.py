"""IAC023 log-key-denies-service: a CloudWatch Logs log group or a CloudTrail trail is encrypted with
a KMS key of the project whose key policy does not let that service use the key."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from analyzer.findings import Finding, Related, Severity
from analyzer.iam import Statement, allows, normalize_document, opaque_statement
from analyzer.model import Concat, Literal, Project, Ref, Resource, Unknown, Value, items_of, render
from analyzer.rules.base import Example, Rule, RuleContext

_KEY = "AWS::KMS::Key"
# Resources that change a key's policy or add grants apart from the key (Pulumi ``aws.kms.KeyPolicy``,
# ``aws.kms.Grant``): a key they may touch has a policy the rule cannot see whole.
_KEY_POLICY_CHANGERS = ("Pulumi::AWS::KMS::KeyPolicy", "Pulumi::AWS::KMS::Grant")
# CDK L2 keys: the plugin does not model ``key.add_to_resource_policy(...)``, ``key.grant_*(...)`` or
# the statements other constructs add to a key policy, so their policy is never known whole. Only
# the L1 ``CfnKey`` (whose ``key_policy`` is the whole document) is judged in CDK.
_CDK_PREFIX = "aws_cdk."
_CDK_L1_KEY = "aws_cdk.aws_kms.CfnKey"


@dataclass(frozen=True, slots=True)
class _Service:
    """A service that uses a KMS key named on a resource, and what it checks when it is created."""

    resource_type: str
    properties: tuple[str, ...]  # where the resource names its key (CloudFormation, Pulumi spelling)
    noun: str
    service: str  # for the message
    principal: str  # "logs": any logs.<region>.amazonaws.com; otherwise the exact service principal
    uses: tuple[str, ...]  # actions of which the policy must grant the service at least one
    fix_actions: tuple[str, ...]
    call: str
    error: str  # with <name> for the resource's name
    fix_condition: str  # how the documented statement narrows itself, for the hint
    takes_key_id: bool  # the property also takes the key's id, not only its ARN


# CloudWatch Logs: the user guide's key policy statement grants kms:Encrypt*, Decrypt*, ReEncrypt*,
# GenerateDataKey* and Describe* to ``logs.<region>.amazonaws.com``; CreateLogGroup (and
# AssociateKmsKey) answer AccessDeniedException "The specified KMS key does not exist or is not
# allowed to be used with Arn ..." when it lacks them. Sources: CloudWatch Logs user guide, "Encrypt
# log data in CloudWatch Logs using AWS Key Management Service", Step 2
# (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html); the error
# as reported in aws-cdk issue 28304.
_LOGS = _Service(
    resource_type="AWS::Logs::LogGroup",
    properties=("KmsKeyId",),
    noun="Log group",
    service="CloudWatch Logs",
    principal="logs",
    uses=(
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncryptFrom",
        "kms:ReEncryptTo",
        "kms:GenerateDataKey",
        "kms:DescribeKey",
    ),
    fix_actions=("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"),
    call="CreateLogGroup",
    error="AccessDeniedException: The specified KMS key does not exist or is not allowed to be used "
    "with Arn 'arn:aws:logs:<region>:<account>:log-group:<name>'",
    fix_condition="an ArnLike condition on kms:EncryptionContext:aws:logs:arn may narrow it to the log groups",
    takes_key_id=False,  # CreateLogGroup's kmsKeyId is the key's ARN (CloudWatch Logs API reference)
)
# CloudTrail: the key policy must let cloudtrail.amazonaws.com call kms:GenerateDataKey* (and
# kms:DescribeKey); CreateTrail otherwise answers InsufficientEncryptionPolicyException ("the policy
# on the S3 bucket or KMS key does not have sufficient permissions", CloudTrail API reference).
# Source: CloudTrail user guide, "Configure AWS KMS key policies for CloudTrail"
# (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html).
_CLOUDTRAIL = _Service(
    resource_type="AWS::CloudTrail::Trail",
    properties=("KMSKeyId", "KmsKeyId"),
    noun="CloudTrail trail",
    service="CloudTrail",
    principal="cloudtrail.amazonaws.com",
    uses=("kms:GenerateDataKey", "kms:DescribeKey", "kms:Encrypt"),
    fix_actions=("kms:GenerateDataKey*", "kms:DescribeKey"),
    call="CreateTrail",
    error="InsufficientEncryptionPolicyException (the policy on the S3 bucket or KMS key is not sufficient)",
    fix_condition="a StringLike condition on kms:EncryptionContext:aws:cloudtrail:arn may narrow it to "
    "this account's trails",
    takes_key_id=True,  # CreateTrail's KmsKeyId: a key id, a key ARN, an alias or an alias ARN
)
_SERVICES = (_LOGS, _CLOUDTRAIL)

# The Region in each platform's own words, for the CloudWatch Logs principal of the statement to add.
_REGION = {
    "cloudformation": '!Sub "logs.${AWS::Region}.amazonaws.com"',
    "pulumi": 'f"logs.{aws.get_region().name}.amazonaws.com" (.region in pulumi-aws 7)',
    "cdk": 'f"logs.{Stack.of(self).region}.amazonaws.com"',
}


@dataclass(frozen=True, slots=True)
class _Use:
    service: _Service
    user: Resource  # the log group or trail
    key: Resource
    where: str  # the property naming the key


class LogKeyDeniesService(Rule):
    """
    ## What it does
    Finds a CloudWatch Logs log group (`AWS::Logs::LogGroup` with `KmsKeyId`, Pulumi
    `aws.cloudwatch.LogGroup(kms_key_id=...)`, CDK `logs.CfnLogGroup(kms_key_id=...)`) encrypted with
    a customer managed key of the project (`AWS::KMS::Key`, Pulumi `aws.kms.Key`, CDK `kms.CfnKey`)
    whose key policy grants the CloudWatch Logs service principal none of the KMS actions it needs
    (`kms:Encrypt*`, `kms:Decrypt*`, `kms:ReEncrypt*`, `kms:GenerateDataKey*`, `kms:Describe*`). The
    common case is a policy that only lets the account root (`arn:aws:iam::<account>:root`) use the
    key, or a key without a policy (AWS then applies that same default policy): the account root
    statement enables IAM policies, it does not let a service principal use the key. A CloudTrail
    trail (`AWS::CloudTrail::Trail` with `KMSKeyId`, Pulumi `aws.cloudtrail.Trail(kms_key_id=...)`,
    CDK `CfnTrail`) is checked the same way for `cloudtrail.amazonaws.com` and
    `kms:GenerateDataKey*` / `kms:DescribeKey`.

    For log groups, a statement counts as a grant when its principal is `*`, or a service principal
    `logs.<region>.amazonaws.com` in any form (a literal Region, `${AWS::Region}`, the platform's
    region token). The rule is silent when the key is not a resource of the project (a literal ARN,
    a parameter, an imported key, an alias), when the key policy or a statement in it cannot be
    read (a statement naming an unreadable principal, a condition iacscan cannot evaluate such as
    `kms:EncryptionContext:aws:logs:arn`, `kms:ViaService`, a Deny it cannot judge), when a
    statement grants `logs.amazonaws.com` (without the Region; whether CloudWatch Logs accepts that
    form is not documented), when the policy grants some of the actions but not all, when another
    resource may change the key's policy (Pulumi `aws.kms.KeyPolicy`, `aws.kms.Grant`), and when the
    key or the log group is created under a condition the analysis cannot decide or in a loop. CDK
    L2 keys (`kms.Key`) are not judged: CDK adds statements to their policy from `grant_*` and
    `add_to_resource_policy` calls the model does not carry. CDK `logs.LogGroup(encryption_key=key)`
    does not add the CloudWatch Logs statement itself (aws-logs log-group.ts passes only
    `encryptionKey.keyArn` to `CfnLogGroup`; aws-cdk issue 28304, whose opt-in fix in pull request
    38654 is not released), so the defect is real there too, but it is not reported.

    ## Why is this bad
    CloudWatch Logs checks the key when the log group is created (`CreateLogGroup` with `kmsKeyId`,
    and `AssociateKmsKey`): the deployment fails and rolls back with `AccessDeniedException: The
    specified KMS key does not exist or is not allowed to be used with Arn
    'arn:aws:logs:<region>:<account>:log-group:<name>'` (aws-cdk issue 28304; in CloudFormation a
    `GeneralServiceException` of the log group). The CloudWatch Logs user guide, "Encrypt log data
    in CloudWatch Logs using AWS Key Management Service", Step 2, gives the statement the key policy
    needs: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html (an
    `ArnLike` condition on `kms:EncryptionContext:aws:logs:arn` may narrow it to the log groups).
    `CreateTrail` checks the key too and answers `InsufficientEncryptionPolicyException` ("the policy
    on the S3 bucket or KMS key does not have sufficient permissions", CloudTrail API reference);
    the statements it needs are in the CloudTrail user guide, "Configure AWS KMS key policies for
    CloudTrail":
    https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html.

    ## Example
    ```yaml
    LogKey:
      Type: AWS::KMS::Key
      Properties:
        KeyPolicy:
          Statement:
            - Effect: Allow
              Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
              Action: kms:*
              Resource: "*"
    AppLogs:
      Type: AWS::Logs::LogGroup
      Properties:
        KmsKeyId: !GetAtt LogKey.Arn
    ```

    ## Use instead
    ```yaml
    LogKey:
      Type: AWS::KMS::Key
      Properties:
        KeyPolicy:
          Statement:
            - Effect: Allow
              Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
              Action: kms:*
              Resource: "*"
            - Effect: Allow
              Principal: {Service: !Sub "logs.${AWS::Region}.amazonaws.com"}
              Action: [kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey*, kms:Describe*]
              Resource: "*"
    ```
    In Pulumi, add the same statement to `aws.kms.Key(policy=...)` with the principal
    `f"logs.{aws.get_region().name}.amazonaws.com"`; in CDK, `key.add_to_resource_policy(...)` with
    `iam.ServicePrincipal(f"logs.{Stack.of(self).region}.amazonaws.com")`. For a trail, allow
    `kms:GenerateDataKey*` and `kms:DescribeKey` to `{Service: cloudtrail.amazonaws.com}`.
    """

    id = "IAC023"
    name = "log-key-denies-service"
    severity = Severity.ERROR
    summary = "a log group or trail is encrypted with a KMS key whose policy does not let the service use it"
    tags = ("iam", "deploy", "kms", "logs")

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        project = ctx.project
        for use in _uses(project):
            statements = _key_statements(project, use.key)
            if statements is None or not _denies(statements, use.service):
                continue
            yield self._finding(use, project.platform)

    def _finding(self, use: _Use, platform: str) -> Finding:
        service, user, key = use.service, use.user, use.key
        policy = (
            "has no key policy, so AWS applies the default one (the account root only)"
            if "KeyPolicy" not in key.properties
            else f"has a key policy that grants {service.service} none of " + ", ".join(service.fix_actions)
        )
        name = render(user.name) if user.name is not None else "<generated name>"
        message = (
            f"{service.noun} '{user.id}' ({user.location}) is encrypted with KMS key '{key.id}' "
            f"({key.location}), which {policy}: {service.call} checks the key and fails the deployment "
            f"with {service.error.replace('<name>', name)}"
        )
        if service.principal != "logs":
            principal = json.dumps(service.principal)
        elif platform == "cloudformation" and key.location.path.endswith(".json"):
            principal = '{"Fn::Sub": "logs.${AWS::Region}.amazonaws.com"}'
        else:
            principal = _REGION.get(platform, _REGION["cloudformation"])
        hint = (
            f'add to the key policy of \'{key.id}\' the statement {{"Effect": "Allow", "Principal": '
            f'{{"Service": {principal}}}, "Action": {json.dumps(list(service.fix_actions))}, '
            f'"Resource": "*"}} ({service.fix_condition})'
        )
        return self.finding(
            message,
            user.location_of(use.where),
            hint,
            resource=user.id,
            key=f"{user.id}|{key.id}",
            related=[Related(key.location, f"KMS key '{key.id}'")],
        )


def _uses(project: Project) -> Iterator[_Use]:
    for service in _SERVICES:
        for user in project.of_type(service.resource_type):
            if _undecided(user):
                continue
            for where in service.properties:
                key = _key_of(project, user.prop(where), service.takes_key_id)
                if key is not None and not _undecided(key):
                    yield _Use(service, user, key, where)


def _key_of(project: Project, value: Value | None, takes_key_id: bool) -> Resource | None:
    """The project's key a ``KmsKeyId`` names: ``!GetAtt Key.Arn`` / ``key.arn``, an ARN built
    around the key's id (``arn:...:key/${Key}``), or where the property takes it, the key's id
    (``!Ref Key``, ``key.id``, ``key.key_id``). Aliases and anything else: None."""
    ref: Ref | None = None
    if isinstance(value, Ref) and (
        value.attribute == "Arn" or (takes_key_id and value.attribute in (None, "Id", "KeyId"))
    ):
        ref = value
    elif isinstance(value, Concat):
        parts = [part for part in value.parts if not (isinstance(part, Literal) and part.value == "")]
        refs = [part for part in parts if isinstance(part, Ref)]
        index = parts.index(refs[0]) if len(refs) == 1 else -1
        before = parts[index - 1] if index > 0 else None
        if (
            isinstance(before, Literal)
            and isinstance(before.value, str)
            and before.value.endswith(":key/")
            and refs[0].attribute in (None, "Id", "KeyId")
            and index == len(parts) - 1
        ):
            ref = refs[0]
    if ref is None:
        return None
    key = project.resource(ref.resource)
    if key is None or key.type != _KEY:
        return None
    return key


def _undecided(resource: Resource) -> bool:
    """Created only under a condition the analysis cannot decide, or several times in a loop."""
    return "Condition" in resource.options or resource.in_loop


def _key_statements(project: Project, key: Resource) -> tuple[Statement, ...] | None:
    """The key policy's statements; None when the policy cannot be known whole."""
    if key.source_type.startswith(_CDK_PREFIX) and key.source_type != _CDK_L1_KEY:
        return None
    for other in project.of_type(*_KEY_POLICY_CHANGERS):
        target = other.prop("KeyId")
        if not isinstance(target, Ref) or target.resource == key.id:
            return None  # changes this key's policy, or a key the analysis cannot name
    if "KeyPolicy" not in key.properties:
        # AWS's default key policy: the account root may use the key, nobody else.
        return ()
    document = key.prop("KeyPolicy")
    where = key.location_of("KeyPolicy")
    if document is None:
        return (opaque_statement(key.id, where),)
    statements = normalize_document(document, key.id, where)
    if not statements or any(statement.opaque for statement in statements):
        return None
    return statements


def _denies(statements: tuple[Statement, ...], service: _Service) -> bool:
    """The statements certainly grant the service none of the actions it uses."""
    relevant: list[Statement] = []
    for statement in statements:
        covers = _principal_covers(statement.principal, service)
        if covers is False:
            continue
        relevant.append(statement if covers else replace(statement, opaque=True))
    return all(allows(relevant, action) is False for action in service.uses)


def _principal_covers(principal: Value | None, service: _Service) -> bool | None:
    """Does a statement's ``Principal`` include the service? None when it cannot be read, or names a
    form whose effect is not documented (``logs.amazonaws.com``)."""
    if principal is None:
        return None  # a principal the platform model does not carry (CDK ``principals=``)
    if isinstance(principal, Literal) and principal.value == "*":
        return True
    if not (isinstance(principal, Literal) and isinstance(principal.value, dict)):
        return None
    result: bool | None = False
    for kind, values in principal.value.items():
        for item in items_of(values):
            if kind != "Service":
                verdict = _aws_is_anyone(item, kind)
            elif service.principal == "logs":
                verdict = _service_is_logs(item)
            else:
                verdict = _service_is(item, service.principal)
            if verdict is True:
                return True
            if verdict is None:
                result = None
    return result


def _service_is(item: Value, principal: str) -> bool | None:
    text = _text(item)
    if text is None:
        return None
    if "\x00" not in text:
        return text.lower() == principal
    # Unknown parts may spell the principal only when the known parts fit around them.
    pattern = ".*".join(re.escape(part) for part in text.lower().split("\x00"))
    return None if re.fullmatch(pattern, principal, re.DOTALL) else False


def _service_is_logs(item: Value) -> bool | None:
    text = _text(item)
    if text is None:
        return None
    lowered = text.lower()
    if lowered == "logs.amazonaws.com":
        return None  # the user guide names only the regional form
    if lowered.startswith("logs.") and lowered.endswith(".amazonaws.com"):
        return True  # a literal Region, or a token standing for one
    head = lowered.split("\x00", 1)[0]
    if "\x00" in lowered and ("." not in head or head.startswith("logs.")):
        return None  # an unknown part may spell the CloudWatch Logs principal
    return False


def _aws_is_anyone(item: Value, kind: str) -> bool | None:
    """An ``AWS`` principal: ``*`` is everyone; an account, role or user is not the service. An
    unknown value may be ``*``. ``Federated``/``CanonicalUser`` principals are never the service."""
    if kind in ("Federated", "CanonicalUser"):
        return False
    if kind != "AWS":
        return None
    if isinstance(item, Ref):
        return False  # a role or user of the project
    text = _text(item)
    if text is None or ("\x00" in text and not text.startswith("arn:")):
        return None  # an unknown value, or one with an unknown part that may make it "*"
    return text == "*"


def _text(item: Value) -> str | None:
    """A principal's text, with every unknown part (a Region, an account) shown as a token."""
    if isinstance(item, Literal) and isinstance(item.value, str):
        return item.value
    if isinstance(item, Concat):
        parts: list[str] = []
        for part in item.parts:
            if isinstance(part, Literal) and isinstance(part.value, str):
                parts.append(part.value)
            elif isinstance(part, Ref | Unknown):
                parts.append("\x00")
            else:
                return None
        return "".join(parts)
    return None


# -- examples -------------------------------------------------------------------------------------------

_CFN = """
Parameters:
  EnvironmentSuffix:
    Type: String
    Default: dev
Resources:
  LogKey:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Sid: EnableRootAccount
            Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
            Action: kms:*
            Resource: "*"@STATEMENTS@
  AppLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub /app/orders-${EnvironmentSuffix}
      RetentionInDays: 7
      KmsKeyId: @KEY@@MARKER@
"""

_LOGS_REGIONAL = """
          - Sid: AllowCloudWatchLogs
            Effect: Allow
            Principal: {Service: !Sub "logs.${AWS::Region}.amazonaws.com"}
            Action: [kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey*, kms:Describe*]
            Resource: "*\""""
_LOGS_CONTEXT = (
    _LOGS_REGIONAL
    + """
            Condition:
              ArnLike:
                kms:EncryptionContext:aws:logs:arn: !Sub "arn:aws:logs:${AWS::Region}:${AWS::AccountId}:log-group:*\""""
)
_CLOUDTRAIL_ONLY = """
          - Sid: AllowCloudTrail
            Effect: Allow
            Principal: {Service: cloudtrail.amazonaws.com}
            Action: kms:GenerateDataKey*
            Resource: "*\""""


def _cfn(statements: str = "", key: str = "!GetAtt LogKey.Arn", marker: str = "") -> str:
    return _CFN.replace("@STATEMENTS@", statements).replace("@KEY@", key).replace("@MARKER@", marker)


_CFN_JSON = """
{
  "Resources": {
    "LogKey": {
      "Type": "AWS::KMS::Key",
      "Properties": {"KeyPolicy": {"Statement": [
        {"Effect": "Allow", "Principal": {"AWS": {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}},
         "Action": "kms:*", "Resource": "*"}@STATEMENTS@
      ]}}
    },
    "FlowLogs": {
      "Type": "AWS::Logs::LogGroup",
      "Properties": {
        "RetentionInDays": 14,
        "KmsKeyId": {"Fn::GetAtt": ["LogKey", "Arn"]}@MARKER@
      }
    }
  }
}
"""


def _cfn_json(statements: str = "", marker: str = "") -> str:
    return _CFN_JSON.replace("@STATEMENTS@", statements).replace("@MARKER@", marker)


_JSON_LOGS = """,
        {"Effect": "Allow", "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
         "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
         "Resource": "*"}"""

_PULUMI_STACK = """
import json

import pulumi
import pulumi_aws as aws


class TapStackArgs:
    def __init__(self, environment_suffix: str | None = None):
        self.environment_suffix = environment_suffix or "dev"


class TapStack(pulumi.ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        suffix = args.environment_suffix
        account_id = aws.get_caller_identity().account_id
        region = aws.get_region().name
        key = aws.kms.Key(
            f"logs-key-{suffix}",
            enable_key_rotation=True,
            policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                     "Action": "kms:*", "Resource": "*"},@STATEMENTS@
                ],
            }),
        )
        aws.cloudwatch.LogGroup(
            f"app-logs-{suffix}",
            name=f"/app/orders-{suffix}",
            retention_in_days=7,
            kms_key_id=key.arn,  @MARKER@
        )
"""

_PULUMI_LOGS = """
                    {"Effect": "Allow", "Principal": {"Service": f"logs.{region}.amazonaws.com"},
                     "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*",
                                "kms:GenerateDataKey*", "kms:Describe*"],
                     "Resource": "*"},"""


def _pulumi(statements: str = "", marker: str = "") -> str:
    return _PULUMI_STACK.replace("@STATEMENTS@", statements).replace("@MARKER@", marker)


_CDK_STACK = """
from aws_cdk import Stack, StackProps
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct


class TapStackProps(StackProps):
    def __init__(self, environment_suffix: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, props: TapStackProps | None = None, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
@BODY@
"""

_CDK_L1 = """        key = kms.CfnKey(
            self,
            "LogKey",
            key_policy={
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{self.account}:root"},
                     "Action": "kms:*", "Resource": "*"},@STATEMENTS@
                ],
            },
        )
        logs.CfnLogGroup(self, "AppLogs", retention_in_days=7, kms_key_id=key.attr_arn)  @MARKER@"""
_CDK_L1_LOGS = """
                    {"Effect": "Allow", "Principal": {"Service": f"logs.{self.region}.amazonaws.com"},
                     "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*",
                                "kms:GenerateDataKey*", "kms:Describe*"],
                     "Resource": "*"},"""
_CDK_L2 = """        key = kms.Key(self, "LogKey", enable_key_rotation=True)
        logs.LogGroup(self, "AppLogs", encryption_key=key)"""


def _cdk(body: str) -> str:
    return _CDK_STACK.replace("@BODY@", body)


_TRAIL = """
Resources:
  TrailKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:aws:iam::${AWS::AccountId}:root"}
            Action: kms:*
            Resource: "*"@STATEMENTS@
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: central-audit-logs
      KMSKeyId: !GetAtt TrailKey.Arn@MARKER@
"""
_TRAIL_STATEMENT = """
          - Effect: Allow
            Principal: {Service: cloudtrail.amazonaws.com}
            Action: [kms:GenerateDataKey*, kms:DescribeKey]
            Resource: "*\""""


LogKeyDeniesService.INVALID = [
    Example.cfn_yaml(_cfn(marker="  # expect: IAC023"), title="key policy grants the account root only"),
    Example.cfn_yaml(
        _cfn(_CLOUDTRAIL_ONLY, marker="  # expect: IAC023"), title="key policy grants CloudTrail, not Logs"
    ),
    Example.cfn_yaml(
        _cfn(
            key='!Sub "arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/${LogKey}"',
            marker="  # expect: IAC023",
        ),
        title="key ARN built around the key id",
    ),
    Example.cfn_json(_cfn_json(marker="  // expect: IAC023"), title="JSON template, root account only"),
    Example.pulumi(_pulumi(marker="# expect: IAC023"), title="Pulumi: policy built with json.dumps"),
    Example.cdk(
        _cdk(_CDK_L1.replace("@STATEMENTS@", "").replace("@MARKER@", "# expect: IAC023")),
        title="CDK: CfnKey and CfnLogGroup",
    ),
    Example.cfn_yaml(
        _TRAIL.replace("@STATEMENTS@", "").replace("@MARKER@", "  # expect: IAC023"),
        title="CloudTrail trail, key policy for the account root only",
    ),
]

LogKeyDeniesService.VALID = [
    Example.cfn_yaml(_cfn(_LOGS_REGIONAL), title="the documented CloudWatch Logs statement"),
    Example.cfn_yaml(_cfn(_LOGS_CONTEXT), title="with the encryption context condition: cannot judge"),
    Example.cfn_yaml(
        _cfn(key="arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        title="a key from outside the stack",
    ),
    Example.cfn_yaml(_cfn(key="alias/orders-logs"), title="an alias: not judged"),
    Example.cfn_json(_cfn_json(_JSON_LOGS), title="JSON template, literal Region"),
    Example.pulumi(_pulumi(_PULUMI_LOGS), title="Pulumi: the regional Logs principal"),
    Example.cdk(
        _cdk(_CDK_L1.replace("@STATEMENTS@", _CDK_L1_LOGS).replace("@MARKER@", "")),
        title="CDK: CfnKey whose policy lets Logs use it",
    ),
    Example.cdk(_cdk(_CDK_L2), title="CDK L2 key: its policy is not known whole (not judged)"),
    Example.cfn_yaml(
        _TRAIL.replace("@STATEMENTS@", _TRAIL_STATEMENT).replace("@MARKER@", ""),
        title="CloudTrail trail, the key policy lets CloudTrail use the key",
    ),
]
