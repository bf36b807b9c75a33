"""The symbolic evaluator: values, provenance and control flow."""

from __future__ import annotations

from pathlib import Path

import pytest
from py_helpers import evaluate, model_value

from analyzer.model import Concat, Literal, Origin, Unknown, render
from analyzer.plugin import Limits
from analyzer.python.values import JsonText


def run(tmp_path: Path, source: str, **kwargs):
    return evaluate(tmp_path, {"tap.py": source}, **kwargs)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('f"bucket-{name}-{n}"', "bucket-data-3"),
        ('"{}-{x}".format(name, x=n)', "data-3"),
        ('"%s-%d" % (name, n)', "data-3"),
        ('"a-" + name + "-b"', "a-data-b"),
        ('"-".join([name, "x", str(n)])', "data-x-3"),
        ("name.upper()", "DATA"),
        ('name if n > 2 else "small"', "data"),
        ('{"k": name}.get("k")', "data"),
        ('[name, "y"][1]', "y"),
        ("len([1, 2, n])", 3),
        ("n * 2 + 1", 7),
        ('"x" in ["x", "y"]', True),
    ],
)
def test_expressions(tmp_path: Path, expression: str, expected: object) -> None:
    _, module = run(tmp_path, f'name = "data"\nn = 3\nresult = {expression}\n')
    value = module.namespace["result"]
    assert isinstance(value, Literal) and value.value == expected


def test_env_var_suffix_with_default_is_unknown_with_origin(tmp_path: Path) -> None:
    evaluator, module = run(
        tmp_path,
        'import os\ns = os.environ.get("ENVIRONMENT_SUFFIX", "dev")\n'
        'name = f"bucket-{s}"\nregion = os.getenv("AWS_REGION")\n',
    )
    name = module.namespace["name"]
    assert isinstance(name, Concat) and name.origin & Origin.SUFFIX and name.origin & Origin.ENV_VAR
    region = module.namespace["region"]
    assert isinstance(region, Unknown) and region.origin == Origin.ENV_VAR
    assert [n for n, _ in evaluator.suffix_reads] == ["ENVIRONMENT_SUFFIX"]


def test_environ_subscript(tmp_path: Path) -> None:
    _, module = run(tmp_path, 'import os\ns = os.environ["ENVIRONMENT_SUFFIX"]\n')
    assert module.namespace["s"].origin & Origin.SUFFIX


def test_env_name_is_not_a_suffix(tmp_path: Path) -> None:
    evaluator, module = run(tmp_path, 'import os\ne = os.getenv("ENVIRONMENT", "dev")\n')
    assert module.namespace["e"].origin & Origin.ENV_NAME and not module.namespace["e"].origin & Origin.SUFFIX
    assert [n for n, _ in evaluator.env_name_reads] == ["ENVIRONMENT"]


def test_configured_suffix_names(tmp_path: Path) -> None:
    _, module = run(tmp_path, 'import os\ne = os.getenv("PR_NUMBER")\n', suffix_names=("PR_NUMBER",))
    assert module.namespace["e"].origin & Origin.SUFFIX


def test_json_dumps_is_a_document(tmp_path: Path) -> None:
    _, module = run(
        tmp_path,
        'import json\narn = "arn:aws:s3:::b"\n'
        'doc = json.dumps({"Statement": [{"Effect": "Allow", "Resource": arn}]})\n',
    )
    doc = module.namespace["doc"]
    assert isinstance(doc, JsonText)
    value = model_value(module, "doc")
    assert render(value) == "{Statement: [{Effect: Allow, Resource: arn:aws:s3:::b}]}"


def test_parameters_bind_from_the_call_site_and_carry_the_suffix(tmp_path: Path) -> None:
    files = {
        "lib/__init__.py": "",
        "lib/stack.py": """
            class Args:
                def __init__(self, environment_suffix=None, tags=None):
                    self.environment_suffix = environment_suffix or "dev"
                    self.tags = tags or {}

            class Stack:
                def __init__(self, name, args):
                    self.suffix = args.environment_suffix
                    self.bucket = self._name("logs")

                def _name(self, base):
                    return f"{base}-{self.suffix}"
        """,
        "tap.py": """
            import os
            from lib.stack import Stack, Args
            s = Stack("x", Args(environment_suffix=os.getenv("ENVIRONMENT_SUFFIX")))
            hard = Stack("y", Args(environment_suffix="pr42"))
        """,
    }
    _, module = evaluate(tmp_path, files)
    bucket = module.namespace["s"].attrs["bucket"]
    assert isinstance(bucket, Concat) and bucket.origin & Origin.SUFFIX
    hard = module.namespace["hard"].attrs["bucket"]
    # a constant passed as the suffix is the same on every deployment: not a per-deployment value
    assert isinstance(hard, Literal) and hard.value == "logs-pr42" and not hard.origin & Origin.SUFFIX


def test_unknown_condition_runs_both_branches_and_merges(tmp_path: Path) -> None:
    _, module = run(
        tmp_path,
        'import os\nv = os.getenv("ENVIRONMENT_SUFFIX")\nif not v:\n    v = "dev"\n'
        'w = "a"\nif os.getenv("X"):\n    w = "a"\n',
    )
    merged = module.namespace["v"]
    assert isinstance(merged, Unknown) and merged.origin & Origin.SUFFIX
    assert module.namespace["w"] == Literal("a")


def test_known_condition_takes_one_branch(tmp_path: Path) -> None:
    _, module = run(tmp_path, 'x = 1\nif x > 0:\n    y = "pos"\nelse:\n    y = "neg"\n')
    assert module.namespace["y"].value == "pos"


def test_loops_over_known_lists(tmp_path: Path) -> None:
    _, module = run(
        tmp_path,
        'names = []\nfor i, kind in enumerate(["a", "b"]):\n'
        '    names.append(f"{kind}-{i}")\nd = {k: k.upper() for k in ["x"]}\n',
    )
    assert [item.value for item in module.namespace["names"].value] == ["a-0", "b-1"]
    assert module.namespace["d"].value["x"].value == "X"


def test_loop_over_unknown_runs_once_with_unknown_variable(tmp_path: Path) -> None:
    _, module = run(
        tmp_path, 'import os\nout = []\nfor item in os.environ.get("LIST"):\n    out.append(f"q-{item}")\n'
    )
    (item,) = module.namespace["out"].value
    assert isinstance(item, Concat)


def test_function_inlining_and_return(tmp_path: Path) -> None:
    _, module = run(
        tmp_path,
        'def name(base, suffix="dev"):\n    if not base:\n        return "none"\n'
        '    return f"{base}-{suffix}"\nx = name("a")\ny = name("", "z")\n',
    )
    assert module.namespace["x"].value == "a-dev"
    assert module.namespace["y"].value == "none"


def test_return_under_an_unknown_condition_is_one_possible_result(tmp_path: Path) -> None:
    # `if os.path.isdir(p): return a` then `return b`: either may be the result. Only `b` used to
    # come back, so a fallback written last (inline code, a default name) was taken as certain.
    _, module = run(
        tmp_path,
        "import os\n"
        "def pick(p):\n    if os.path.isdir(p):\n        return 'asset'\n    return 'inline'\n"
        "def guard(p):\n    if not os.environ.get(p):\n        return None\n    return 'set'\n"
        "def known(p):\n    if p:\n        return 'yes'\n    return 'no'\n"
        "x = pick('lambda')\ny = guard('X')\nz = known('')\n",
    )
    assert isinstance(module.namespace["x"], Unknown)
    assert module.namespace["y"].value == "set"  # an early `return None` keeps the other value
    assert module.namespace["z"].value == "no"  # a known condition still picks its path


def test_recursion_is_cut_at_the_call_depth(tmp_path: Path) -> None:
    _, module = run(tmp_path, "def f(n):\n    return f(n)\nx = f(1)\n")
    assert isinstance(module.namespace["x"], Unknown)


def test_step_budget(tmp_path: Path) -> None:
    evaluator, _module = run(tmp_path, "x = 0\n" + "x = x + 1\n" * 50, limits=Limits(eval_steps=40))
    assert evaluator.problems and evaluator.problems[0].kind == "limit"


def test_too_deep_source_is_a_limit_problem(tmp_path: Path) -> None:
    evaluator, _ = evaluate(
        tmp_path, {"tap.py": "y = " + " + ".join(["'a'"] * 400) + "\n", "lib.py": ""}, entry="lib.py"
    )
    assert evaluator.project.load("tap.py") is None
    (problem,) = evaluator.project.problems
    assert problem.kind == "limit" and problem.location.path == "tap.py"


def test_property_and_class_attribute(tmp_path: Path) -> None:
    _, module = run(
        tmp_path,
        'class C:\n    prefix = "p"\n    def __init__(self, s):\n        self.s = s\n'
        '    @property\n    def name(self):\n        return self.prefix + "-" + self.s\n'
        'n = C("x").name\n',
    )
    assert module.namespace["n"].value == "p-x"


def test_lambda_and_comprehension(tmp_path: Path) -> None:
    _, module = run(
        tmp_path, 'f = lambda a, b: f"{a}/{b}"\nx = f("a", "b")\nys = [f(i, "z") for i in ["1", "2"]]\n'
    )
    assert module.namespace["x"].value == "a/b"
    assert [y.value for y in module.namespace["ys"].value] == ["1/z", "2/z"]


def test_unknown_names_are_unknown(tmp_path: Path) -> None:
    _, module = run(tmp_path, "x = undefined_thing.attr\ny = some_call()\n")
    assert isinstance(module.namespace["x"], Unknown)
    assert isinstance(module.namespace["y"], Unknown)


def test_attribute_problem_for_missing_args_field(tmp_path: Path) -> None:
    files = {
        "lib/__init__.py": "",
        "lib/stack.py": """
            class Args:
                def __init__(self, environment_suffix):
                    self.environment_suffix = environment_suffix

            class Stack:
                def __init__(self, args):
                    self.vpc = args.vpc_id
                    self.s = args.environment_suffix
        """,
        "tap.py": "from lib.stack import Stack, Args\ns = Stack(Args('x'))\n",
    }
    evaluator, _ = evaluate(tmp_path, files)
    (problem,) = evaluator.attribute_problems.values()
    assert (problem.owner_class, problem.attribute, problem.location.line) == ("Args", "vpc_id", 7)
    assert problem.available == ("environment_suffix",)


def test_slices_and_comprehensions_over_unknown_items(tmp_path: Path) -> None:
    _, module = run(
        tmp_path,
        'xs = ["a", "b", "c"][:2]\ns = "abcdef"[1:3]\nimport os\n'
        'made = []\nys = [made.append(z) for z in os.environ.get("Z")]\n',
    )
    assert [x.value for x in module.namespace["xs"].value] == ["a", "b"]
    assert module.namespace["s"].value == "bc"
    assert isinstance(module.namespace["ys"], Unknown)
    assert len(module.namespace["made"].value) == 1  # the element ran once, with z unknown


def test_guarded_attribute_reads_are_not_problems(tmp_path: Path) -> None:
    files = {
        "lib/__init__.py": "",
        "lib/stack.py": """
            class Args:
                def __init__(self, environment_suffix):
                    self.environment_suffix = environment_suffix

            class Stack:
                def __init__(self, args):
                    a = getattr(args, "vpc_id", None)
                    b = args.region if hasattr(args, "region") else "us-east-1"
                    if hasattr(args, "tags"):
                        c = args.tags
                    try:
                        d = args.zone
                    except AttributeError:
                        d = None
                    e = hasattr(args, "x") and args.x
                    self.bad = args.missing
        """,
        "tap.py": "from lib.stack import Stack, Args\ns = Stack(Args('x'))\n",
    }
    evaluator, _ = evaluate(tmp_path, files)
    assert [p.attribute for p in evaluator.attribute_problems.values()] == ["missing"]


def test_values_held_under_an_environment_name_are_environment_names(tmp_path: Path) -> None:
    _, module = run(
        tmp_path,
        'environment = "prod"\nname = f"app-{environment}"\ndef f(stage):\n    return stage\n'
        'other = f("dev")\n',
    )
    assert module.namespace["name"].origin & Origin.ENV_NAME
    assert module.namespace["other"].origin & Origin.ENV_NAME


def test_paths_are_worktree_relative(tmp_path: Path) -> None:
    files = {
        "lib/__init__.py": "",
        "lib/stack.py": """
            import os
            from pathlib import Path
            a = os.path.join(os.path.dirname(__file__), "lambda")
            b = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
            c = str(Path(__file__).parent / "handlers")
            d = Path(__file__).resolve().parent.parent / "x"
        """,
        "tap.py": "from lib.stack import a, b, c, d\n",
    }
    _, module = evaluate(tmp_path, files)
    assert [module.namespace[k].value for k in "abcd"] == ["lib/lambda", "src", "lib/handlers", "x"]


def test_methods_of_function_objects_are_unknown_not_a_crash(tmp_path: Path) -> None:
    _, module = run(
        tmp_path,
        "import functools\n@functools.lru_cache\ndef f():\n    return 1\nx = f.cache_clear()\n"
        "def g():\n    pass\ny = g.__get__(None)\n",
    )
    assert isinstance(module.namespace["x"], Unknown) and isinstance(module.namespace["y"], Unknown)


def test_or_with_literal_text_keeps_the_fallback_of_an_unset_input(tmp_path: Path) -> None:
    # Corpus (Pulumi): `password=config.get_secret("db_password") or "Default123!"` deploys the literal
    # whenever the key is unset; IAC015 reads it from Unknown.fallback.
    _, module = run(
        tmp_path,
        'import hashlib\nimport os\npw = os.getenv("DB_PASSWORD") or "Default123!"\nkept = pw\n'
        'computed = hashlib.sha1(b"a").hexdigest() or "x"\nreplaced = pw\n'
        'if os.getenv("GENERATE"):\n    replaced = hashlib.sha1(b"b").hexdigest()\n',
    )
    pw = module.namespace["pw"]
    assert isinstance(pw, Unknown) and pw.origin & Origin.ENV_VAR
    assert pw.fallback is not None and pw.fallback.value == "Default123!"
    assert module.namespace["kept"] is pw  # flows unchanged
    computed = module.namespace["computed"]  # not an input that may be unset: no fallback
    assert isinstance(computed, Unknown) and computed.fallback is None
    replaced = module.namespace["replaced"]  # a later merge may have replaced the text: dropped
    assert isinstance(replaced, Unknown) and replaced.fallback is None
