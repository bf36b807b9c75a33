"""IAC015 on hand-built models: which literals are secrets, and which values are fine."""

from __future__ import annotations

from analyzer.findings import Severity
from analyzer.graph import ResourceGraph
from analyzer.model import Concat, Literal, Location, Origin, Project, Resource, Unknown, Value
from analyzer.rules.base import RuleContext
from analyzer.rules.iac015_hardcoded_secret import HardcodedSecret, secret_name

PATH = "lib/TapStack.yml"


def res(rid: str, rtype: str, props: dict[str, Value]) -> Resource:
    return Resource(
        rid,
        rtype,
        Location(PATH, 3),
        properties=props,
        property_locations={k: Location(PATH, 6) for k in props},
    )


def run(*resources: Resource, platform: str = "cloudformation", parameters: dict | None = None) -> list:
    project = Project(root="/x", platform=platform, resources=resources, parameters=parameters or {})
    return list(HardcodedSecret().check(RuleContext(project, ResourceGraph(project))))


def test_secret_names() -> None:
    for name in (
        "MasterUserPassword",
        "Password",
        "AuthToken",
        "SecretString",
        "DB_PASSWORD",
        "master_password_wo",
    ):
        assert secret_name(name), name
    for name in (
        "ManageMasterUserPassword2",
        "PasswordPolicy",
        "MinimumPasswordLength",
        "SecretArn",
        "TokenValidity",
    ):
        assert not secret_name(name), name


def test_literal_master_password_with_the_managed_password_fix() -> None:
    cluster = res(
        "Db",
        "AWS::RDS::DBCluster",
        {"MasterUserPassword": Literal("Password123!", location=Location(PATH, 8))},
    )
    (finding,) = run(cluster)
    assert finding.severity is Severity.ERROR and finding.location.line == 8
    assert "MasterUserPassword" in finding.message and "Password123!" not in finding.message
    assert "ManageMasterUserPassword" in finding.fix_hint
    (pulumi,) = run(cluster, platform="pulumi")
    assert "manage_master_user_password=True" in pulumi.fix_hint
    (cdk,) = run(cluster, platform="cdk")
    assert "from_generated_secret" in cdk.fix_hint


def test_values_the_analysis_cannot_know_and_pointers_are_fine() -> None:
    for value in (
        Unknown("secret config", Origin.CONFIG, hint="dbPassword"),
        Unknown("dynamic reference", hint="{{resolve:secretsmanager:x}}"),
        Literal("{{resolve:secretsmanager:db:SecretString:password}}"),
        Literal("arn:aws:secretsmanager:us-east-1:123456789012:secret:db"),
        Literal(""),
        Literal(True),
    ):
        assert run(res("Db", "AWS::RDS::DBCluster", {"MasterUserPassword": value})) == [], value
    assert run(res("Db", "AWS::RDS::DBCluster", {"ManageMasterUserPassword": Literal(True)})) == []


def test_nested_secrets_json_and_environment_variables() -> None:
    text = Literal('{"username": "app", "password": "hunter2"}')
    (finding,) = run(res("S", "AWS::SecretsManager::Secret", {"SecretString": text}))
    assert "SecretString.password" in finding.message
    assert (
        run(res("S", "AWS::SecretsManager::Secret", {"SecretString": Literal('{"username": "app"}')})) == []
    )
    variables = Literal({"Variables": Literal({"DB_PASSWORD": Literal("s3cret"), "DB_HOST": Literal("db")})})
    (finding,) = run(res("Fn", "AWS::Lambda::Function", {"Environment": variables}))
    assert "Environment.Variables.DB_PASSWORD" in finding.message
    users = Literal((Literal({"Username": Literal("admin"), "Password": Literal("abc123abc123")}),))
    assert len(run(res("Broker", "AWS::AmazonMQ::Broker", {"Users": users}))) == 1
    joined = Concat((Literal("pass"), Literal("word")))
    assert len(run(res("Db", "AWS::RDS::DBInstance", {"MasterUserPassword": joined}))) == 1


def test_secure_string_parameters() -> None:
    secure = res("P", "AWS::SSM::Parameter", {"Type": Literal("SecureString"), "Value": Literal("token")})
    assert len(run(secure, platform="pulumi")) == 1
    plain = res("P", "AWS::SSM::Parameter", {"Type": Literal("String"), "Value": Literal("info")})
    assert run(plain, platform="pulumi") == []


def test_parameter_defaults_are_reported_once_at_the_parameter() -> None:
    default = Literal("ChangeMe123!", Origin.PARAMETER | Origin.CONFIG, Location(PATH, 2))
    used = Literal("ChangeMe123!", Origin.PARAMETER | Origin.CONFIG, Location(PATH, 12))
    cluster = res("Db", "AWS::RDS::DBCluster", {"MasterUserPassword": used})
    (finding,) = run(cluster, parameters={"DbPassword": default})
    assert (
        finding.location.line == 2
        and "Parameter 'DbPassword'" in finding.message
        and "NoEcho" in finding.message
    )
    # A default used as a password through a parameter not named like one is reported at the use.
    (finding,) = run(cluster, parameters={"Setting": default})
    assert finding.location.line == 12 and "parameter's default" in finding.message
    # Pulumi config keys are not template parameters.
    assert run(platform="pulumi", parameters={"tap:dbPassword": Literal("x", Origin.CONFIG)}) == []


def test_plain_text_configuration_gets_the_encrypted_config_fix() -> None:
    from_config = Literal("hunter2", Origin.CONFIG, Location("lib/tap_stack.py", 15))
    cluster = res("db", "AWS::RDS::DBCluster", {"MasterUserPassword": from_config})
    (finding,) = run(cluster, platform="pulumi")
    assert "plain text" in finding.message and "same for every environment" not in finding.message
    assert "pulumi config set --secret" in finding.fix_hint
    (cdk,) = run(cluster, platform="cdk")
    assert "cdk.json" in cdk.fix_hint


def test_pulumi_stack_file_with_a_plain_text_secret(tmp_path) -> None:
    from analyzer.config import Config
    from analyzer.engine import scan
    from analyzer.rules.base import Example

    stack = """
        import pulumi
        import pulumi_aws as aws


        class TapStack(pulumi.ComponentResource):
            def __init__(self, name, args, opts=None):
                super().__init__("tap:stack:TapStack", name, None, opts)
                config = pulumi.Config()
                aws.rds.Cluster("db", engine="aurora-postgresql", master_password=config.require_secret("dbPassword"))
        """
    Example.pulumi(stack, **{"Pulumi.dev.yaml": "config:\n  tap:dbPassword: hunter2\n"}).materialize(
        tmp_path / "plain"
    )
    Example.pulumi(
        stack, **{"Pulumi.dev.yaml": "config:\n  tap:dbPassword:\n    secure: AAABAxyz\n"}
    ).materialize(tmp_path / "secure")
    (finding,) = scan([tmp_path / "plain"], Config(), rules=[HardcodedSecret]).findings
    assert "plain text" in finding.message and finding.resource == "db"
    assert scan([tmp_path / "secure"], Config(), rules=[HardcodedSecret]).findings == []


def test_literal_fallback_of_an_unset_input_is_reported_at_the_literal() -> None:
    text = Location("lib/tap_stack.py", 12, 61)
    fallback = Unknown(
        "depends on a run-time condition",
        Origin.CONFIG,
        hint='config.get_secret("dbPassword") or "ChangeMe123!"',
        fallback=Literal("ChangeMe123!", location=text),
    )
    db = res("db", "AWS::RDS::DBInstance", {"MasterUserPassword": fallback})
    (finding,) = run(db, platform="pulumi")
    assert finding.location == text
    assert (
        "MasterUserPassword from literal text whenever the configuration value is not set" in finding.message
    )
    assert "ChangeMe123!" not in finding.message  # never printed
    assert "manage_master_user_password=True" in finding.fix_hint
    # An empty fallback, a pointer, or an unknown without one says nothing.
    for quiet in (Literal(""), Literal("arn:aws:secretsmanager:us-east-1:1:secret:x"), None):
        props = {"MasterUserPassword": Unknown("x", Origin.CONFIG, fallback=quiet)}
        assert run(res("db", "AWS::RDS::DBInstance", props), platform="pulumi") == []


def test_a_property_the_schema_restricts_to_listed_values_or_a_flag_is_a_setting() -> None:
    # Cognito's TokenValidityUnits.AccessToken is "seconds" | "minutes" | ...: named like a token.
    units = Literal({"AccessToken": Literal("minutes"), "RefreshToken": Literal("days")})
    client = res("Client", "AWS::Cognito::UserPoolClient", {"TokenValidityUnits": units})
    assert run(client) == []
    # ManageMasterUserPassword is a boolean in the schema, even written as the text "true".
    cluster = res("Db", "AWS::RDS::DBCluster", {"ManageMasterUserPassword": Literal("true")})
    assert run(cluster) == []
    # A broker user's password has no such list: still a literal secret.
    user = Literal({"Username": Literal("admin"), "Password": Literal("Sup3rS3cretPassw0rd")})
    broker = res("Broker", "AWS::AmazonMQ::Broker", {"Users": Literal((user,))})
    (finding,) = run(broker)
    assert "Users[0].Password" in finding.message


def test_a_parameter_with_listed_allowed_values_is_a_switch() -> None:
    switch = Literal("true", Origin.PARAMETER | Origin.CONFIG, Location(PATH, 2))
    secret = Literal("ChangeMe123!", Origin.PARAMETER | Origin.CONFIG, Location(PATH, 6))
    project = Project(
        root="/x",
        platform="cloudformation",
        parameters={"ManageMasterUserPassword": switch, "DbPassword": secret},
        facts={"parameter_allowed_values": {"ManageMasterUserPassword": ["true", "false"]}},
    )
    (finding,) = HardcodedSecret().check(RuleContext(project, ResourceGraph(project)))
    assert "DbPassword" in finding.message
