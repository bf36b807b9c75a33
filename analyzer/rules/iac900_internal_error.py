"""IAC900-IAC904: findings the engine itself reports (documented here like every other rule)."""

from __future__ import annotations

from collections.abc import Iterable

from analyzer.findings import Finding, Severity
from analyzer.rules.base import Example, Rule, RuleContext


class InternalError(Rule):
    """
    ## What it does
    Reports an exception inside iacscan (a plugin or a rule) while analysing one worktree or
    resource. The rest of the scan goes on; the message names the exception and where it happened.

    ## Why is this bad
    The part of the worktree the failing code was looking at has not been checked, so a blocker there
    could go unreported. It is an iacscan bug, never a problem in your code.

    ## Example
    `IAC900 rule IAC003 failed on the pulumi project: KeyError at iac003_missing_pass_role.py:88: 'Arn'`

    ## Use instead
    Report the bug with the file that triggers it; `iacscan --debug` prints the full traceback.
    Suppress it for one path with `per-path-ignores` meanwhile.
    """

    id = "IAC900"
    name = "internal-error"
    severity = Severity.ERROR
    summary = "iacscan failed on part of the worktree; that part was not analysed"
    tags = ("iacscan",)

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        return ()  # emitted by the engine


class ParseError(Rule):
    """
    ## What it does
    Reports a file that iacscan could not parse or decode: a Python syntax error, a YAML or JSON
    syntax error, a duplicate key in a template, a file that is not UTF-8 text.

    ## Why is this bad
    The deployment tool fails on the same file before it creates anything, and nothing in the file
    could be checked for other blockers.

    ## Example
    ```yaml
    Resources:
      Bucket:
        Type: AWS::S3::Bucket
        Properties: [unclosed
    ```

    ## Use instead
    Fix the syntax at the reported line; the other files of the worktree are still analysed.
    """

    id = "IAC901"
    name = "parse-error"
    severity = Severity.ERROR
    summary = "a source file or template does not parse"
    tags = ("iacscan", "syntax")
    # The marker goes where the parser notices the error: for an unclosed bracket that is the end
    # of the input, so the example uses an error the parser sees on its own line.
    INVALID = [
        Example.cfn_yaml(
            """
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
                Properties: BucketName: logs  # expect: IAC901
            """,
            title="a mapping value where YAML allows none",
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        return ()  # emitted by the engine from the plugins' parse problems


class Skipped(Rule):
    """
    ## What it does
    Notes a file that was not analysed because of a limit: larger than `limits.max-file-bytes`
    (5 MB by default), past `limits.max-files`, a symbolic link out of the scanned root, or unreadable.

    ## Why is this bad
    Blockers in a skipped file go unreported. The limits keep a scan of a hostile repository bounded.

    ## Example
    A 12 MB generated `lib/TapStack.json`.

    ## Use instead
    Raise the limit in `[tool.iacscan.limits]`, or exclude the file with `exclude` if it is not part of
    the stack.
    """

    id = "IAC902"
    name = "file-skipped"
    severity = Severity.NOTE
    summary = "a file was skipped by a limit and not analysed"
    tags = ("iacscan",)

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        return ()


class SuppressionWithoutReason(Rule):
    """
    ## What it does
    Notes an inline suppression (`# iacscan: ignore[IAC002]`) that gives no reason.

    ## Why is this bad
    A reviewer cannot tell a deliberate exception from a silenced blocker.

    ## Example
    ```python
    aws.iam.Role("dms-vpc-role", name="dms-vpc-role")  # iacscan: ignore[IAC002]
    ```

    ## Use instead
    ```python
    aws.iam.Role("dms-vpc-role", name="dms-vpc-role")  # iacscan: ignore[IAC002] DMS requires this exact name
    ```
    """

    id = "IAC903"
    name = "suppression-without-reason"
    severity = Severity.NOTE
    summary = "an inline suppression gives no reason"
    tags = ("iacscan",)

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        return ()


class UnusedSuppression(Rule):
    """
    ## What it does
    With `--report-unused-suppressions`, notes an inline suppression that matches no finding.

    ## Why is this bad
    Stale suppressions hide future findings on the same line.

    ## Example
    ```python
    bucket = aws.s3.Bucket("b")  # iacscan: ignore[IAC002] legacy name
    ```
    (the bucket is auto-named, so IAC002 never fires here)

    ## Use instead
    Remove the comment.
    """

    id = "IAC904"
    name = "unused-suppression"
    severity = Severity.NOTE
    summary = "an inline suppression matches no finding"
    tags = ("iacscan",)

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        return ()
