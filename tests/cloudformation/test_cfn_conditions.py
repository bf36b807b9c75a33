"""Conditions decided for a deployment that keeps every parameter's default (the suffix aside)."""

from __future__ import annotations

from cfn_helpers import resource, yaml_template

from analyzer.model import Literal

PARAMETERS = """
EnvironmentSuffix: {Type: String, Default: dev}
Environment: {Type: String, Default: dev, AllowedValues: [dev, prod]}
EnableArchive: {Type: String, Default: "true"}
CertificateArn: {Type: String, Default: ""}
Required: {Type: String}
"""

CONDITIONS = """
Conditions:
  IsProd: !Equals [!Ref Environment, prod]
  Archive: !Equals [!Ref EnableArchive, true]
  HasCert: !Not [!Equals [!Ref CertificateArn, ""]]
  ProdArchive: !And [!Condition IsProd, !Condition Archive]
  ProdOrArchive: !Or [!Condition IsProd, !Condition Archive]
  SuffixIsProd: !Equals [!Ref EnvironmentSuffix, prod]
  NeedsInput: !Equals [!Ref Required, yes]
  ProdOrInput: !Or [!Condition IsProd, !Condition NeedsInput]
  ArchiveOrInput: !Or [!Condition Archive, !Condition NeedsInput]
  InRegion: !Equals [!Ref AWS::Region, us-east-1]
  Loop: !Not [!Condition Loop]
"""


def decided(parse) -> dict[str, object]:
    names = [line.split(":")[0].strip() for line in CONDITIONS.strip().splitlines()[1:]]
    body = "".join(f"Q{name}:\n  Type: AWS::SQS::Queue\n  Condition: {name}\n" for name in names)
    project = parse(yaml_template(body, PARAMETERS, CONDITIONS))
    return {name: resource(project, f"Q{name}").options.get("ConditionDefault") for name in names}


def test_conditions_on_parameter_defaults_are_decided(parse) -> None:
    values = decided(parse)
    assert values["IsProd"] == Literal(False)
    assert values["Archive"] == Literal(True)  # YAML true compares as the string "true"
    assert values["HasCert"] == Literal(False)
    assert values["ProdArchive"] == Literal(False)
    assert values["ProdOrArchive"] == Literal(True)
    # One known operand is enough when it decides And/Or.
    assert values["ArchiveOrInput"] == Literal(True)


def test_suffix_missing_defaults_pseudo_parameters_and_loops_stay_undecided(parse) -> None:
    values = decided(parse)
    for name in ("SuffixIsProd", "NeedsInput", "ProdOrInput", "InRegion", "Loop"):
        assert values[name] is None, name


def test_a_resource_without_condition_gets_no_verdict(parse) -> None:
    project = parse(yaml_template("Queue:\n  Type: AWS::SQS::Queue\n"))
    assert "ConditionDefault" not in resource(project, "Queue").options
