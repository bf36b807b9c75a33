"""IAC001 on hand-built models: the rule's wording, silence and keys, independent of the plugins."""

from __future__ import annotations

from analyzer.findings import Finding, Severity
from analyzer.graph import ResourceGraph
from analyzer.model import AttributeProblem, CallCheck, ImportProblem, Location, Project
from analyzer.rules.base import RuleContext
from analyzer.rules.iac001_entrypoint_args_mismatch import EntrypointArgsMismatch

SEVEN = (
    "vpc_id",
    "private_subnet_ids",
    "dms_subnet_ids",
    "source_db_host",
    "source_db_username",
    "source_db_password",
    "aurora_password",
)
CALL = Location("tap.py", 36, 10)
DEFINITION = Location("lib/tap_stack.py", 30, 5)


def run(project: Project) -> list[Finding]:
    return list(EntrypointArgsMismatch().check(RuleContext(project, ResourceGraph(project))))


def project(platform: str = "pulumi", **facts: object) -> Project:
    return Project(root="/w", platform=platform, entry_point="tap.py", **facts)  # type: ignore[arg-type]


def test_seed_000_names_all_seven_missing_arguments_at_the_call() -> None:
    call = CallCheck("TapStackArgs", CALL, DEFINITION, missing=SEVEN)
    [finding] = run(project(calls=(call,)))
    assert finding.rule_id == "IAC001"
    assert finding.severity is Severity.ERROR
    assert finding.location == CALL
    for name in SEVEN:
        assert f"'{name}'" in finding.message
    assert "7 required arguments" in finding.message
    assert "TypeError" in finding.message and "`pulumi up`" in finding.message
    assert [item.location for item in finding.related] == [DEFINITION]
    assert "pulumi.Config().require('vpc_id')" in finding.fix_hint


def test_fix_hint_follows_the_platform() -> None:
    call = CallCheck("TapStackProps", CALL, DEFINITION, missing=("alert_email",))
    [finding] = run(project("cdk", calls=(call,)))
    assert "try_get_context('alert_email')" in finding.fix_hint
    assert "`cdk synth`" in finding.message
    [neutral] = run(project("terraform", calls=(call,)))
    assert "pass them at the call" in neutral.fix_hint


def test_uncertain_and_clean_calls_are_silent() -> None:
    calls = (
        CallCheck("TapStackArgs", CALL, DEFINITION, missing=SEVEN, certain=False),
        CallCheck("TapStackArgs", Location("tap.py", 40), DEFINITION),
    )
    assert run(project(calls=calls)) == []


def test_one_finding_per_call_with_every_fault() -> None:
    call = CallCheck(
        "TapStackArgs",
        CALL,
        DEFINITION,
        missing=("environment_suffix",),
        unexpected=("env_suffix",),
        too_many_positional=2,
        duplicates=("vpc_id",),
    )
    [finding] = run(project(calls=(call,)))
    message = finding.message
    assert "missing 1 required argument: 'environment_suffix'" in message
    assert "unexpected keyword argument 'env_suffix'" in message
    assert "2 positional arguments too many" in message
    assert "'vpc_id' more than once" in message
    assert finding.key == "TapStackArgs:env_suffix,environment_suffix,vpc_id:+2"


def test_key_ignores_line_numbers_and_argument_order() -> None:
    first = CallCheck("TapStackArgs", CALL, DEFINITION, missing=("b", "a"))
    moved = CallCheck("TapStackArgs", Location("tap.py", 80), None, missing=("a", "b"))
    [one] = run(project(calls=(first,)))
    [two] = run(project(calls=(moved,)))
    assert one.key == two.key == "TapStackArgs:a,b"
    assert one.fingerprint == two.fingerprint
    assert two.related == ()  # no definition known: no related location


def test_kwargs_into_library_base_class_is_explained() -> None:
    call = CallCheck(
        "TapStack",
        Location("tap.py", 12),
        Location("lib/tap_stack.py", 14),
        unexpected=("props",),
        via="**kwargs to aws_cdk.Stack",
    )
    [finding] = run(project("cdk", calls=(call,)))
    assert "'props' through **kwargs to aws_cdk.Stack" in finding.message
    assert "no such parameter" in finding.message
    assert (
        "'props' as an explicit parameter of `TapStack.__init__` (e.g. `props: ... = None`)"
        in finding.fix_hint
    )


def test_nested_stack_calls_are_reported_too() -> None:
    inner = CallCheck(
        "StorageStack",
        Location("lib/tap_stack.py", 50),
        DEFINITION,
        missing=("retention_days",),
        in_entry_point=False,
    )
    [finding] = run(project("cdk", calls=(inner,)))
    assert finding.location.path == "lib/tap_stack.py"


def test_import_of_an_undefined_name_says_what_the_module_defines() -> None:
    defined = ("TapStack", "TapStackProps")
    problem = ImportProblem("lib.tap_stack", "TapStackArgs", Location("tap.py", 2), defined)
    [finding] = run(project(import_problems=(problem,), files=("tap.py", "lib/tap_stack.py")))
    assert finding.message.startswith("lib/tap_stack.py defines TapStack, TapStackProps but not TapStackArgs")
    assert "ImportError" in finding.message
    assert "did you mean 'TapStackProps'" in finding.fix_hint
    assert finding.key == "import:lib.tap_stack:TapStackArgs"


def test_import_from_a_package_module_uses_its_init_path() -> None:
    problem = ImportProblem("lib.stacks", "Missing", Location("tap.py", 3), ("Other",))
    [finding] = run(project(import_problems=(problem,), files=("lib/stacks/__init__.py",)))
    assert finding.message.startswith("lib/stacks/__init__.py defines Other but not Missing")
    assert "did you mean" not in finding.fix_hint


def test_import_from_a_module_that_defines_nothing() -> None:
    problem = ImportProblem("lib.tap_stack", "TapStack", Location("tap.py", 3))
    [finding] = run(project(import_problems=(problem,), files=("lib/tap_stack.py",)))
    assert finding.message.startswith("lib/tap_stack.py does not define TapStack: ")


def test_missing_module() -> None:
    problem = ImportProblem("lib.network_stack", None, Location("tap.py", 3))
    [finding] = run(project(import_problems=(problem,)))
    assert "module 'lib.network_stack' does not exist" in finding.message
    assert "create lib/network_stack.py" in finding.fix_hint
    assert finding.key == "import:lib.network_stack:"


def test_attribute_problem_points_at_the_read_and_the_definition() -> None:
    problem = AttributeProblem(
        "TapStackArgs",
        "vpc_idd",
        Location("lib/tap_stack.py", 44, 20),
        DEFINITION,
        ("environment_suffix", "vpc_id"),
    )
    [finding] = run(project(attribute_problems=(problem,)))
    assert finding.location == Location("lib/tap_stack.py", 44, 20)
    assert "`TapStackArgs` has no attribute 'vpc_idd'" in finding.message
    assert "'environment_suffix', 'vpc_id'" in finding.message
    assert "did you mean 'vpc_id'" in finding.fix_hint
    assert [item.location for item in finding.related] == [DEFINITION]


def test_examples_are_well_formed() -> None:
    assert len(EntrypointArgsMismatch.VALID) >= 10
    assert len(EntrypointArgsMismatch.INVALID) >= 10
    for example in EntrypointArgsMismatch.INVALID:
        markers = [text for text in example.files.values() if "# expect: IAC001" in text]
        assert markers, example.title
    for example in EntrypointArgsMismatch.VALID:
        assert not any("expect:" in text for text in example.files.values()), example.title
