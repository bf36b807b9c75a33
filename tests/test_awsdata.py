"""analyzer.awsdata: reading cfn-lint's installed data, and applying schemas to partly known values."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer import awsdata
from analyzer.model import Concat, Literal, Location, Origin, Project, Ref, Resource, Unknown


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    awsdata.clear_cache()
    yield
    awsdata.clear_cache()


def installed_cfnlint_data() -> Path:
    spec = importlib.util.find_spec("cfnlint")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "data"


# -- where the data comes from ---------------------------------------------------------------------


def test_data_is_read_from_the_installed_cfnlint_package() -> None:
    assert awsdata.cfnlint_data_dir() == installed_cfnlint_data()
    # nothing of cfn-lint's data is copied into iacscan
    own = {path.name for path in (Path(awsdata.__file__).parent / "data").glob("*.json")}
    assert not own & {"engine_version.json", "engine_version_deprecated.json", "LmbdRuntimeLifecycle.json"}


def test_provider_schema_and_extension_fragments_load() -> None:
    bucket = awsdata.provider_schema("AWS::S3::Bucket")
    assert bucket is not None and bucket["typeName"] == "AWS::S3::Bucket"
    assert awsdata.property_schema("AWS::S3::Bucket", "BucketName")["maxLength"] == 63
    fragment = awsdata.extension_schema("AWS::RDS::DBCluster", "engine_version.json")
    assert fragment is not None and "allOf" in fragment
    assert awsdata.provider_schema("AWS::Nope::Nothing") is None
    assert awsdata.extension_schema("AWS::RDS::DBCluster", "../../providers/us-east-1.json") is None


def test_unknown_region_falls_back_to_us_east_1() -> None:
    assert awsdata.provider_schema("AWS::SQS::Queue", "xx-nowhere-1") == awsdata.provider_schema(
        "AWS::SQS::Queue"
    )


def test_missing_cfnlint_gives_no_data_instead_of_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(awsdata, "cfnlint_data_dir", lambda: None)
    awsdata.clear_cache()
    assert awsdata.provider_schema("AWS::S3::Bucket") is None
    assert awsdata.extension_schema("AWS::RDS::DBCluster", "engine_version.json") is None
    assert awsdata.lambda_runtime_lifecycle() == {}
    assert awsdata.runtime_status("python3.6", date(2030, 1, 1)) is None


def test_corrupt_data_file_gives_no_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "schemas" / "providers").mkdir(parents=True)
    (tmp_path / "schemas" / "providers" / "us-east-1.json").write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(awsdata, "cfnlint_data_dir", lambda: tmp_path)
    awsdata.clear_cache()
    assert awsdata.provider_schema("AWS::S3::Bucket") is None


def test_a_changed_data_directory_changes_the_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lifecycle comes from the installed file: point the loader elsewhere and the verdict moves."""
    assert awsdata.runtime_status("python3.12", date(2026, 11, 25)) is None
    lifecycle = json.loads(
        (installed_cfnlint_data() / "AdditionalSpecs" / "LmbdRuntimeLifecycle.json").read_text()
    )
    lifecycle["python3.12"] = {
        "deprecated": "2020-01-01",
        "create-block": "2020-02-01",
        "update-block": None,
        "successor": "python3.14",
    }
    target = tmp_path / "AdditionalSpecs"
    target.mkdir()
    (target / "LmbdRuntimeLifecycle.json").write_text(json.dumps(lifecycle), encoding="utf-8")
    monkeypatch.setattr(awsdata, "cfnlint_data_dir", lambda: tmp_path)
    awsdata.clear_cache()
    status = awsdata.runtime_status("python3.12", date(2026, 11, 25))
    assert status is not None and status[0] == "blocked"


def test_data_sources_name_versions_paths_and_refresh() -> None:
    sources = awsdata.data_sources()
    assert len(sources) == 4
    for source in sources:
        assert {"name", "version", "path", "refresh"} <= set(source)
    assert awsdata.cfnlint_version() in sources[0]["version"]
    assert str(installed_cfnlint_data()) in sources[0]["path"]
    assert "dms_engine_versions.json" in sources[3]["path"]
    assert "docs.aws.amazon.com" in sources[3]["refresh"]


# -- lifecycle tables ------------------------------------------------------------------------------


def test_runtime_status_follows_the_dates() -> None:
    deprecated = awsdata.runtime_status("python3.8", date(2026, 11, 25))
    assert deprecated is not None and deprecated[0] == "deprecated"
    blocked = awsdata.runtime_status("python3.8", date(2027, 2, 2))
    assert blocked is not None and blocked[0] == "blocked"
    assert awsdata.runtime_status("python3.8", date(2024, 1, 1)) is None
    assert awsdata.runtime_status("not-a-runtime", date(2026, 11, 25)) is None


def test_dms_versions_from_the_table() -> None:
    today = date(2026, 11, 25)
    status = awsdata.dms_version_status("3.5.2", today)
    assert status is not None and status[0] == "unavailable" and "2025-03-30" in status[1]
    assert awsdata.dms_version_status("3.5.2", date(2025, 1, 1)) is None  # still creatable then
    assert awsdata.dms_version_status("3.5.4", today) is None  # no settled date: never reported
    assert awsdata.dms_version_status("3.9.9", today) is None  # newer than the table: unknown
    old = awsdata.dms_version_status("3.3.4", today)
    assert old is not None and "3.4.6" in old[1]
    assert awsdata.dms_version_status("latest", today) is None
    assert "3.5.4" in awsdata.dms_available(today)


def test_dms_table_records_its_source_and_date() -> None:
    table = awsdata.dms_engine_versions()
    assert table["source"].startswith("AWS DMS User Guide")
    date.fromisoformat(table["retrieved"])
    for entry in table["versions"].values():
        assert entry["no_new_instances"] is None or date.fromisoformat(entry["no_new_instances"])


# -- schemas applied to partly known values ---------------------------------------------------------

LAMBDA_LIKE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["Role", "Code"],
    "properties": {
        "Role": {"type": "string", "pattern": "^arn:"},
        "Code": {"type": "object"},
        "MemorySize": {"type": "integer"},
        "Tracing": {"type": "boolean"},
        "Name": {"type": "string"},
        "Engine": {"type": "string"},
        "Version": {"type": "string"},
    },
    "if": {"properties": {"Engine": {"const": "a"}}, "required": ["Engine"]},
    "then": {"properties": {"Version": {"enum": ["1", "2"]}}},
    "else": {"properties": {"Version": {"enum": ["9"]}}},
}


def errors(instance: dict) -> list[tuple[str, list]]:
    return sorted((e.validator, list(e.absolute_path)) for e in awsdata.proven_errors(LAMBDA_LIKE, instance))


def test_known_violations_are_reported() -> None:
    found = errors({"Code": {}, "MemorySize": "lots", "Extra": 1, "Role": "nope"})
    assert found == [("additionalProperties", []), ("pattern", ["Role"]), ("type", ["MemorySize"])]
    assert errors({"Code": {}, "Role": "arn:x"}) == []
    assert errors({"Role": "arn:x"}) == [("required", [])]


def test_cloudformation_coercions_are_accepted() -> None:
    assert errors({"Code": {}, "Role": "arn:x", "MemorySize": "256", "Tracing": "true", "Name": 12}) == []
    assert errors({"Code": {}, "Role": "arn:x", "MemorySize": 1.5}) == [("type", ["MemorySize"])]


def test_unknown_values_are_never_judged() -> None:
    unknown = awsdata.to_instance(Unknown("parameter"))
    reference = awsdata.to_instance(Ref("Role", "Arn"))
    partial = awsdata.to_instance(Concat((Literal("x-"), Unknown("suffix", Origin.SUFFIX))))
    assert isinstance(partial, awsdata.PartialStr)
    assert errors({"Code": unknown, "Role": reference, "MemorySize": unknown, "Name": partial}) == []
    # a partly known string is a string, but its pattern cannot be judged
    assert errors({"Code": {}, "Role": partial}) == []


def test_conditions_on_unknown_values_decide_nothing() -> None:
    # Engine unknown: the else-branch must not be applied to a known Version
    assert errors({"Code": {}, "Role": "arn:x", "Engine": awsdata.Opaque(), "Version": "1"}) == []
    # Engine known: the branch applies
    assert errors({"Code": {}, "Role": "arn:x", "Engine": "a", "Version": "9"}) == [("enum", ["Version"])]
    assert errors({"Code": {}, "Role": "arn:x", "Engine": "b", "Version": "1"}) == [("enum", ["Version"])]


def test_yaml_floats_compare_with_version_strings() -> None:
    schema = {"properties": {"Version": {"enum": ["15.10", "16"]}}}
    assert awsdata.proven_errors(schema, {"Version": 15.1}) == []  # YAML 15.10 is the float 15.1
    assert awsdata.proven_errors(schema, {"Version": 16}) == []
    assert len(awsdata.proven_errors(schema, {"Version": 15.4})) == 1


def test_schemas_jsonschema_cannot_apply_do_not_raise() -> None:
    bad_pattern = {"properties": {"Name": {"pattern": "\\p{L}+("}}}
    assert awsdata.proven_errors(bad_pattern, {"Name": "x"}) == []
    dangling = {"properties": {"Name": {"$ref": "#/definitions/Missing"}}}
    assert awsdata.proven_errors(dangling, {"Name": "x"}) == []
    assert awsdata.proven_errors({"type": 12}, {"Name": "x"}) == []


def test_model_values_convert_to_plain_data() -> None:
    value = Literal({"A": Literal((Literal(1), Literal("x"))), "B": Literal(None)})
    assert awsdata.to_instance(value) == {"A": [1, "x"], "B": None}
    assert not awsdata.uncertain(awsdata.to_instance(value))
    assert awsdata.uncertain({"A": [1, awsdata.Opaque()]})


# -- robustness -------------------------------------------------------------------------------------

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.builds(awsdata.Opaque),
    st.builds(awsdata.PartialStr, st.text(max_size=8)),
)
_KEYS = st.sampled_from(
    [
        "Runtime",
        "Handler",
        "Role",
        "Code",
        "MemorySize",
        "ZipFile",
        "S3Bucket",
        "Layers",
        "Environment",
        "Variables",
        "VpcConfig",
        "X",
    ]
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(_KEYS, _VALUES, max_size=6))
def test_any_instance_against_a_real_schema_never_raises_and_never_judges_unknowns(instance: dict) -> None:
    schema = awsdata.provider_schema("AWS::Lambda::Function")
    assert schema is not None
    for error in awsdata.proven_errors(schema, instance):
        if error.validator not in ("required", "additionalProperties"):
            assert not awsdata.uncertain(error.instance)


def test_unevaluated_intrinsics_are_opaque() -> None:
    value = Literal({"Code": Literal({"Fn::If": Literal((Literal("C"), Literal(1), Literal(2)))})})
    assert isinstance(awsdata.to_instance(value)["Code"], awsdata.Opaque)
    assert isinstance(awsdata.properties_instance({"Fn::Transform": Literal({})}), awsdata.Opaque)
    assert awsdata.properties_instance({"A": Literal(1)}) == {"A": 1}


def test_a_region_option_is_never_a_path() -> None:
    assert awsdata.provider_schema("AWS::SQS::Queue", "../../resources/x") == awsdata.provider_schema(
        "AWS::SQS::Queue"
    )


# -- robustness: arbitrary model values never make the rules raise ------------------------------------

_ORIGINS = st.sampled_from(
    [
        Origin.NONE,
        Origin.SUFFIX,
        Origin.MAYBE_UPPERCASE | Origin.STACK_NAME,
        Origin.PARAMETER | Origin.SUFFIX,
        Origin.ACCOUNT,
        Origin.REGION,
    ]
)
_SCALAR_VALUES = st.builds(
    Literal,
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=70)),
    _ORIGINS,
)
_LEAVES = st.one_of(
    _SCALAR_VALUES, st.builds(Unknown, st.text(max_size=5), _ORIGINS), st.builds(Ref, st.text(max_size=5))
)
_MODEL_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.builds(lambda items: Literal(tuple(items)), st.lists(inner, max_size=3)),
        st.builds(
            Literal,
            st.dictionaries(
                st.sampled_from(["Engine", "EngineVersion", "Runtime", "ZipFile", "X"]), inner, max_size=3
            ),
        ),
        st.builds(lambda parts: Concat(tuple(parts)), st.lists(inner, min_size=1, max_size=4)),
    ),
    max_leaves=8,
)
_TYPES = st.sampled_from(
    [
        "AWS::RDS::DBCluster",
        "AWS::RDS::DBInstance",
        "AWS::Lambda::Function",
        "AWS::S3::Bucket",
        "AWS::SQS::Queue",
        "AWS::DMS::ReplicationInstance",
        "AWS::DocDB::DBCluster",
        "AWS::ElastiCache::CacheCluster",
        "AWS::IAM::Role",
        "AWS::S3::Buckets",
    ]
)
_PROPS = st.dictionaries(
    st.sampled_from(
        [
            "Engine",
            "EngineVersion",
            "Runtime",
            "Code",
            "Handler",
            "BucketName",
            "QueueName",
            "FifoQueue",
            "RoleName",
            "Fn::If",
            "Bogus",
        ]
    ),
    _MODEL_VALUES,
    max_size=5,
)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(_TYPES, _PROPS, st.one_of(st.none(), _MODEL_VALUES)), max_size=4))
def test_rules_never_raise_on_arbitrary_values(specs: list) -> None:
    from analyzer.graph import ResourceGraph
    from analyzer.rules.base import RuleContext
    from analyzer.rules.iac007_unavailable_engine_version import UnavailableEngineVersion
    from analyzer.rules.iac008_invalid_property import InvalidProperty
    from analyzer.rules.iac009_name_constraint import NameConstraint
    from analyzer.rules.iac010_lambda_handler_not_found import LambdaHandlerNotFound

    resources = tuple(
        Resource(
            f"R{index}",
            kind,
            Location("lib/TapStack.yml", index + 1),
            properties=props,
            name=name,
            source_type=kind,
            name_property="BucketName" if name is not None else None,
        )
        for index, (kind, props, name) in enumerate(specs)
    )
    project = Project(root="/x", platform="cloudformation", resources=resources)
    context = RuleContext(project, ResourceGraph(project), {"suffix-length": 20})
    for rule in (UnavailableEngineVersion(), InvalidProperty(), NameConstraint(), LambdaHandlerNotFound()):
        for finding in rule.check(context):
            assert finding.rule_id == rule.id and finding.message


def test_schema_at_follows_definitions_and_list_items() -> None:
    units = awsdata.schema_at("AWS::Cognito::UserPoolClient", "TokenValidityUnits.AccessToken")
    assert units is not None and "minutes" in units["enum"]
    password = awsdata.schema_at("AWS::AmazonMQ::Broker", "Users[0].Password")
    assert password is not None and password.get("type") == "string"
    # Free-form maps (Lambda environment variables) and unknown steps have no schema.
    assert awsdata.schema_at("AWS::Lambda::Function", "Environment.Variables.DB_PASSWORD") is None
    assert awsdata.schema_at("AWS::Nope::Nothing", "Name") is None
