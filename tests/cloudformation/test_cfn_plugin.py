"""The plugin: detection, resources, locations, physical names, parameters, twins, inline code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cfn_helpers import make_worktree, resource, yaml_template

from analyzer.model import Dependency, Literal, Location, Origin, Ref, literal_of
from plugins.cloudformation import CloudFormationPlugin
from plugins.cloudformation.resources import physical_name_properties

BUCKET_YAML = """\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  EnvironmentSuffix:
    Type: String
    Default: dev
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub 'data-${EnvironmentSuffix}'
  Queue:
    Type: AWS::SQS::Queue
"""

BUCKET_JSON = json.dumps(
    {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {"EnvironmentSuffix": {"Type": "String", "Default": "dev"}},
        "Resources": {
            "Bucket": {
                "Type": "AWS::S3::Bucket",
                "Properties": {"BucketName": {"Fn::Sub": "data-${EnvironmentSuffix}"}},
            },
            "Queue": {"Type": "AWS::SQS::Queue"},
        },
    },
    indent=2,
)


def detect(tmp_path: Path, files: dict[str, str]) -> bool:
    return CloudFormationPlugin().detect(make_worktree(tmp_path / "wt", files))


def test_detects_main_template_and_any_template_by_content(tmp_path: Path) -> None:
    assert detect(tmp_path / "a", {"lib/TapStack.yml": BUCKET_YAML})
    assert detect(tmp_path / "b", {"templates/network.json": BUCKET_JSON})
    assert detect(tmp_path / "c", {"infra/stack.yaml": "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"})


def test_does_not_claim_tooling_json_or_non_stack_templates(tmp_path: Path) -> None:
    tooling = {
        "package.json": '{"name": "x", "scripts": {"test": "jest"}}',
        "cdk.json": '{"app": "python3 tap.py"}',
        "metadata.json": '{"platform": "cdk", "language": "py"}',
        "tsconfig.json": '{"compilerOptions": {}}',
        "cdk.out/TapStack.template.json": BUCKET_JSON,
        "node_modules/pkg/template.json": BUCKET_JSON,
        "test/fixtures/template.yml": BUCKET_YAML,
        "config/settings.yml": "Resources: none\nType: thing\n",
        "serverless.yml": "service: x\nresources:\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n",
    }
    assert not detect(tmp_path, tooling)


def test_resource_fields_from_yaml(parse) -> None:
    project = parse(
        yaml_template(
            """
Log:
  Type: AWS::Logs::LogGroup
Fn:
  Type: AWS::Lambda::Function
  DependsOn: Log
  Condition: IsProd
  DeletionPolicy: Retain
  UpdateReplacePolicy: Snapshot
  Metadata:
    cfn_nag: {rules_to_suppress: [{id: W58}]}
  Properties:
    Runtime: python3.12
    Role: !GetAtt Role.Arn
Role:
  Type: AWS::IAM::Role
  DependsOn: [Log, Missing]
  Properties:
    AssumeRolePolicyDocument:
      Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
""",
            extra="Conditions:\n  IsProd: !Equals [a, a]",
        )
    )
    fn = resource(project, "Fn")
    assert fn.type == "AWS::Lambda::Function" and fn.source_type == "AWS::Lambda::Function"
    assert fn.location == Location("lib/TapStack.yml", 7, 3)
    assert fn.property_locations["Runtime"] == Location("lib/TapStack.yml", 16, 7)
    assert fn.depends_on == (Dependency("Log", Location("lib/TapStack.yml", 9, 16)),)
    assert fn.options == {
        "Condition": Literal("IsProd"),
        "ConditionDefault": Literal(True),  # a == a: every deployment creates it
        "DeletionPolicy": Literal("Retain"),
        "UpdateReplacePolicy": Literal("Snapshot"),
    }
    assert fn.metadata == {"cfn_nag": {"rules_to_suppress": [{"id": "W58"}]}}
    assert fn.properties["Role"] == Ref("Role", "Arn")
    assert fn.name is None and fn.name_property == "FunctionName"
    role = resource(project, "Role")
    assert [dependency.target for dependency in role.depends_on] == ["Log", "Missing"]
    document = role.prop("AssumeRolePolicyDocument", "Statement", 0, "Principal", "Service")
    assert document == Literal("lambda.amazonaws.com")


def test_json_locations_are_one_based(parse) -> None:
    project = parse({"lib/TapStack.json": BUCKET_JSON})
    bucket = resource(project, "Bucket")
    text = BUCKET_JSON.splitlines()
    line = next(number for number, row in enumerate(text, 1) if '"Bucket": {' in row)
    assert bucket.location.line == line and bucket.location.column == text[line - 1].index('"Bucket"') + 1
    name_line = next(number for number, row in enumerate(text, 1) if '"BucketName"' in row)
    assert bucket.property_locations["BucketName"] == Location(
        "lib/TapStack.json", name_line, text[name_line - 1].index('"BucketName"') + 1
    )


def test_physical_names(parse) -> None:
    project = parse({"lib/TapStack.yml": BUCKET_YAML})
    bucket = resource(project, "Bucket")
    assert bucket.name_property == "BucketName"
    assert literal_of(bucket.name) == "data-dev" and bucket.name.origin & Origin.SUFFIX
    assert resource(project, "Queue").name is None


@pytest.mark.parametrize(
    ("resource_type", "expected"),
    [
        ("AWS::S3::Bucket", "BucketName"),
        ("AWS::IAM::Role", "RoleName"),
        ("AWS::Lambda::Function", "FunctionName"),
        ("AWS::RDS::DBCluster", "DBClusterIdentifier"),
        ("AWS::RDS::DBInstance", "DBInstanceIdentifier"),
        ("AWS::DynamoDB::Table", "TableName"),
        ("AWS::SQS::Queue", "QueueName"),
        ("AWS::SNS::Topic", "TopicName"),
        ("AWS::Logs::LogGroup", "LogGroupName"),
        ("AWS::DMS::ReplicationInstance", "ReplicationInstanceIdentifier"),
        ("AWS::DMS::ReplicationSubnetGroup", "ReplicationSubnetGroupIdentifier"),
        ("AWS::StepFunctions::StateMachine", "StateMachineName"),
        ("AWS::ECS::Cluster", "ClusterName"),
        ("AWS::ECR::Repository", "RepositoryName"),
        ("AWS::KMS::Alias", "AliasName"),
        ("AWS::SecretsManager::Secret", "Name"),
        ("AWS::Events::Rule", "Name"),
        ("AWS::ElasticLoadBalancingV2::LoadBalancer", "Name"),
        ("AWS::IAM::ManagedPolicy", "ManagedPolicyName"),
        ("AWS::EC2::SecurityGroup", "GroupName"),
    ],
)
def test_physical_name_table(resource_type: str, expected: str) -> None:
    assert physical_name_properties()[resource_type] == expected


@pytest.mark.parametrize(
    "resource_type",
    [
        "AWS::IAM::Policy",
        "AWS::ApiGateway::RestApi",
        "AWS::Lambda::Permission",
        "AWS::IAM::RolePolicy",
        "AWS::EC2::VPC",
        "AWS::EC2::IPAMPool",
        "AWS::RDS::DBCluster::NotAType",
    ],
)
def test_physical_name_table_leaves_out_non_names(resource_type: str) -> None:
    assert resource_type not in physical_name_properties()


def test_parameters_and_suffix_info(parse) -> None:
    project = parse(
        yaml_template(
            "Q:\n  Type: AWS::SQS::Queue",
            parameters="""
EnvSuffix: {Type: String, Default: pr7}
Stage: {Type: String, Default: dev}
Tier: {Type: String, Default: dev, AllowedValues: [dev, staging, prod]}
""",
        )
    )
    assert project.suffix.declared and project.suffix.names == ("EnvSuffix",)
    assert project.suffix.location == Location("lib/TapStack.yml", 3, 3)
    assert set(project.suffix.env_name_only) == {"Stage", "Tier"}
    assert literal_of(project.parameters["EnvSuffix"]) == "pr7"
    assert project.facts["parameter_allowed_values"] == {"Tier": ["dev", "staging", "prod"]}


def test_configured_suffix_name_wins_over_environment_name(parse) -> None:
    files = yaml_template(
        "Q:\n  Type: AWS::SQS::Queue\n  Properties:\n    QueueName: !Sub 'q-${Stage}'",
        parameters="Stage: {Type: String, Default: dev}",
    )
    plain = parse(files)
    assert not plain.suffix.declared and plain.suffix.env_name_only == ("Stage",)
    configured = parse(files, suffix_names=("Stage",))
    assert configured.suffix.declared and configured.suffix.names == ("Stage",)
    assert resource(configured, "Q").name.origin & Origin.SUFFIX


def test_no_suffix_parameter(parse) -> None:
    project = parse(yaml_template("Q:\n  Type: AWS::SQS::Queue"))
    assert not project.suffix.declared and project.suffix.names == ()


def test_twins_yaml_deployed_by_default(parse) -> None:
    project = parse({"lib/TapStack.yml": BUCKET_YAML, "lib/TapStack.json": BUCKET_JSON})
    assert project.entry_point == "lib/TapStack.yml"
    assert [r.id for r in project.resources] == ["Bucket", "Queue"]  # once, not twice
    (twin,) = project.facts["twins"]
    assert twin["deployed"] == "lib/TapStack.yml" and twin["copy"] == "lib/TapStack.json"
    assert twin["drifted"] is False and twin["differences"] == []


def test_twins_metadata_language_json(parse) -> None:
    project = parse(
        {
            "lib/TapStack.yml": BUCKET_YAML,
            "lib/TapStack.json": BUCKET_JSON,
            "metadata.json": '{"platform": "cfn", "language": "json"}',
        }
    )
    assert project.entry_point == "lib/TapStack.json"
    assert all(r.location.path == "lib/TapStack.json" for r in project.resources)
    assert project.facts["twins"][0]["reason"] == "metadata.json language is json"
    assert project.metadata["language"] == "json"


def test_twins_deploy_script_decides_when_metadata_does_not(parse) -> None:
    command = "aws cloudformation deploy --template-file lib/TapStack.json --stack-name TapStack"
    package = json.dumps({"scripts": {"cfn:deploy": command, "test": "jest"}})
    files = {"lib/TapStack.yml": BUCKET_YAML, "lib/TapStack.json": BUCKET_JSON, "package.json": package}
    project = parse(files)
    assert project.entry_point == "lib/TapStack.json"
    assert project.facts["twins"][0]["reason"] == "named by the deploy scripts"
    with_metadata = parse({**files, "metadata.json": '{"language": "yaml"}'})
    assert with_metadata.entry_point == "lib/TapStack.yml"
    both = json.dumps({"scripts": {"flip": "cfn-flip lib/TapStack.yml lib/TapStack.json"}})
    assert parse({**files, "package.json": both}).entry_point == "lib/TapStack.yml"


def test_drifted_twins_are_a_fact(parse) -> None:
    drifted = (
        BUCKET_YAML.replace("data-${EnvironmentSuffix}", "data-fixed")
        + "  Topic:\n    Type: AWS::SNS::Topic\n"
    )
    project = parse({"lib/TapStack.yml": drifted, "lib/TapStack.json": BUCKET_JSON})
    (twin,) = project.facts["twins"]
    assert twin["drifted"] is True
    assert "resource Bucket property BucketName differs" in twin["differences"]
    assert "resource Topic only in lib/TapStack.yml" in twin["differences"]


def test_twin_comparison_ignores_spelling_differences(parse) -> None:
    yaml_text = BUCKET_YAML.replace(
        "  Queue:\n    Type: AWS::SQS::Queue\n",
        "  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n"
        "      DelaySeconds: 5\n      RedriveAllowPolicy: !GetAtt Bucket.Arn\n",
    )
    data = json.loads(BUCKET_JSON)
    data["Resources"]["Queue"]["Properties"] = {
        "DelaySeconds": "5",
        "RedriveAllowPolicy": {"Fn::GetAtt": "Bucket.Arn"},
    }
    project = parse({"lib/TapStack.yml": yaml_text, "lib/TapStack.json": json.dumps(data)})
    assert project.facts["twins"][0]["differences"] == []


def test_distinct_templates_are_all_analysed_with_unique_ids(parse) -> None:
    other = (
        "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n  Alarm:\n    Type: AWS::CloudWatch::Alarm\n"
        "  Key:\n    Type: AWS::KMS::Key\n  Repo:\n    Type: AWS::ECR::Repository\n"
    )
    project = parse({"lib/TapStack.yml": BUCKET_YAML, "templates/monitoring.yml": other})
    ids = [r.id for r in project.resources]
    assert ids == ["Bucket", "Queue", "monitoring/Bucket", "Alarm", "Key", "Repo"]
    assert project.facts["twins"] == []


def test_inline_code_is_handed_to_the_python_layer(parse) -> None:
    project = parse(
        yaml_template("""
Fn:
  Type: AWS::Lambda::Function
  Properties:
    Runtime: python3.12
    Handler: index.main
    Role: arn:aws:iam::123456789012:role/x
    Code:
      ZipFile: |
        import boto3

        def handler(event, context):
            boto3.client("sqs").send_message(QueueUrl="u", MessageBody="b")
""")
    )
    code = resource(project, "Fn").code
    pytest.importorskip("analyzer.python.lambda_code")
    assert code is not None and code.language == "python"
    assert code.source == Location("lib/TapStack.yml", 11, 0)  # the line after "ZipFile: |"
    assert code.handler_found is False  # Handler says index.main; the code defines only handler
    assert [(call.service, call.operation) for call in code.sdk_calls] == [("sqs", "SendMessage")]


def test_metadata_json_guarded(parse) -> None:
    project = parse({"lib/TapStack.yml": BUCKET_YAML, "metadata.json": "{not json"})
    assert project.metadata == {} and project.resources


def test_local_code_path_is_resolved_relative_to_the_template(parse) -> None:
    pytest.importorskip("analyzer.python.lambda_code")
    files = yaml_template("""
Fn:
  Type: AWS::Lambda::Function
  Properties:
    Runtime: python3.12
    Handler: app.handler
    Role: arn:aws:iam::123456789012:role/x
    Code: ./functions/worker
Missing:
  Type: AWS::Lambda::Function
  Properties:
    Runtime: python3.12
    Handler: app.handler
    Role: arn:aws:iam::123456789012:role/x
    Code: ../../outside
""")
    files["lib/functions/worker/app.py"] = "import boto3\n\ndef handler(event, context):\n    return 1\n"
    project = parse(files)
    code = resource(project, "Fn").code
    assert code is not None and code.handler_found is True
    assert code.source is not None and code.source.path.startswith("lib/functions/worker")
    assert resource(project, "Missing").code is None  # outside the worktree: nothing to read


def test_export_names_are_facts(parse) -> None:
    files = yaml_template(
        "Q:\n  Type: AWS::SQS::Queue",
        extra="Outputs:\n  QueueUrl:\n    Value: !Ref Q\n    Export:\n      Name: !Sub '${AWS::StackName}-queue'\n"
        "  Fixed:\n    Value: !Ref Q\n    Export:\n      Name: shared-queue\n  NoExport:\n    Value: x\n",
    )
    project = parse(files)
    exports = {item["output"]: item for item in project.facts["exports"]}
    assert set(exports) == {"QueueUrl", "Fixed"}
    assert exports["QueueUrl"]["name"].origin & Origin.STACK_NAME
    assert exports["Fixed"]["name"] == Literal("shared-queue")


def test_resource_limit(parse) -> None:
    from analyzer.plugin import Limits

    body = "".join(f"Q{index}:\n  Type: AWS::SQS::Queue\n" for index in range(5))
    project = parse(yaml_template(body), limits=Limits(max_resources=3))
    assert [r.id for r in project.resources] == ["Q0", "Q1", "Q2"]
    assert [(p.kind, p.location.line) for p in project.problems] == [("limit", 9)]


@pytest.mark.parametrize(
    ("name", "is_suffix"),
    [
        ("EnvironmentSuffix", True),
        ("environmentSuffix", True),
        ("EnvSuffix", True),
        ("UniqueSuffix", True),
        ("StackNameSuffix", True),
        ("DomainSuffix", False),
        ("HostedZoneSuffix", False),
        ("Environment", False),
        ("Suffix", True),
        ("SuffixLength", False),
    ],
)
def test_suffix_parameter_names(parse, name: str, is_suffix: bool) -> None:
    project = parse(
        yaml_template("Q:\n  Type: AWS::SQS::Queue", parameters=f"{name}: {{Type: String, Default: x}}")
    )
    assert project.suffix.declared is is_suffix
    assert bool(project.parameters[name].origin & Origin.SUFFIX) is is_suffix


def test_sam_globals_apply_to_serverless_functions(parse) -> None:
    template = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Handler: app.handler
    Environment:
      Variables:
        TABLE: shared
        STAGE: dev
    Layers: [arn:aws:lambda:us-east-1:123456789012:layer:common:1]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub 'fn-${AWS::StackName}'
      Handler: main.run
      Environment:
        Variables:
          TABLE: own
      Layers: [arn:aws:lambda:us-east-1:123456789012:layer:extra:1]
  Plain:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
"""
    project = parse({"lib/TapStack.yml": template})
    fn = resource(project, "Fn")
    assert literal_of(fn.properties["Runtime"]) == "python3.12"
    assert literal_of(fn.properties["Handler"]) == "main.run"
    assert literal_of(fn.prop("Environment", "Variables")) == {"TABLE": "own", "STAGE": "dev"}
    assert len(literal_of(fn.properties["Layers"])) == 2
    assert fn.property_locations["Runtime"].line == 5  # from Globals
    assert fn.property_locations["Handler"].line == 17  # the function's own
    assert fn.name_property == "FunctionName" and fn.name.origin & Origin.STACK_NAME
    assert project.facts["transforms"] == {"lib/TapStack.yml": "AWS::Serverless-2016-10-31"}
    assert "Runtime" not in resource(project, "Plain").properties  # Globals are for SAM types only
