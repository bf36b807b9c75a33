"""IAC018 stale-template-copy: a YAML/JSON twin of the deployed template that says something else."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from analyzer.findings import Finding, Related, Severity
from analyzer.model import Location
from analyzer.rules.base import Example, Rule, RuleContext

_SHOWN = 5  # differences named in the message; the rest are counted


class StaleTemplateCopy(Rule):
    """
    ## What it does
    Notes a CloudFormation template kept beside the deployed one as a copy in the other format
    (`lib/TapStack.yml` and `lib/TapStack.json` defining the same logical ids) when the two no longer
    say the same thing: a resource, a property, an attribute such as `DependsOn`, or a parameter
    differs. iacscan analyses only the deployed twin (the rule is in docs/cloudformation.md) and
    reports each finding once; this note names the copy and what differs.

    ## Why is this bad
    Reviewers, tests and tools read one file while CloudFormation deploys the other. A fix made in
    the copy never reaches the stack, and a blocker fixed in the deployed file seems to remain in
    the copy.

    ## Example
    `lib/TapStack.yml` (deployed) gives the bucket `BucketName: !Sub data-${EnvironmentSuffix}`,
    while `lib/TapStack.json` still has `"BucketName": "data"`.

    ## Use instead
    Keep one source of truth: delete the copy, or regenerate it from the deployed template in the
    build (`cfn-flip lib/TapStack.yml lib/TapStack.json`) so that the two cannot drift.
    """

    id = "IAC018"
    name = "stale-template-copy"
    severity = Severity.NOTE
    summary = "a YAML/JSON copy of the deployed template has drifted from it"
    tags = ("cloudformation", "maintainability")

    VALID = [
        Example(
            {
                "lib/TapStack.yml": """
                Resources:
                  Bucket:
                    Type: AWS::S3::Bucket
                """,
                "lib/TapStack.json": """
                {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}}}
                """,
            },
            title="identical twins",
        ),
        Example.cfn_yaml(
            """
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
            """,
            title="a single template",
        ),
    ]
    INVALID = [
        Example(
            {
                "lib/TapStack.yml": """
                Parameters:
                  EnvironmentSuffix:
                    Type: String
                Resources:
                  Bucket:
                    Type: AWS::S3::Bucket
                    Properties:
                      BucketName: !Sub data-${EnvironmentSuffix}
                """,
                "lib/TapStack.json": """
                {  // expect: IAC018
                  "Parameters": {"EnvironmentSuffix": {"Type": "String"}},
                  "Resources": {
                    "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "data"}}
                  }
                }
                """,
            },
            title="the JSON copy kept an old property",
        ),
        Example(
            {
                "metadata.json": '{"platform": "cfn", "language": "json"}',
                "lib/TapStack.json": """
                {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}, "Topic": {"Type": "AWS::SNS::Topic"}}}
                """,
                "lib/TapStack.yml": """
                Resources:  # expect: IAC018
                  Queue:
                    Type: AWS::SQS::Queue
                """,
            },
            title="metadata says JSON is deployed; the YAML copy lacks a resource",
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for twin in ctx.project.facts.get("twins", ()):
            if not isinstance(twin, Mapping) or not twin.get("drifted"):
                continue
            yield self._finding(twin)

    def _finding(self, twin: Mapping[str, Any]) -> Finding:
        deployed, copy = str(twin.get("deployed")), str(twin.get("copy"))
        differences = [str(item) for item in twin.get("differences", ())]
        shown = "; ".join(differences[:_SHOWN])
        more = f" and {len(differences) - _SHOWN} more" if len(differences) > _SHOWN else ""
        reason = f" ({twin['reason']})" if twin.get("reason") else ""
        return self.finding(
            f"'{copy}' is a copy of the deployed template '{deployed}'{reason} but differs from it: {shown}{more}",
            Location(copy, 1),
            f"delete '{copy}' or regenerate it from '{deployed}' in the build (e.g. cfn-flip) so they cannot drift",
            key=f"{deployed}->{copy}",
            related=[Related(Location(deployed, 1), "the deployed template, which iacscan analyses")],
        )
