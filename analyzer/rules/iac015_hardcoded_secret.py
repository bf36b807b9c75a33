"""IAC015 hardcoded-secret: passwords, keys and tokens written into the code or a parameter default.

A secret is recognised by where it goes: a property whose name (at any depth, in CloudFormation
property space, so Pulumi's ``master_password`` and CDK's L1 ``master_user_password`` arrive as
``MasterUserPassword``) names a password, token or key; the keys of a secret's JSON
(``SecretString: {"password": ...}``); a Lambda environment variable named like one; an SSM
``SecureString`` value. Only literal text is reported: a value from a dynamic reference, a
secret config (``config.require_secret``), a parameter without default or a lookup is unknown
to the analysis and fine.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from analyzer import awsdata
from analyzer.findings import Finding, Severity
from analyzer.model import Concat, Literal, Location, Origin, Project, Resource, Unknown, Value
from analyzer.rules.base import Example, Rule, RuleContext

# Property/key names that hold a secret (matched on the last path segment, case-insensitively,
# separators ignored). Sources: the CloudFormation resource reference (RDS MasterUserPassword, DMS
# Endpoint Password, ElastiCache AuthToken, MQ Users[].Password, IAM User LoginProfile.Password,
# Secrets Manager SecretString, Amplify AccessToken/OauthToken, Redshift MasterUserPassword,
# DocDB/Neptune MasterUserPassword, OpenSearch MasterUserOptions.MasterUserPassword) and the
# Pulumi AWS registry (master_password, password, auth_token).
SECRET_NAME = re.compile(
    r"(?:password|passwd|passphrase|authtoken|accesstoken|oauthtoken|apitoken|secretstring"
    r"|secretaccesskey|privatekey|clientsecret|secretkey)(?:wo)?$"
)
# Literal text that points at a secret instead of being one.
_POINTER = re.compile(r"^(?:arn:|/|\{\{resolve:|\$\{)")
_SSM_PARAMETER = "AWS::SSM::Parameter"
_RDS_PASSWORD_TYPES = frozenset({"AWS::RDS::DBCluster", "AWS::RDS::DBInstance"})


@dataclass(frozen=True, slots=True)
class LiteralSecret:
    resource: str
    resource_type: str
    path: str  # "MasterUserPassword", "Environment.Variables.DB_PASSWORD", "SecretString.password"
    origin: Origin
    location: Location
    text: str = field(default="", repr=False)  # the literal itself: compared, never printed
    fallback: str | None = None  # the kind of input the text stands in for (`config.get("pw") or "..."`)


def secret_name(name: str) -> bool:
    return bool(SECRET_NAME.search(re.sub(r"[^a-z0-9]", "", name.lower())))


def _secret_text(value: Value | None) -> bool:
    if not isinstance(value, Literal) or not isinstance(value.value, str):
        return False
    text = value.value.strip()
    return bool(text) and not _POINTER.match(text)


def _walk(value: Value | None, path: str, secret_above: bool) -> Iterator[tuple[str, Value]]:
    """Literal secret strings inside ``value``: at a secret-named key, or in a secret's JSON, or
    the literal an unset input falls back to (``config.get_secret("pw") or "..."``)."""
    if isinstance(value, Unknown):
        if secret_above and value.fallback is not None and _secret_text(value.fallback):
            yield path, value
        return
    if isinstance(value, Concat):
        if secret_above and all(isinstance(part, Literal) for part in value.parts):
            yield path, value
        return
    if not isinstance(value, Literal):
        return
    inner = value.value
    if isinstance(inner, dict):
        for key, item in inner.items():
            yield from _walk(item, f"{path}.{key}" if path else key, secret_name(key))
    elif isinstance(inner, tuple):
        for index, item in enumerate(inner):
            yield from _walk(item, f"{path}[{index}]", secret_above)
    elif secret_above and _secret_text(value):
        document = _json_object(inner)
        if document is None:
            yield path, value
        else:  # a SecretString written as JSON text: the secret is in its keys
            for key, item in document.items():
                if secret_name(key) and isinstance(item, str) and item.strip():
                    yield f"{path}.{key}", value


def _setting(resource: Resource, path: str) -> bool:
    """A property the resource schema restricts to listed values (Cognito's
    ``TokenValidityUnits.AccessToken``: seconds, minutes, ...) or to a flag or a number (RDS's
    ``ManageMasterUserPassword: "true"``) holds a setting, not a secret."""
    schema = awsdata.schema_at(resource.type, path)
    if not schema:
        return False
    return isinstance(schema.get("enum"), list) or schema.get("type") in ("boolean", "integer", "number")


def _json_object(text: str) -> dict | None:
    if not text.lstrip().startswith("{"):
        return None
    try:
        document = json.loads(text)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def literal_secrets(project: Project) -> list[LiteralSecret]:
    found: list[LiteralSecret] = []
    for resource in project.resources:
        for name, value in resource.properties.items():
            if name == "Value" and resource.type == _SSM_PARAMETER:
                kind = resource.properties.get("Type")
                hits = (
                    [(name, value)]
                    if isinstance(kind, Literal) and kind.value == "SecureString" and _secret_text(value)
                    else []
                )
            else:
                hits = [
                    hit for hit in _walk(value, name, secret_name(name)) if not _setting(resource, hit[0])
                ]
            for path, hit in hits:
                fallback = hit.fallback if isinstance(hit, Unknown) else None
                text_value = fallback or hit
                where = text_value.location or hit.location or resource.location_of(name)
                text = (
                    text_value.value
                    if isinstance(text_value, Literal) and isinstance(text_value.value, str)
                    else ""
                )
                found.append(
                    LiteralSecret(
                        resource.id,
                        resource.type,
                        path,
                        hit.origin,
                        where,
                        text,
                        _input_kind(hit.origin) if fallback is not None else None,
                    )
                )
    return found


def _input_kind(origin: Origin) -> str:
    # Never the expression itself: it holds the literal, and a finding must not print a secret.
    return "the configuration value" if origin & Origin.CONFIG else "the environment variable"


def parameter_defaults(project: Project) -> list[tuple[str, Literal]]:
    """Template parameters named like a secret that carry a literal default."""
    if project.platform != "cloudformation":
        return []
    # A parameter whose AllowedValues list its choices ("true"/"false" for ManageMasterUserPassword)
    # is a switch, not a secret.
    choices = project.facts.get("parameter_allowed_values")
    listed = set(choices) if isinstance(choices, dict) else set()
    return [
        (name, value)
        for name, value in project.parameters.items()
        if secret_name(name) and name not in listed and isinstance(value, Literal) and _secret_text(value)
    ]


def _fix(project: Project, resource: Resource | None) -> str:
    rds = resource is not None and resource.type in _RDS_PASSWORD_TYPES
    if project.platform == "cloudformation":
        return (
            "set ManageMasterUserPassword: true (RDS keeps the password in Secrets Manager)"
            if rds
            else "use a dynamic reference ('{{resolve:secretsmanager:<secret>:SecretString:password}}') "
            "to a Secrets Manager secret with GenerateSecretString, or a NoEcho parameter without a default"
        )
    if project.platform == "pulumi":
        return (
            "set manage_master_user_password=True (RDS keeps the password in Secrets Manager)"
            if rds
            else "read it with pulumi.Config().require_secret(...) or generate it (random.RandomPassword) "
            "and keep it in aws.secretsmanager.Secret"
        )
    return (
        "use rds.Credentials.from_generated_secret(...) (RDS keeps the password in Secrets Manager)"
        if rds
        else "generate it with secretsmanager.Secret(generate_secret_string=...) and pass the secret, "
        "or read it from a secret at deploy time (SecretValue.secrets_manager)"
    )


class HardcodedSecret(Rule):
    """
    ## What it does
    Finds passwords, keys and tokens written as literal text: properties named like a secret
    (`MasterUserPassword`, `Password`, `AuthToken`, `SecretString`, `PrivateKey`, ... at any
    depth, including the keys of a `SecretString` JSON and Lambda environment variables such as
    `DB_PASSWORD`), SSM `SecureString` values, and template parameters named like a secret that
    have a `Default` (a `NoEcho` parameter hides the value in the console, not in the template).
    Values from dynamic references (`{{resolve:secretsmanager:...}}`), encrypted secret config
    (`config.require_secret` of a `secure:` value), parameters without a default and lookups are
    fine; so are ARNs and parameter paths that point at a secret, and properties the resource
    schema restricts to listed values, a flag or a number (Cognito's
    `TokenValidityUnits.AccessToken: minutes` is a unit, RDS's `ManageMasterUserPassword: "true"`
    a switch). A template parameter with `AllowedValues` is a choice, not a secret. A secret read
    from a plain-text value in `Pulumi.<stack>.yaml` or `cdk.json` is reported at the read, and so
    is literal text an unset input falls back to (`config.get_secret("dbPassword") or
    "ChangeMe123!"`, `os.getenv("DB_PASSWORD", "changeme")`).

    ## Why is this bad
    The secret is in version control, in every clone and in the synthesized template, and it is
    the same for every environment. Review reports flag `master_password="..."` and
    `MasterUserPassword: "Password123!"` as security failures.

    ## Example
    ```yaml
    Database:
      Type: AWS::RDS::DBCluster
      Properties:
        Engine: aurora-postgresql
        MasterUsername: admin
        MasterUserPassword: Password123!
    ```

    ## Use instead
    ```yaml
    Database:
      Type: AWS::RDS::DBCluster
      Properties:
        Engine: aurora-postgresql
        MasterUsername: admin
        ManageMasterUserPassword: true
    ```
    or a dynamic reference to a generated Secrets Manager secret; in Pulumi
    `manage_master_user_password=True` or `config.require_secret("dbPassword")`; in CDK
    `rds.Credentials.from_generated_secret("admin")`.
    """

    id = "IAC015"
    name = "hardcoded-secret"
    severity = Severity.ERROR
    summary = "a password, key or token is written as literal text or a parameter default"
    tags = ("security", "secrets")
    security_severity = 7.5
    VALID = [
        Example.cfn_yaml(
            """
            Parameters:
              DbPassword:
                Type: String
                NoEcho: true
            Resources:
              Database:
                Type: AWS::RDS::DBCluster
                Properties:
                  Engine: aurora-postgresql
                  MasterUsername: admin
                  ManageMasterUserPassword: true
              Replica:
                Type: AWS::RDS::DBCluster
                Properties:
                  Engine: aurora-postgresql
                  MasterUsername: admin
                  MasterUserPassword: '{{resolve:secretsmanager:db-secret:SecretString:password}}'
              Legacy:
                Type: AWS::RDS::DBInstance
                Properties:
                  Engine: postgres
                  MasterUsername: admin
                  MasterUserPassword: !Ref DbPassword
            """,
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws
            import pulumi_random as random


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    config = pulumi.Config()
                    aws.rds.Cluster(
                        "db",
                        engine="aurora-postgresql",
                        master_username="admin",
                        master_password=config.require_secret("dbPassword"),
                    )
                    # A sentinel default that is replaced by a generated password before use.
                    replica_password = config.get_secret("replicaPassword") or "__generate__"
                    if replica_password == "__generate__":
                        replica_password = random.RandomPassword("replica-pw", length=24).result
                    aws.rds.Cluster(
                        "replica",
                        engine="aurora-postgresql",
                        master_username="admin",
                        master_password=replica_password,
                    )
                    aws.lambda_.Function(
                        "fn",
                        runtime="python3.12",
                        handler="index.handler",
                        role="arn:aws:iam::123456789012:role/fn",
                        code=pulumi.AssetArchive({"index.py": pulumi.StringAsset("def handler(e, c): pass")}),
                        environment={"variables": {"DB_PASSWORD_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:1:secret:x"}},
                    )
            """,
        ),
        Example.cdk(
            """
            import aws_cdk as cdk
            from aws_cdk import aws_ec2 as ec2
            from aws_cdk import aws_rds as rds
            from constructs import Construct


            class TapStackProps(cdk.StackProps):
                def __init__(self, environment_suffix=None, **kwargs):
                    super().__init__(**kwargs)
                    self.environment_suffix = environment_suffix


            class TapStack(cdk.Stack):
                def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    vpc = ec2.Vpc(self, "Vpc", max_azs=2)
                    rds.DatabaseCluster(
                        self,
                        "Db",
                        engine=rds.DatabaseClusterEngine.aurora_postgres(
                            version=rds.AuroraPostgresEngineVersion.VER_16_4
                        ),
                        writer=rds.ClusterInstance.provisioned("writer"),
                        vpc=vpc,
                        credentials=rds.Credentials.from_generated_secret("admin"),
                    )
            """,
            title="generated credentials",
        ),
    ]
    INVALID = [
        Example.cfn_yaml(
            """
            Parameters:
              AdminPassword:  # expect: IAC015
                Type: String
                NoEcho: true
                Default: ChangeMe123!
            Resources:
              Database:
                Type: AWS::RDS::DBCluster
                Properties:
                  Engine: aurora-postgresql
                  MasterUsername: admin
                  MasterUserPassword: Password123!  # expect: IAC015
              Secret:
                Type: AWS::SecretsManager::Secret
                Properties:
                  SecretString: '{"username": "app", "password": "hunter2"}'  # expect: IAC015
            """,
        ),
        Example.cfn_json(
            """
            {
              "Resources": {
                "Cache": {
                  "Type": "AWS::ElastiCache::ReplicationGroup",
                  "Properties": {
                    "ReplicationGroupDescription": "cache",
                    "AuthToken": "a-very-long-auth-token-1234" // expect: IAC015
                  }
                }
              }
            }
            """,
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.rds.Cluster(
                        "db",
                        engine="aurora-postgresql",
                        master_username="admin",
                        master_password="Password123!",  # expect: IAC015
                    )
                    config = pulumi.Config()
                    aws.rds.Instance(
                        "reporting",
                        engine="postgres",
                        instance_class="db.t3.micro",
                        username="report",
                        password=config.get_secret("reportPassword") or "ChangeMe123!",  # expect: IAC015
                    )
            """,
        ),
        Example.cdk(
            """
            import aws_cdk as cdk
            from aws_cdk import aws_rds as rds
            from constructs import Construct


            class TapStackProps(cdk.StackProps):
                def __init__(self, environment_suffix=None, **kwargs):
                    super().__init__(**kwargs)
                    self.environment_suffix = environment_suffix


            class TapStack(cdk.Stack):
                def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    rds.CfnDBCluster(
                        self,
                        "Db",
                        engine="aurora-postgresql",
                        master_username="admin",
                        master_user_password="Password123!",  # expect: IAC015
                    )
            """,
        ),
        Example.cdk(
            """
            import aws_cdk as cdk
            from aws_cdk import aws_secretsmanager as secretsmanager
            from constructs import Construct


            class TapStackProps(cdk.StackProps):
                def __init__(self, environment_suffix=None, **kwargs):
                    super().__init__(**kwargs)
                    self.environment_suffix = environment_suffix


            class TapStack(cdk.Stack):
                def __init__(self, scope: Construct, construct_id: str, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    secretsmanager.Secret(
                        self,
                        "ApiKey",
                        secret_string_value=cdk.SecretValue.unsafe_plain_text("sk-live-1234"),  # expect: IAC015
                    )
            """,
            title="SecretValue.unsafe_plain_text",
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        project = ctx.project
        defaults = parameter_defaults(project)
        default_texts = {value.value for _, value in defaults}
        for name, value in defaults:
            yield self.finding(
                f"Parameter '{name}' has a default, so the secret is written in the template (NoEcho only "
                f"hides it in the console) and every environment shares it",
                value.location or Location(project.entry_point or ".", 1),
                "remove the Default (pass the value at deploy time) or, better, use a dynamic reference "
                "to a generated Secrets Manager secret",
                key=f"parameter:{name}",
            )
        for item in literal_secrets(project):
            fix = _fix(project, project.resource(item.resource))
            consequence = "the secret is in version control and the same for every environment"
            if item.fallback is not None:
                source = f"literal text whenever {item.fallback} is not set"
                consequence = (
                    "that secret is in version control and is deployed wherever the value is missing"
                )
            elif item.origin & Origin.PARAMETER:
                if item.text in default_texts:
                    continue  # reported at the parameter
                source = "a template parameter's default"
            elif item.origin & Origin.CONFIG:
                source = "a configuration value written in plain text in the repository"
                consequence = "the secret is in version control"
                if project.platform == "pulumi":
                    fix = (
                        "store it encrypted with `pulumi config set --secret <key>` (the stack file then holds "
                        "`secure:`), or generate it in the program"
                    )
                else:
                    fix = (
                        "keep it out of cdk.json: read it from Secrets Manager at deploy time "
                        "(SecretValue.secrets_manager) or generate it"
                    )
            elif item.origin & Origin.ENV_VAR:
                source = "the fallback of an environment variable"
            else:
                source = "literal text"
            yield self.finding(
                f"{item.resource_type} '{item.resource}' sets {item.path} from {source}: {consequence}",
                item.location,
                fix,
                resource=item.resource,
                key=item.path,
            )
