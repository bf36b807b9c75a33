"""Intrinsic functions evaluated symbolically, through the plugin (YAML short and long forms, JSON)."""

from __future__ import annotations

from cfn_helpers import resource, yaml_template

from analyzer.model import Concat, Literal, Origin, Ref, Unknown, literal_of, render
from analyzer.plugin import Limits
from plugins.cloudformation.intrinsics import Evaluator, TemplateScope

PARAMS = """
EnvironmentSuffix:
  Type: String
  Default: pr42
Environment:
  Type: String
  Default: dev
  AllowedValues: [dev, prod]
Subnets:
  Type: CommaDelimitedList
  Default: subnet-a,subnet-b
NoDefault:
  Type: String
"""


def prop(parse, body: str, name: str = "Value", extra: str = "", resource_type: str = "AWS::SSM::Parameter"):
    resources = (
        f"Thing:\n  Type: {resource_type}\n  Properties:\n"
        + "\n".join("    " + line for line in body.strip("\n").splitlines())
        + "\nOther:\n  Type: AWS::SQS::Queue\n"
    )
    project = parse(yaml_template(resources, PARAMS, extra))
    assert not project.problems, project.problems
    return resource(project, "Thing").properties.get(name)


def test_ref_to_suffix_parameter_is_its_default_marked_as_suffix(parse) -> None:
    value = prop(parse, "Value: !Ref EnvironmentSuffix")
    assert isinstance(value, Literal) and value.value == "pr42"
    assert value.origin & Origin.SUFFIX and value.origin & Origin.PARAMETER and value.origin & Origin.CONFIG
    assert not value.origin & Origin.ENV_NAME


def test_ref_to_environment_name_parameter_is_env_name_not_suffix(parse) -> None:
    value = prop(parse, "Value: !Ref Environment")
    assert value.origin & Origin.ENV_NAME and not value.origin & Origin.SUFFIX
    assert not value.origin.per_deployment


def test_ref_to_parameter_without_default_is_unknown_but_marked(parse) -> None:
    value = prop(parse, "Value: !Ref NoDefault")
    assert isinstance(value, Unknown) and value.origin & Origin.PARAMETER and value.hint == "NoDefault"


def test_ref_to_resource_and_getatt_forms(parse) -> None:
    assert prop(parse, "Value: !Ref Other") == Ref("Other")
    assert prop(parse, "Value: !GetAtt Other.Arn") == Ref("Other", "Arn")
    assert prop(parse, "Value:\n  Fn::GetAtt: [Other, QueueName]") == Ref("Other", "QueueName")
    assert prop(parse, "Value:\n  Fn::GetAtt: Other.Arn") == Ref("Other", "Arn")


def test_ref_to_undefined_name_is_unknown(parse) -> None:
    value = prop(parse, "Value: !Ref Missing")
    assert isinstance(value, Unknown) and "Missing" in value.reason


def test_pseudo_parameters(parse) -> None:
    stack = prop(parse, "Value: !Ref AWS::StackName")
    assert isinstance(stack, Unknown) and stack.origin == Origin.STACK_NAME | Origin.MAYBE_UPPERCASE
    assert prop(parse, "Value: !Ref AWS::AccountId").origin == Origin.ACCOUNT
    assert prop(parse, "Value: !Ref AWS::Region").origin == Origin.REGION
    assert prop(parse, "Value: !Ref AWS::StackId").origin == Origin.UNIQUE
    assert prop(parse, "Value: !Ref AWS::URLSuffix") == Literal("amazonaws.com")
    assert prop(parse, "Value: !Ref AWS::Partition") == Literal("aws")


def test_sub_string_form_with_parameter_resource_attribute_and_pseudo(parse) -> None:
    value = prop(parse, "Value: !Sub 'app-${EnvironmentSuffix}-${Other.Arn}-${AWS::Region}-${Other}'")
    assert isinstance(value, Concat)
    assert render(value) == "app-pr42-${Other.Arn}-${AWS::Region}-${Other}"
    assert value.origin & Origin.SUFFIX and value.origin & Origin.REGION
    assert Ref("Other", "Arn") in value.parts and Ref("Other") in value.parts


def test_sub_list_form_with_variables_and_escape(parse) -> None:
    value = prop(
        parse, "Value: !Sub ['${Prefix}-${!Literal}-${AWS::StackName}', {Prefix: !Ref EnvironmentSuffix}]"
    )
    assert render(value) == "pr42-${Literal}-${AWS::StackName}"
    assert value.origin & Origin.SUFFIX and value.origin & Origin.STACK_NAME


def test_sub_of_only_literals_collapses(parse) -> None:
    value = prop(parse, "Value: !Sub 'plain-${!Escaped}'")
    assert value == Literal("plain-${Escaped}")


def test_join_with_parameter_and_list_parameter(parse) -> None:
    value = prop(parse, "Value: !Join ['-', [orders, !Ref EnvironmentSuffix]]")
    assert isinstance(value, Literal) and value.value == "orders-pr42" and value.origin & Origin.SUFFIX
    joined = prop(parse, "Value: !Join [',', !Ref Subnets]")
    assert literal_of(joined) == "subnet-a,subnet-b"


def test_join_of_unknown_list_is_unknown(parse) -> None:
    value = prop(parse, "Value: !Join [',', !GetAZs '']")
    assert isinstance(value, Unknown)


def test_select_and_split(parse) -> None:
    assert literal_of(prop(parse, "Value: !Select [1, !Ref Subnets]")) == "subnet-b"
    assert literal_of(prop(parse, "Value: !Select [0, !Split ['/', 'a/b/c']]")) == "a"
    out_of_range = prop(parse, "Value: !Select [5, [a, b]]")
    assert isinstance(out_of_range, Unknown)
    azs = prop(parse, "Value: !Select [0, !GetAZs '']")
    assert isinstance(azs, Unknown) and azs.origin & Origin.REGION


def test_if_branch_policy(parse) -> None:
    extra = "Conditions:\n  IsProd: !Equals [!Ref Environment, prod]"
    # Equal branches: that value.
    assert prop(parse, "Value: !If [IsProd, same, same]", extra=extra) == Literal("same")
    # A NoValue branch: the property, when present, is the other branch.
    present = prop(
        parse, "Value: !If [IsProd, !Sub 'x-${EnvironmentSuffix}', !Ref AWS::NoValue]", extra=extra
    )
    assert render(present) == "x-pr42" and present.origin & Origin.SUFFIX
    # Different branches sharing the suffix origin keep it, as an Unknown.
    both = prop(
        parse,
        "Value: !If [IsProd, !Sub 'a-${EnvironmentSuffix}', !Sub 'b-${EnvironmentSuffix}']",
        extra=extra,
    )
    assert isinstance(both, Unknown) and both.origin & Origin.SUFFIX and "IsProd" in both.reason
    # Branches that disagree on the suffix: no suffix origin.
    mixed = prop(parse, "Value: !If [IsProd, fixed, !Sub 'b-${EnvironmentSuffix}']", extra=extra)
    assert isinstance(mixed, Unknown) and not mixed.origin & Origin.SUFFIX
    assert "fixed" in mixed.reason and "b-pr42" in mixed.reason


def test_no_value_removes_property_and_list_element(parse) -> None:
    extra = "Conditions:\n  IsProd: !Equals [!Ref Environment, prod]"
    project = parse(
        yaml_template(
            "Thing:\n  Type: AWS::SQS::Queue\n  Properties:\n    QueueName: !Ref AWS::NoValue\n"
            "    Tags: [!Ref AWS::NoValue, {Key: a, Value: b}]\n",
            PARAMS,
            extra,
        )
    )
    thing = resource(project, "Thing")
    assert "QueueName" not in thing.properties and thing.name is None
    assert literal_of(thing.properties["Tags"]) == [{"Key": "a", "Value": "b"}]


def test_find_in_map(parse) -> None:
    extra = """
Mappings:
  Sizes:
    dev: {Size: small, Same: x}
    prod: {Size: large, Same: x}
"""
    assert (
        literal_of(prop(parse, "Value: !FindInMap [Sizes, !Ref Environment, Size]", extra=extra)) == "small"
    )
    # Top-level key known only at deploy time; every entry agrees.
    assert literal_of(prop(parse, "Value: !FindInMap [Sizes, !Ref AWS::Region, Same]", extra=extra)) == "x"
    differs = prop(parse, "Value: !FindInMap [Sizes, !Ref AWS::Region, Size]", extra=extra)
    assert isinstance(differs, Unknown)
    default = prop(parse, "Value: !FindInMap [Sizes, nope, Size, {DefaultValue: fallback}]", extra=extra)
    assert default == Literal("fallback")


def test_import_value_and_dynamic_references_are_external(parse) -> None:
    imported = prop(parse, "Value: !ImportValue shared-vpc-id")
    assert isinstance(imported, Unknown) and imported.origin & Origin.EXTERNAL
    dynamic = prop(parse, "Value: '{{resolve:ssm:/app/name}}'")
    assert isinstance(dynamic, Unknown) and dynamic.origin & Origin.EXTERNAL
    sub_dynamic = prop(parse, "Value: !Sub '{{resolve:secretsmanager:${EnvironmentSuffix}-db}}'")
    assert isinstance(sub_dynamic, Unknown) and sub_dynamic.origin & Origin.EXTERNAL


def test_base64_is_transparent_and_to_json_string(parse) -> None:
    user_data = prop(parse, "Value: !Base64 {'Fn::Sub': 'echo ${Other.Arn}'}")
    assert Ref("Other", "Arn") in user_data.parts
    as_json = prop(parse, "Value:\n  Fn::ToJsonString: {a: 1, b: [x]}")
    assert as_json == Literal('{"a":1,"b":["x"]}')


def test_unsupported_function_is_unknown(parse) -> None:
    value = prop(parse, "Value: !Cidr ['10.0.0.0/16', 4, 8]")
    assert isinstance(value, Unknown) and "Fn::Cidr" in value.reason


def test_evaluation_is_bounded_by_steps_and_depth() -> None:
    scope = TemplateScope("t.yml", {}, {}, {}, Limits(eval_steps=50, eval_depth=5))
    evaluator = Evaluator(scope)
    deep: object = "leaf"
    for _ in range(20):
        deep = [deep]
    value = evaluator.value(deep)
    while isinstance(value, Literal) and isinstance(value.value, tuple):
        value = value.value[0]
    assert isinstance(value, Unknown) and "nested deeper than 5" in value.reason
    wide = [[str(index)] for index in range(100)]
    Evaluator(scope).value(wide)
    exhausted = Evaluator(scope)
    exhausted.value(wide)
    assert exhausted.exhausted


def test_yaml_dates_are_text(parse) -> None:
    assert prop(parse, "Value: 2024-01-31") == Literal("2024-01-31")
