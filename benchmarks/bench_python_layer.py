"""Benchmark: modelling time of a synthetic Pulumi Python worktree, and how much of it is parsing.

Generates a worktree of about 3,500 lines (an entry point, an args class, several components with
resources, helper methods, loops, IAM policies written with json.dumps and Output.all), then
reports, over several runs: libcst parsing alone (through the shared parse gate), the whole Pulumi
plugin ``parse`` (discovery excluded), and both per 1,000 lines. Prints figures; asserts nothing.

    python benchmarks/bench_python_layer.py [--lines 3500] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from analyzer.discover import list_files
from analyzer.plugin import Limits
from analyzer.python.source import parse_python
from plugins.pulumi import PulumiPlugin

TAP = """\
import os
import pulumi
from lib.tap_stack import TapStack, TapStackArgs

config = pulumi.Config()
environment_suffix = os.getenv("ENVIRONMENT_SUFFIX") or config.get("environmentSuffix") or "dev"
TapStack("TapStack", TapStackArgs(environment_suffix=environment_suffix, team="data"))
"""

ARGS = """\
from dataclasses import dataclass, field


@dataclass
class TapStackArgs:
    environment_suffix: str
    team: str = "platform"
    tags: dict = field(default_factory=dict)
"""

COMPONENT_HEAD = '''\
"""Component {n}: queues, a table, functions and roles."""

import json

import pulumi
import pulumi_aws as aws
from pulumi import Output, ResourceOptions


class Component{n}(pulumi.ComponentResource):
    def __init__(self, name, args, opts=None):
        super().__init__("tap:component:Component{n}", name, None, opts)
        self.suffix = args.environment_suffix
        self.tags = {{**args.tags, "Team": args.team, "Component": "{n}"}}
'''

BLOCK = """\
        queue_{i} = aws.sqs.Queue(
            f"queue-{n}-{i}-{{self.suffix}}",
            name=self._name("queue-{n}-{i}"),
            visibility_timeout_seconds=60,
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        table_{i} = aws.dynamodb.Table(
            f"table-{n}-{i}-{{self.suffix}}",
            name=self._name("table-{n}-{i}"),
            billing_mode="PAY_PER_REQUEST",
            hash_key="pk",
            attributes=[{{"name": "pk", "type": "S"}}],
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        role_{i} = aws.iam.Role(
            f"role-{n}-{i}-{{self.suffix}}",
            assume_role_policy=json.dumps({{
                "Version": "2012-10-17",
                "Statement": [{{"Effect": "Allow", "Principal": {{"Service": "lambda.amazonaws.com"}},
                               "Action": "sts:AssumeRole"}}],
            }}),
            opts=ResourceOptions(parent=self),
        )
        aws.iam.RolePolicy(
            f"policy-{n}-{i}-{{self.suffix}}",
            role=role_{i}.id,
            policy=Output.all(queue_{i}.arn, table_{i}.arn).apply(lambda arns: json.dumps({{
                "Version": "2012-10-17",
                "Statement": [
                    {{"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": arns[0]}},
                    {{"Effect": "Allow", "Action": ["dynamodb:PutItem"], "Resource": arns[1]}},
                ],
            }})),
            opts=ResourceOptions(parent=self, depends_on=[role_{i}]),
        )
        for kind in ["ingest", "report"]:
            aws.cloudwatch.LogGroup(
                f"logs-{n}-{i}-{{kind}}-{{self.suffix}}",
                name=f"/aws/lambda/{{kind}}-{n}-{i}-{{self.suffix}}",
                retention_in_days=14,
                opts=ResourceOptions(parent=self),
            )
"""

COMPONENT_TAIL = """\
        self.register_outputs({{}})

    def _name(self, base):
        return f"{{base}}-{{self.suffix}}"
"""

STACK_HEAD = """\
import pulumi
from pulumi import ResourceOptions

from lib.args import TapStackArgs
{imports}


class TapStack(pulumi.ComponentResource):
    def __init__(self, name, args: TapStackArgs, opts=None):
        super().__init__("tap:stack:TapStack", name, None, opts)
{children}
"""


def generate(root: Path, lines: int) -> int:
    (root / "lib").mkdir(parents=True)
    (root / "Pulumi.yaml").write_text("name: tap\nruntime: python\nmain: tap.py\n")
    (root / "Pulumi.dev.yaml").write_text("config:\n  tap:environmentSuffix: dev\n")
    (root / "tap.py").write_text(TAP)
    (root / "lib" / "__init__.py").write_text("")
    (root / "lib" / "args.py").write_text(ARGS)
    block_lines = BLOCK.count("\n")
    blocks_per_component = 6
    components = max(1, round(lines / (blocks_per_component * block_lines + 20)))
    for n in range(components):
        body = "".join(BLOCK.format(n=n, i=i) for i in range(blocks_per_component))
        text = COMPONENT_HEAD.format(n=n) + body + COMPONENT_TAIL.format(n=n)
        (root / "lib" / f"component_{n}.py").write_text(text)
    imports = "\n".join(f"from lib.component_{n} import Component{n}" for n in range(components))
    children = "\n".join(
        f'        Component{n}(f"c{n}", args, ResourceOptions(parent=self))' for n in range(components)
    )
    (root / "lib" / "tap_stack.py").write_text(STACK_HEAD.format(imports=imports, children=children))
    return sum(len(p.read_text().splitlines()) for p in root.rglob("*.py"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=3500)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        total_lines = generate(root, options.lines)
        worktree = list_files(root, Limits()).worktree
        sources = [(path, (root / path).read_bytes()) for path in worktree.files if path.endswith(".py")]
        plugin = PulumiPlugin()
        plugin.parse(worktree)  # warm imports and caches of the tables
        parse_times, model_times, parse_cpu, model_cpu = [], [], [], []
        resources = 0
        for _ in range(options.runs):
            start, cpu = time.perf_counter(), time.process_time()
            for path, data in sources:
                parse_python(data, path)
            parse_times.append(time.perf_counter() - start)
            parse_cpu.append(time.process_time() - cpu)
            start, cpu = time.perf_counter(), time.process_time()
            project = plugin.parse(worktree)
            model_times.append(time.perf_counter() - start)
            model_cpu.append(time.process_time() - cpu)
            resources = len(project.resources)
    parse_s, model_s = statistics.median(parse_times), statistics.median(model_times)
    per_k = 1000 / total_lines
    print(f"worktree: {total_lines:,} Python lines in {len(sources)} files, {resources:,} resources modelled")
    print(
        f"libcst parse (gate + line table): {parse_s * 1000:7.1f} ms   {parse_s * per_k * 1000:6.1f} ms / 1,000 lines"
    )
    print(
        f"whole Pulumi model:               {model_s * 1000:7.1f} ms   {model_s * per_k * 1000:6.1f} ms / 1,000 lines"
    )
    print(
        f"parsing is {parse_s / model_s:.0%} of modelling; evaluation and model building "
        f"{(model_s - parse_s) * 1000:.1f} ms (median of {options.runs} runs, wall clock)"
    )
    cpu_parse, cpu_model = statistics.median(parse_cpu), statistics.median(model_cpu)
    print(
        f"CPU time of this process: parse {cpu_parse * 1000:.1f} ms, whole model {cpu_model * 1000:.1f} ms "
        f"({cpu_model * per_k * 1000:.1f} ms / 1,000 lines); compare with wall clock when the machine is busy"
    )


if __name__ == "__main__":
    main()
