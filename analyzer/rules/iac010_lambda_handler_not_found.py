"""IAC010 lambda-handler-not-found: the handler names code the function does not deploy."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from analyzer import awsdata
from analyzer.findings import Finding, Related, Severity
from analyzer.model import Resource, literal_of
from analyzer.rules.base import Example, Rule, RuleContext

_FUNCTION_TYPES = ("AWS::Lambda::Function", "AWS::Serverless::Function")

# Runtime identifier prefixes per language of the deployed code (Lambda runtimes page:
# https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html). "provided*" runtimes run a
# bootstrap in any language and are never compared.
RUNTIME_PREFIXES: dict[str, tuple[str, ...]] = {
    "python": ("python",),
    "node": ("nodejs",),
    "javascript": ("nodejs",),
    "typescript": ("nodejs",),
    "ruby": ("ruby",),
    "java": ("java",),
    "dotnet": ("dotnet",),
    "csharp": ("dotnet",),
}
_CUSTOM_RUNTIME = "provided"


class LambdaHandlerNotFound(Rule):
    """
    ## What it does
    Reports a Lambda function whose `Handler` (`handler=`) names a module or function that its code
    does not define, in the inline code (`ZipFile`, deployed as `index`) or in the code directory
    the function deploys; and a `Runtime` that does not match the language of that code (a
    `python3.12` runtime for a directory of `.js` files), or inline `ZipFile` code with a runtime
    other than Python or Node.js (cfn-lint's `zipfile_runtime_enum.json`).

    What the code defines comes from the code analysis of the worktree; when it cannot be known
    (code in S3, an image, a directory outside the worktree, a computed handler), nothing is
    reported.

    ## Why is this bad
    The function deploys, and every invocation fails with `Runtime.ImportModuleError: Unable to
    import module 'conflict_detector': No module named 'conflict_detector'` or
    `Runtime.HandlerNotFound`; integration tests and the features built on the function fail.

    ## Example
    ```yaml
    ConflictDetector:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: python3.12
        Handler: conflict_detector.handler
        Code:
          ZipFile: |
            def handler(event, context):
                return {}
    ```

    ## Use instead
    ```yaml
        Handler: index.handler
    ```
    """

    id = "IAC010"
    name = "lambda-handler-not-found"
    severity = Severity.ERROR
    summary = "a Lambda handler names a module or function its code does not define"
    tags = ("lambda", "runtime-failure")

    VALID = [
        Example.cfn_yaml(
            """
            Resources:
              Detector:
                Type: AWS::Lambda::Function
                Properties:
                  Runtime: python3.12
                  Handler: index.handler
                  Role: arn:aws:iam::123456789012:role/detector
                  Code:
                    ZipFile: |
                      def handler(event, context):
                          return {}
            """,
            title="inline code is the index module",
        ),
        Example.cdk(
            """
            from aws_cdk import Stack, aws_lambda as lambda_


            class TapStack(Stack):
                def __init__(self, scope, construct_id, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    lambda_.Function(
                        self,
                        "Detector",
                        runtime=lambda_.Runtime.PYTHON_3_12,
                        handler="conflict_detector.handler",
                        code=lambda_.Code.from_asset("lib/lambda"),
                    )
            """,
            title="the handler module is in the asset directory",
            **{"lib/lambda/conflict_detector.py": "def handler(event, context):\n    return {}\n"},
        ),
    ]
    INVALID = [
        Example.cfn_yaml(
            """
            Resources:
              Detector:
                Type: AWS::Lambda::Function
                Properties:
                  Runtime: python3.12
                  Handler: conflict_detector.handler  # expect: IAC010
                  Role: arn:aws:iam::123456789012:role/detector
                  Code:
                    ZipFile: |
                      def handler(event, context):
                          return {}
            """,
            title="seed 004: conflict_detector.handler with inline code",
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.lambda_.Function(
                        f"processor-{args.environment_suffix}",
                        runtime="python3.12",
                        handler="processor.main",  # expect: IAC010
                        role="arn:aws:iam::123456789012:role/processor",
                        code=pulumi.AssetArchive({".": pulumi.FileArchive("./lib/lambda")}),
                    )
            """,
            title="the handler function is not in the deployed directory",
            **{"lib/lambda/processor.py": "def handler(event, context):\n    return {}\n"},
        ),
        Example.cdk(
            """
            from aws_cdk import Stack, aws_lambda as lambda_


            class TapStack(Stack):
                def __init__(self, scope, construct_id, props=None, **kwargs):
                    super().__init__(scope, construct_id, **kwargs)
                    lambda_.Function(
                        self,
                        "Detector",
                        runtime=lambda_.Runtime.PYTHON_3_12,
                        handler="conflict_detector.handler",  # expect: IAC010
                        code=lambda_.Code.from_asset("lib/lambda"),
                    )
            """,
            title="a module the asset directory does not contain",
            **{"lib/lambda/index.py": "def handler(event, context):\n    return {}\n"},
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        for resource in ctx.project.of_type(*_FUNCTION_TYPES):
            yield from self._handler(resource)
            yield from self._runtime(resource)

    def _handler(self, resource: Resource) -> Iterator[Finding]:
        code = resource.code
        if code is None or code.handler_found is not False:
            return
        handler = literal_of(resource.prop("Handler"))
        shown = f"'{handler}'" if isinstance(handler, str) else "its handler"
        defined = ", ".join(code.defined_functions[:8]) if code.defined_functions else ""
        what = f" (it defines: {defined})" if defined else ""
        related = (Related(code.source, "the code the function deploys"),) if code.source else ()
        hint = _handler_hint(resource, handler, code.defined_functions)
        yield self.finding(
            f"Function '{resource.id}': handler {shown} does not exist in the code it deploys{what}",
            resource.location_of("Handler"),
            hint,
            resource=resource.id,
            key=f"handler:{handler}",
            related=related,
        )

    def _runtime(self, resource: Resource) -> Iterator[Finding]:
        runtime = literal_of(resource.prop("Runtime"))
        if not isinstance(runtime, str) or runtime.startswith(_CUSTOM_RUNTIME):
            return
        code = resource.code
        language = code.language.lower() if code is not None and code.language else None
        prefixes = RUNTIME_PREFIXES.get(language) if language else None
        if prefixes is not None:
            if not runtime.startswith(prefixes):
                yield self.finding(
                    f"Function '{resource.id}': runtime {runtime} cannot run its {language} code",
                    resource.location_of("Runtime"),
                    f"use a {prefixes[0]} runtime, or deploy {runtime.rstrip('0123456789.x')} code",
                    resource=resource.id,
                    key=f"runtime:{runtime}:{language}",
                )
            return
        yield from self._zipfile_runtime(resource, runtime)

    def _zipfile_runtime(self, resource: Resource, runtime: str) -> Iterator[Finding]:
        """Inline ZipFile code with a runtime other than Python or Node.js, by cfn-lint's fragment."""
        schema = awsdata.extension_schema("AWS::Lambda::Function", "zipfile_runtime_enum.json")
        if schema is None or "Code" not in resource.properties:
            return
        instance = {"Code": awsdata.to_instance(resource.properties["Code"]), "Runtime": runtime}
        if awsdata.proven_errors(schema, instance):
            yield self.finding(
                f"Function '{resource.id}': inline ZipFile code needs a Python or Node.js runtime, "
                f"not {runtime}",
                resource.location_of("Runtime"),
                "use a python3.x or nodejs runtime, or deploy the code from S3 or a directory",
                resource=resource.id,
                key=f"zipfile-runtime:{runtime}",
            )


def _handler_hint(resource: Resource, handler: object, defined: tuple[str, ...]) -> str:
    inline = resource.prop("Code", "ZipFile") is not None or (
        resource.code is not None
        and resource.code.source is not None
        and resource.code.source.path == resource.location.path
    )
    function = defined[0] if len(defined) == 1 else "<function>"
    if inline:
        module = handler.rsplit(".", 1)[0] if isinstance(handler, str) and "." in handler else None
        if module == "index":
            return "define the handler function in the inline code"
        return f"inline code is deployed as the 'index' module: use 'index.{function}'"
    return "point the handler at '<module>.<function>' of a file in the deployed code directory"
