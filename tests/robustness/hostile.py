"""Builders of hostile worktrees: what an attacker's pull request could contain.

Shared by tests/robustness and benchmarks/bench_hostile.py. Every builder writes plain files; none
of them is ever executed by iacscan (that is what the tests check)."""

from __future__ import annotations

import json
import os
from pathlib import Path

MARKER = "IACSCAN_EXECUTED_MARKER"


def _payload(marker: Path) -> str:
    """Python that leaves evidence if anything ever runs it, then tries to phone home and exit."""
    return (
        "import pathlib, socket, sys\n"
        f"pathlib.Path({str(marker)!r}).write_text('executed')\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', 9), timeout=0.1)\n"
        "except OSError:\n"
        "    pass\n"
        "sys.exit(97)\n"
    )


def executing_pulumi_repo(root: Path, marker: Path) -> Path:
    """A Pulumi worktree whose entry point and component run the payload on import."""
    (root / "lib").mkdir(parents=True, exist_ok=True)
    (root / "Pulumi.yaml").write_text("name: tap\nruntime: python\nmain: tap.py\n")
    (root / "tap.py").write_text(
        _payload(marker) + "import pulumi\nfrom lib.tap_stack import TapStack, TapStackArgs\n"
        "TapStack('TapStack', TapStackArgs(environment_suffix='dev'))\n"
    )
    (root / "lib" / "__init__.py").write_text(_payload(marker))
    (root / "lib" / "tap_stack.py").write_text(
        _payload(marker) + "import pulumi\nimport pulumi_aws as aws\n\n"
        "class TapStackArgs:\n    def __init__(self, environment_suffix):\n"
        "        self.environment_suffix = environment_suffix\n\n"
        "class TapStack(pulumi.ComponentResource):\n"
        "    def __init__(self, name, args, opts=None):\n"
        "        super().__init__('tap:stack:TapStack', name, None, opts)\n"
        "        aws.s3.Bucket('data', bucket=f'data-{args.environment_suffix}')\n"
    )
    (root / "lib" / "lambda").mkdir(exist_ok=True)
    (root / "lib" / "lambda" / "index.py").write_text(
        _payload(marker) + "def handler(event, context):\n    pass\n"
    )
    return root


def executing_cfn_repo(root: Path, marker: Path) -> Path:
    """A template whose inline Lambda code and YAML tags would run the payload if evaluated."""
    (root / "lib").mkdir(parents=True, exist_ok=True)
    code = _payload(marker) + "def handler(event, context):\n    return 1\n"
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Fn": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Runtime": "python3.12",
                    "Handler": "index.handler",
                    "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                    "Code": {"ZipFile": code},
                },
            },
            "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
        },
    }
    (root / "lib" / "TapStack.json").write_text(json.dumps(template, indent=2))
    (root / "extra.yml").write_text(
        "Resources:\n  X:\n    Type: AWS::S3::Bucket\n"
        f"    Properties: !!python/object/apply:os.system ['touch {marker}']\n"
    )
    return root


def broken_repo(root: Path, resources: int = 10_000) -> Path:
    """Everything at once: binary entry point, invalid UTF-8, deep nesting, a huge file, a symlink loop,
    a billion-laughs YAML document, a template with many resources, odd file names."""
    (root / "lib").mkdir(parents=True, exist_ok=True)
    (root / "Pulumi.yaml").write_text("name: tap\nruntime: python\nmain: tap.py\n")
    (root / "tap.py").write_text(
        "import pulumi\nfrom lib import binary_stack, chain, deep, latin1\nfrom lib.tap_stack import TapStack\n"
        "TapStack('TapStack')\n"
    )
    (root / "lib" / "__init__.py").write_text("")
    (root / "lib" / "tap_stack.py").write_text(
        "import pulumi\n\nclass TapStack(pulumi.ComponentResource):\n"
        "    def __init__(self, name, opts=None):\n        super().__init__('tap:TapStack', name, None, opts)\n"
    )
    (root / "lib" / "binary_stack.py").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4)
    (root / "lib" / "latin1.py").write_bytes("name = 'caf\xe9'\n".encode("latin-1"))
    (root / "lib" / "deep.py").write_text("x = " + "(" * 5000 + "1" + ")" * 5000 + "\n")
    (root / "lib" / "chain.py").write_text("x = " + "1 + " * 2500 + "1\n")
    (root / "lib" / "huge.py").write_text("# padding\n" * 700_000)  # about 7 MB: over the 5 MB default limit
    (root / "lib" / "loop").mkdir(exist_ok=True)
    try:
        os.symlink("..", root / "lib" / "loop" / "again")
        os.symlink("/etc", root / "lib" / "outside")
    except OSError:
        pass  # no symlinks on this file system; the rest still applies
    laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index, name in enumerate("bcdefghi"):
        previous = "abcdefghi"[index]
        laughs.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    laughs.append("Resources:\n  Bomb:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: *i")
    (root / "lib" / "laughs.yaml").write_text("\n".join(laughs) + "\n")
    many = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {"EnvironmentSuffix": {"Type": "String", "Default": "dev"}},
        "Resources": {
            f"Queue{i}": {
                "Type": "AWS::SQS::Queue",
                "Properties": {"QueueName": {"Fn::Sub": f"queue-{i}-${{EnvironmentSuffix}}"}},
                **({"DependsOn": f"Queue{i - 1}"} if i else {}),
            }
            for i in range(resources)
        },
    }
    (root / "lib" / "TapStack.json").write_text(json.dumps(many))
    (root / "lib" / "spaced name ünïcödé.yml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources: [not, a, mapping]\n"
    )
    (root / "lib" / ("n" * 200 + ".py")).write_text("x = 1\n")
    return root
