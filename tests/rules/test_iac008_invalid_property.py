"""IAC008 on hand-built models, and on templates through the CloudFormation plugin."""

from __future__ import annotations

from analyzer.graph import ResourceGraph
from analyzer.model import Concat, Literal, Location, Origin, Project, Ref, Resource, Unknown, Value
from analyzer.rules.base import RuleContext
from analyzer.rules.iac008_invalid_property import InvalidProperty

PATH = "lib/TapStack.yml"


def resource(
    kind: str, rid: str = "Res", source_type: str | None = None, present: tuple[str, ...] = (), **props: Value
) -> Resource:
    locations = {name: Location(PATH, 20 + index) for index, name in enumerate((*props, *present))}
    return Resource(
        rid,
        kind,
        Location(PATH, 10),
        properties=props,
        property_locations=locations,
        source_type=kind if source_type is None else source_type,
    )


def run(*resources: Resource, platform: str = "cloudformation", options: dict | None = None) -> list:
    project = Project(root="/x", platform=platform, resources=resources)
    return list(InvalidProperty().check(RuleContext(project, ResourceGraph(project), options or {})))


def function(**props: Value) -> Resource:
    base: dict[str, Value] = {
        "Runtime": Literal("python3.12"),
        "Handler": Literal("index.handler"),
        "Role": Ref("Role", "Arn"),
        "Code": Literal({"ZipFile": Literal("def handler(e, c): pass")}),
    }
    base.update(props)
    return resource("AWS::Lambda::Function", **base)


def test_a_valid_function_is_silent() -> None:
    assert run(function(MemorySize=Literal(256), Timeout=Literal("30"))) == []


def test_unknown_property_with_a_suggestion_at_its_line() -> None:
    [finding] = run(resource("AWS::S3::Bucket", VersioningEnabled=Literal(True)))
    assert "unknown property 'VersioningEnabled'" in finding.message
    assert "VersioningConfiguration" in finding.message
    assert finding.location == Location(PATH, 20)


def test_wrong_type_enum_and_missing_required() -> None:
    found = run(function(MemorySize=Literal("lots"), PackageType=Literal("Jar"), Role=Unknown("dropped")))
    messages = sorted(f.message for f in found)
    assert len(found) == 2
    assert any("MemorySize must be integer" in m for m in messages)
    assert any("PackageType is 'Jar'" in m for m in messages)
    [missing] = run(resource("AWS::Lambda::Function", Code=Literal({"ZipFile": Literal("x")})))
    assert "required property 'Role' is missing" in missing.message


def test_nested_unknown_property_names_its_path() -> None:
    code = Literal({"ZipFile": Literal("x"), "S3Bukcet": Literal("b")})
    [finding] = run(function(Code=code))
    assert "unknown property 'S3Bukcet' in Code" in finding.message


def test_values_known_only_at_deploy_time_are_not_judged() -> None:
    partial = Concat((Literal("arn:aws:iam::"), Unknown("account", Origin.ACCOUNT), Literal(":role/x")))
    assert run(function(MemorySize=Unknown("parameter"), Role=partial, Layers=Unknown("if"))) == []


def test_required_property_present_in_the_source_is_not_reported() -> None:
    # the plugin could not keep the value (an unsupported intrinsic) but the property was written
    assert (
        run(resource("AWS::Lambda::Function", present=("Role",), Code=Literal({"ZipFile": Literal("x")})))
        == []
    )


def test_only_template_resources_are_checked() -> None:
    bad = resource("AWS::S3::Bucket", VersioningEnabled=Literal(True))
    assert run(bad, platform="pulumi") == []
    assert (
        run(resource("AWS::S3::Bucket", source_type="aws:s3/bucket:Bucket", VersioningEnabled=Literal(1)))
        == []
    )


def test_unknown_aws_type_is_reported_and_other_types_are_skipped() -> None:
    [finding] = run(resource("AWS::S3::Buckets", BucketName=Literal("x")))
    assert "no resource type AWS::S3::Buckets" in finding.message and "AWS::S3::Bucket" in finding.fix_hint
    skipped = (
        resource("Custom::Thing", Anything=Literal(1)),
        resource("AWS::Serverless::Function", rid="Sam", Handler=Literal("x")),
        resource("MyOrg::Private::Type", rid="Private", X=Literal(1)),
    )
    assert run(*skipped) == []


def test_engine_versions_and_names_are_left_to_iac007_and_iac009() -> None:
    docdb = resource("AWS::DocDB::DBCluster", EngineVersion=Literal("3.0"))
    bucket = resource("AWS::S3::Bucket", BucketName=Literal("Bad_Name"))
    assert run(docdb, bucket) == []


def test_findings_per_resource_are_capped() -> None:
    props = {f"Bogus{index}": Literal(index) for index in range(30)}
    assert len(run(resource("AWS::SQS::Queue", **props))) == 10


def test_properties_that_are_an_unevaluated_intrinsic_are_not_judged() -> None:
    whole = resource("AWS::Lambda::Function", **{"Fn::If": Literal((Literal("C"), Literal({}), Literal({})))})
    transform = resource(
        "AWS::SQS::Queue", rid="T", **{"Fn::Transform": Literal({"Name": Literal("AWS::Include")})}
    )
    nested = function(Code=Literal({"Fn::Transform": Literal({"Name": Literal("AWS::Include")})}))
    assert run(whole, transform, nested) == []


def test_keys_outside_the_schemas_key_pattern() -> None:
    env = Literal({"Variables": Literal({"B": Literal("x"), "TABLE_NAME": Literal("t")})})
    [finding] = run(function(Environment=env))
    assert "key 'B' in Environment.Variables does not match" in finding.message


def test_repeated_list_items_are_not_reported() -> None:
    # the schema marks Layers uniqueItems; a repeat is a lint issue, not a deploy failure
    layer = Literal("arn:aws:lambda:us-east-1:123456789012:layer:shared:3")
    assert run(function(Layers=Literal((layer, layer)))) == []


def test_a_runtime_newer_than_the_schema_is_not_reported() -> None:
    assert run(function(Runtime=Literal("python3.99"), Handler=Literal("index.handler"))) == []
    [finding] = run(function(Runtime=Literal("python2.5")))
    assert "Runtime is 'python2.5'" in finding.message


def test_nested_errors_point_at_the_offending_value() -> None:
    mode = Literal("Loud", location=Location(PATH, 44, 15))
    [finding] = run(function(TracingConfig=Literal({"Mode": mode}, location=Location(PATH, 43, 7))))
    assert finding.location == Location(PATH, 44, 15)
    assert "TracingConfig.Mode is 'Loud'" in finding.message


def test_a_value_the_schema_excludes_is_named_plainly() -> None:
    # RDS for PostgreSQL reserves 'admin' as a user name (cfn-lint expresses it as `not: {enum}`).
    cluster = resource(
        "AWS::RDS::DBCluster",
        Engine=Literal("aurora-postgresql"),
        MasterUsername=Literal("admin"),
        ManageMasterUserPassword=Literal(True),
    )
    (finding,) = run(cluster)
    assert (
        "MasterUsername must not be 'admin'" in finding.message
        and "should not be valid" not in finding.message
    )
