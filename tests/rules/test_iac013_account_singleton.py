"""IAC013 on hand-built models, and the singleton table itself."""

from __future__ import annotations

import pytest

from analyzer import awsdata
from analyzer.findings import Severity
from analyzer.graph import ResourceGraph
from analyzer.model import Concat, Literal, Location, Origin, Project, Resource, Unknown, Value
from analyzer.rules.base import RuleContext
from analyzer.rules.iac013_account_singleton import AccountSingleton, account_singletons, singleton_specs

PATH = "lib/TapStack.yml"


def res(
    rid: str,
    rtype: str,
    props: dict[str, Value] | None = None,
    options: dict[str, Value] | None = None,
    source_type: str = "",
    name: Value | None = None,
) -> Resource:
    return Resource(
        rid,
        rtype,
        Location(PATH, 4),
        properties=props or {},
        options=options or {},
        source_type=source_type,
        name=name,
        name_property="RoleName" if name is not None else None,
    )


def run(*resources: Resource, platform: str = "cloudformation") -> list:
    project = Project(root="/x", platform=platform, resources=resources)
    return list(AccountSingleton().check(RuleContext(project, ResourceGraph(project))))


def test_unconditional_detector_is_an_error_naming_the_failure() -> None:
    (finding,) = run(res("Detector", "AWS::GuardDuty::Detector"))
    assert finding.severity is Severity.ERROR and finding.resource == "Detector"
    assert "detector already exists" in finding.message
    assert "bootstrap stack" in finding.fix_hint and "get_detector" in finding.fix_hint


def test_a_cloudformation_condition_makes_it_optional() -> None:
    assert (
        run(res("Detector", "AWS::GuardDuty::Detector", options={"Condition": Literal("CreateDetector")}))
        == []
    )


def test_account_settings_are_warnings() -> None:
    (finding,) = run(
        res(
            "pp",
            "Pulumi::AWS::Iam::AccountPasswordPolicy",
            source_type="aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
        ),
        platform="pulumi",
    )
    assert finding.severity is Severity.WARNING and "password policy" in finding.message


def test_pulumi_only_types_match_by_token() -> None:
    hub = res("hub", "Pulumi::AWS::Securityhub::Account", source_type="aws:securityhub/account:Account")
    (finding,) = run(hub, platform="pulumi")
    assert "Security Hub" in finding.message


def test_service_linked_role_with_a_custom_suffix_is_not_a_singleton() -> None:
    assert (
        len(run(res("Slr", "AWS::IAM::ServiceLinkedRole", {"AWSServiceName": Literal("es.amazonaws.com")})))
        == 1
    )
    suffixed = res(
        "Slr", "AWS::IAM::ServiceLinkedRole", {"CustomSuffix": Unknown("stack name", Origin.STACK_NAME)}
    )
    assert run(suffixed) == []


def test_dms_roles_named_exactly_are_singletons_misnamed_ones_belong_to_iac004() -> None:
    exact = res("DmsVpcRole", "AWS::IAM::Role", name=Literal("dms-vpc-role", location=Location(PATH, 6)))
    (finding,) = run(exact)
    assert finding.location.line == 6 and "already exists" in finding.message
    suffixed = res(
        "DmsVpcRole",
        "AWS::IAM::Role",
        name=Concat((Literal("dms-vpc-role-"), Unknown("suffix", Origin.SUFFIX)), Origin.SUFFIX),
    )
    assert run(suffixed) == []
    assert run(res("AppRole", "AWS::IAM::Role", name=Literal("app-role"))) == []


def test_singletons_keep_model_order() -> None:
    project = Project(
        root="/x",
        platform="cloudformation",
        resources=(
            res("Recorder", "AWS::Config::ConfigurationRecorder"),
            res("Channel", "AWS::Config::DeliveryChannel"),
        ),
    )
    assert [s.resource for s in account_singletons(project)] == ["Recorder", "Channel"]


@pytest.mark.parametrize("spec", singleton_specs(), ids=lambda spec: spec.label)
def test_every_table_entry_has_a_source_and_known_types(spec) -> None:
    assert spec.source and spec.error and spec.lookup and spec.kind in ("fails", "setting")
    assert spec.types or spec.tokens
    for resource_type in spec.types:
        assert awsdata.resource_type_known(resource_type) is not False, resource_type
    for token in spec.tokens:
        assert token.startswith("aws:") and token.count(":") == 2
