"""Import resolution and start-up import problems."""

from __future__ import annotations

from pathlib import Path

from py_helpers import write

from analyzer.python.project import ClassRef, External, FunctionRef, Missing, PythonProject


def project(tmp_path: Path, files: dict[str, str], entry: str = "tap.py") -> PythonProject:
    return PythonProject(tmp_path, write(tmp_path, files), entry)


FILES = {
    "tap.py": "from lib import TapStack as Stack\nfrom lib.tap_stack import TapStackArgs, helper\n"
    "import pulumi_aws as aws\nfrom lib.sub.mod import thing\n",
    "lib/__init__.py": "from .tap_stack import TapStack\n",
    "lib/tap_stack.py": "from .sub import mod\nclass TapStack:\n    pass\nclass TapStackArgs:\n    pass\n"
    "def helper():\n    pass\n",
    "lib/sub/__init__.py": "",
    "lib/sub/mod.py": "from ..tap_stack import TapStack as Again\nthing = 1\n",
}


def test_re_exports_aliases_and_relative_imports(tmp_path: Path) -> None:
    p = project(tmp_path, FILES)
    stack = p.resolve("tap.py", "Stack")
    assert (
        isinstance(stack, ClassRef) and stack.name == "TapStack" and stack.module.path == "lib/tap_stack.py"
    )
    assert isinstance(p.resolve("tap.py", "helper"), FunctionRef)
    again = p.resolve("lib/sub/mod.py", "Again")
    assert isinstance(again, ClassRef) and again.name == "TapStack"
    assert p.resolve("tap.py", "aws") == External("pulumi_aws")
    assert p.import_problems("tap.py") == []


def test_missing_name_and_missing_module(tmp_path: Path) -> None:
    files = dict(FILES)
    files["tap.py"] = (
        "from lib.tap_stack import TapStack, TapStackProps\nfrom lib.nothing import X\n"
        "try:\n    from lib.optional import Y\nexcept ImportError:\n    Y = None\n"
    )
    p = project(tmp_path, files)
    problems = {(problem.module, problem.name): problem for problem in p.import_problems("tap.py")}
    assert set(problems) == {("lib.tap_stack", "TapStackProps"), ("lib.nothing", None)}
    assert problems[("lib.tap_stack", "TapStackProps")].available == (
        "TapStack",
        "TapStackArgs",
        "helper",
        "mod",
    )
    assert problems[("lib.tap_stack", "TapStackProps")].location.line == 1
    assert isinstance(p.resolve("tap.py", "TapStackProps"), Missing)


def test_problems_in_imported_modules_are_found(tmp_path: Path) -> None:
    files = dict(FILES)
    files["lib/tap_stack.py"] = "from .helpers import build\nclass TapStack:\n    pass\n"
    files["lib/helpers.py"] = "def other():\n    pass\n"
    files["tap.py"] = "from lib.tap_stack import TapStack\n"
    problems = project(tmp_path, files).import_problems("tap.py")
    assert [(p.module, p.name, p.location.path) for p in problems] == [
        ("lib.helpers", "build", "lib/tap_stack.py")
    ]


def test_third_party_imports_are_never_problems(tmp_path: Path) -> None:
    p = project(tmp_path, {"tap.py": "from aws_cdk import Stack\nimport boto3.session\n"})
    assert p.import_problems("tap.py") == []


def test_entry_point_directory_is_on_the_path(tmp_path: Path) -> None:
    files = {"app/__main__.py": "from stack import Thing\n", "app/stack.py": "class Thing:\n    pass\n"}
    p = project(tmp_path, files, entry="app/__main__.py")
    assert isinstance(p.resolve("app/__main__.py", "Thing"), ClassRef)
    assert p.import_problems("app/__main__.py") == []


def test_unparsable_module_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    files = {"tap.py": "from lib.bad import X\n", "lib/__init__.py": "", "lib/bad.py": "def broken(:\n"}
    p = project(tmp_path, files)
    assert p.resolve("tap.py", "X") is None
    assert p.import_problems("tap.py") == []  # the parse error is the finding, not a missing name
    assert any(problem.location.path == "lib/bad.py" for problem in p.problems)
