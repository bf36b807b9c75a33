"""IAC008 invalid-property: a property the CloudFormation provider schema rejects."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from analyzer import awsdata
from analyzer.findings import Finding, Severity
from analyzer.model import Location, Origin, Project, Resource, get_path
from analyzer.rules.base import Example, Rule, RuleContext
from analyzer.rules.iac007_unavailable_engine_version import SCHEMA_VERSION_PROPERTIES
from analyzer.rules.iac009_name_constraint import name_property

# Findings per resource: a template written against another resource type would otherwise flood.
_MAX_PER_RESOURCE = 10
_SHOWN_ENUM_VALUES = 8
_SAM_PREFIX = "AWS::Serverless::"
# Schema keywords CloudFormation does not reliably enforce at create time: many handlers accept a
# list with a repeated item (cfn-lint reports them as E3037 lint, not as deploy failures).
_NOT_ENFORCED = frozenset({"uniqueItems"})


class InvalidProperty(Rule):
    """
    ## What it does
    Validates each CloudFormation resource's properties against the resource provider schema that
    cfn-lint ships (`cfnlint/data/schemas/resources/*.json`, selected per region through
    `schemas/providers/<region>.json`; option `region`, default `us-east-1`): unknown properties,
    wrong types, values outside an enum, strings that do not match the schema's pattern, and
    missing required properties; and an `AWS::` resource type that no region offers (a typo such as
    `AWS::S3::Buckets`). CloudFormation's own conversions are accepted (`"30"` for an integer,
    `true` for a string).

    Only what the data proves is reported: a value that comes from a parameter without default
    (or from any parameter on a resource with a `Condition`, which may exclude that very default:
    conditions are not evaluated), an `Fn::If` with different branches, a reference to another resource or an `Fn::Sub` with
    unknown parts is never judged, and neither is any condition of the schema that depends on it.
    Engine versions are left to IAC007 and physical-name patterns and lengths to IAC009.

    Only resources read from a template (CloudFormation, `source_type` equal to the CloudFormation
    type) are checked against the provider schemas: the Pulumi and CDK plugins translate keyword
    arguments into CloudFormation property names with tables that are not proven complete, and a
    gap in a table must not look like an invalid property.

    For CDK, a keyword combination that a construct's constructor refuses is reported with the
    construct's own message (a `ValidationError` at synth): `public_read_access=True` on a bucket
    without `block_public_access`, read/write capacity on a `PAY_PER_REQUEST` table, a function
    with both `log_retention` and `log_group`, a VPC with both `cidr` and `ip_addresses`, an Aurora
    `DatabaseCluster` without `writer` (or mixing it with `instances`), `deploy_options` on a
    `RestApi` with `deploy=False` (`plugins/cdk/validations.py`, each with its aws-cdk-lib source);
    and an L1 property struct given as a dict whose required field is written with its Python
    name (`{"ip_protocol": "tcp"}`): jsii passes a dict's keys unchanged, so CDK finds
    `ipProtocol` missing.

    For Pulumi and CDK, a keyword argument the provider class does not accept is reported
    (`aws.s3.Bucket(versioning_enabled=True)`, `s3.Bucket(self, "B", versioning_enabled=True)`,
    `aws.rds.ClusterParameterGroupParameterArgs(apply_mode=...)`): the keywords of every pulumi-aws
    resource and `*Args` class come from the SDK's source (the union of the newest 5.x, 6.x and
    7.x releases, so an older pinned SDK is not blamed), those of aws-cdk-lib classes from its jsii
    assembly (props flattened with the structs they extend, e.g. `removal_policy`). Only keywords
    written at the call are judged, never a call with `**kwargs` of unknown keys, a class missing
    from the tables, or `opts`/`resource_name`/`scope`/`id`.

    ## Why is this bad
    CloudFormation rejects the resource before creating it (`Properties validation failed for
    resource Bucket with message: #: extraneous key [BucketNameX] is not permitted`,
    `#/MemorySize: expected type: Number, found: String`) and rolls the stack back. An unknown
    keyword in Pulumi or CDK code stops `pulumi up` or `cdk synth` with `TypeError: ... got an
    unexpected keyword argument` before anything is deployed.

    ## Example
    ```yaml
    Worker:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: python3.12
        Handler: index.handler
        MemorySize: lots
        Code: {ZipFile: "def handler(e, c): pass"}
    ```

    ## Use instead
    ```yaml
    Worker:
      Type: AWS::Lambda::Function
      Properties:
        Runtime: python3.12
        Handler: index.handler
        MemorySize: 256
        Role: !GetAtt WorkerRole.Arn
        Code: {ZipFile: "def handler(e, c): pass"}
    ```
    """

    id = "IAC008"
    name = "invalid-property"
    severity = Severity.ERROR
    summary = "a resource property or value that the CloudFormation resource schema rejects"
    tags = ("cloudformation", "pulumi", "cdk", "deploy-failure", "aws-data")

    VALID = [
        Example.cfn_yaml(
            """
            Parameters:
              Memory:
                Type: Number
            Resources:
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  VisibilityTimeout: "60"
                  Tags:
                    - Key: team
                      Value: data
              Worker:
                Type: AWS::Lambda::Function
                Properties:
                  Runtime: python3.12
                  Handler: index.handler
                  MemorySize: !Ref Memory
                  Role: !GetAtt WorkerRole.Arn
                  Code:
                    ZipFile: "def handler(event, context):\\n    return 1\\n"
            """,
            title="coerced numbers and values known only at deploy time",
        ),
        Example.cfn_yaml(
            """
            Parameters:
              AlbArn:
                Type: String
                Default: ""
            Conditions:
              HasAlb: !Not [!Equals [!Ref AlbArn, ""]]
            Resources:
              Association:
                Type: AWS::WAFv2::WebACLAssociation
                Condition: HasAlb
                Properties:
                  ResourceArn: !Ref AlbArn
                  WebACLArn: !GetAtt Acl.Arn
            """,
            title="a parameter default the resource's condition excludes",
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.sqs.Queue(f"queue-{args.environment_suffix}", visibility_timeout_seconds=60)
            """,
            title="Pulumi resources are not checked against provider schemas",
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None, **extra):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.s3.Bucket(
                        f"bucket-{args.environment_suffix}",
                        force_destroy=True,
                        opts=pulumi.ResourceOptions(parent=self),
                    )
                    aws.rds.ClusterParameterGroup(
                        f"params-{args.environment_suffix}",
                        family="aurora-postgresql15",
                        parameters=[
                            aws.rds.ClusterParameterGroupParameterArgs(
                                name="log_min_duration_statement", value="500", apply_method="immediate"
                            )
                        ],
                    )
                    aws.sqs.Queue(f"queue-{args.environment_suffix}", **extra)
            """,
            title="keywords the pulumi-aws classes accept; **kwargs of unknown keys",
        ),
        Example.cdk(
            """
            from aws_cdk import RemovalPolicy, Stack, aws_s3 as s3
            from constructs import Construct


            class TapStack(Stack):
                def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
                    super().__init__(scope, construct_id, **kwargs)
                    s3.Bucket(
                        self,
                        "Data",
                        versioned=True,
                        removal_policy=RemovalPolicy.DESTROY,
                        auto_delete_objects=True,
                    )
                    s3.CfnBucket(scope=self, id="Raw", object_lock_enabled=False)
            """,
            title="CDK props, inherited props and scope/id as keywords",
        ),
        Example.cdk(
            """
            from aws_cdk import RemovalPolicy, Stack, aws_dynamodb as dynamodb, aws_s3 as s3
            from constructs import Construct


            class TapStack(Stack):
                def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
                    super().__init__(scope, construct_id, **kwargs)
                    s3.Bucket(
                        self,
                        "Site",
                        website_index_document="index.html",
                        public_read_access=True,
                        block_public_access=s3.BlockPublicAccess.BLOCK_ACLS,
                        removal_policy=RemovalPolicy.DESTROY,
                        auto_delete_objects=True,
                    )
                    dynamodb.Table(
                        self,
                        "Items",
                        partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
                        billing_mode=dynamodb.BillingMode.PROVISIONED,
                        read_capacity=5,
                        write_capacity=5,
                        removal_policy=RemovalPolicy.DESTROY,
                    )
            """,
            title="CDK keyword combinations the constructs accept",
        ),
    ]
    INVALID = [
        Example.cfn_yaml(
            """
            Resources:
              Worker:  # expect: IAC008
                Type: AWS::Lambda::Function
                Properties:
                  Runtime: python3.12
                  Handler: index.handler
                  MemorySize: lots  # expect: IAC008
                  Code:
                    ZipFile: "def handler(event, context):\\n    return 1\\n"
              Bucket:
                Type: AWS::S3::Bucket
                Properties:
                  VersioningEnabled: true  # expect: IAC008
            """,
            title="missing Role, a string for an integer, an unknown property",
        ),
        Example.cfn_json(
            """
            {
              "Resources": {
                "Table": {
                  "Type": "AWS::DynamoDB::Table",
                  "Properties": {
                    "BillingMode": "ON_DEMAND",  // expect: IAC008
                    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]
                  }
                }
              }
            }
            """,
            title="a value outside the schema's enum",
        ),
        Example.pulumi(
            """
            import pulumi
            import pulumi_aws as aws


            class TapStack(pulumi.ComponentResource):
                def __init__(self, name, args, opts=None):
                    super().__init__("tap:stack:TapStack", name, None, opts)
                    aws.s3.Bucket(
                        f"bucket-{args.environment_suffix}",
                        versioning_enabled=True,  # expect: IAC008
                    )
                    aws.rds.ClusterParameterGroup(
                        f"params-{args.environment_suffix}",
                        family="aurora-postgresql15",
                        parameters=[
                            aws.rds.ClusterParameterGroupParameterArgs(
                                name="log_min_duration_statement",
                                value="500",
                                apply_mode="immediate",  # expect: IAC008
                            )
                        ],
                    )
            """,
            title="keywords pulumi-aws classes do not have",
        ),
        Example.cdk(
            """
            from aws_cdk import Stack, aws_lambda as lambda_
            from constructs import Construct


            class TapStack(Stack):
                def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
                    super().__init__(scope, construct_id, **kwargs)
                    lambda_.Function(
                        self,
                        "Worker",
                        runtime=lambda_.Runtime.PYTHON_3_12,
                        handler="index.handler",
                        code=lambda_.Code.from_inline("def handler(event, context):\\n    return 1\\n"),
                        memory=256,  # expect: IAC008
                    )
            """,
            title="a CDK prop that does not exist (memory_size)",
        ),
        Example.cdk(
            """
            from aws_cdk import RemovalPolicy, Stack, aws_s3 as s3
            from constructs import Construct


            class TapStack(Stack):
                def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
                    super().__init__(scope, construct_id, **kwargs)
                    s3.Bucket(
                        self,
                        "Site",
                        website_index_document="index.html",
                        public_read_access=True,  # expect: IAC008
                        removal_policy=RemovalPolicy.DESTROY,
                        auto_delete_objects=True,
                    )
            """,
            title="a CDK construct refusing a keyword combination (public read access, public access blocked)",
        ),
    ]

    def check(self, ctx: RuleContext) -> Iterable[Finding]:
        yield from self._unknown_keywords(ctx.project)
        yield from self._construct_errors(ctx.project)
        region = ctx.options.get("region")
        region = region if isinstance(region, str) else awsdata.DEFAULT_REGION
        for resource in ctx.project.resources:
            if not _from_template(ctx.project, resource):
                continue
            schema = awsdata.provider_schema(resource.type, region)
            if schema is None:
                yield from self._unknown_type(resource)
                continue
            yield from self._check_resource(resource, schema)

    def _unknown_keywords(self, project: Project) -> Iterator[Finding]:
        """Keywords a Pulumi or CDK class does not accept (facts the plugins record from tables
        generated from the SDKs): Python raises TypeError before anything is deployed."""
        facts = project.facts.get("unknown_keywords")
        if not isinstance(facts, list):
            return
        command = "cdk synth" if project.platform == "cdk" else "pulumi up"
        seen: set[tuple[Location, str]] = set()
        for fact in facts:
            if not isinstance(fact, dict) or not isinstance(fact.get("location"), Location):
                continue
            keyword, cls = str(fact.get("keyword")), str(fact.get("class"))
            if (fact["location"], keyword) in seen:
                continue  # one call evaluated more than once (a loop, a helper called twice)
            seen.add((fact["location"], keyword))
            known = [str(k) for k in fact.get("known") or []]
            close = f" (did you mean '{known[0]}'?)" if known else ""
            yield self.finding(
                f"`{cls}` has no keyword argument '{keyword}'{close}; "
                f"Python raises TypeError when `{command}` runs this line",
                fact["location"],
                f"use one of the keywords `{cls}` accepts" + (f", e.g. {', '.join(known)}" if known else ""),
                resource=_fact_resource(project, fact),
                key=f"kwarg:{cls}:{keyword}",
            )

    def _construct_errors(self, project: Project) -> Iterator[Finding]:
        """Keyword combinations a CDK construct refuses in its constructor (facts the CDK plugin
        records from the constructs' own checks): the synth stops before anything is deployed."""
        facts = project.facts.get("construct_errors")
        if not isinstance(facts, list):
            return
        seen: set[tuple[Location, str]] = set()
        for fact in facts:
            if not isinstance(fact, dict) or not isinstance(fact.get("location"), Location):
                continue
            cls, message = str(fact.get("class")), str(fact.get("message"))
            if (fact["location"], message) in seen:
                continue  # one call evaluated more than once
            seen.add((fact["location"], message))
            yield self.finding(
                f'`{cls}` stops the synth: "{message}" (a ValidationError when `cdk synth` runs this line, '
                f"before anything is deployed)",
                fact["location"],
                str(fact.get("fix") or ""),
                resource=_fact_resource(project, fact),
                key=f"construct:{cls}:{fact.get('keyword')}",
            )

    def _unknown_type(self, resource: Resource) -> Iterator[Finding]:
        """An ``AWS::`` type no region offers (a typo, an invented type). SAM types exist only
        through the transform and are left alone."""
        if not resource.type.startswith("AWS::") or resource.type.startswith(_SAM_PREFIX):
            return
        if awsdata.resource_type_known(resource.type) is not False:
            return
        close = difflib.get_close_matches(resource.type, sorted(awsdata.resource_type_names()), n=1)
        hint = (
            f"did you mean {close[0]}?" if close else "use a type from the CloudFormation resource reference"
        )
        yield self.finding(
            f"{_label(resource)}: CloudFormation has no resource type {resource.type}",
            resource.location,
            hint,
            resource=resource.id,
            key=f"type:{resource.type}",
        )

    def _check_resource(self, resource: Resource, schema: Mapping[str, Any]) -> Iterator[Finding]:
        # A resource under a Condition is often created only when a parameter is set (`HasAlb:
        # !Not [!Equals [!Ref AlbArn, ""]]`): its parameter defaults may be exactly the values the
        # condition excludes, and conditions are not evaluated, so they are not judged there.
        unproven = Origin.PARAMETER if "Condition" in resource.options else Origin.NONE
        instance = awsdata.properties_instance(resource.properties, unproven)
        if isinstance(instance, awsdata.Opaque):
            return  # the properties are an intrinsic function: not even their names are known
        skipped = {prop for kind, prop in SCHEMA_VERSION_PROPERTIES if kind == resource.type}
        naming = name_property(resource)
        emitted = 0
        for error in awsdata.proven_errors(schema, instance):
            path = list(error.absolute_path)
            top = str(path[0]) if path else None
            if top is not None and (top in skipped or top == naming):
                continue  # IAC007 / IAC009 report these with better words
            if error.validator in _NOT_ENFORCED or (error.validator == "enum" and _maybe_newer(error)):
                continue
            for message, where, key in _describe(error, resource):
                if emitted >= _MAX_PER_RESOURCE:
                    return
                yield self.finding(
                    f"{_label(resource)}: {message}",
                    _location(resource, where),
                    _hint(error),
                    resource=resource.id,
                    key=key,
                )
                emitted += 1


def _fact_resource(project: Project, fact: dict[str, Any]) -> str | None:
    """The resource a keyword fact belongs to: the plugin's id, else the one resource made by the
    call (the primary one when companions share the call's location: ``Fn`` over ``Fn/ServiceRole``)."""
    if isinstance(fact.get("resource"), str):
        return fact["resource"]
    call = fact.get("call")
    if not isinstance(call, Location):
        return None
    made = [r.id for r in project.resources if r.location == call]
    primary = [rid for rid in made if all(other == rid or other.startswith(rid + "/") for other in made)]
    return primary[0] if len(primary) == 1 else None


def _maybe_newer(error: Any) -> bool:
    """A versioned value that sorts after every listed one of its family (``python3.16`` when the
    schema stops at ``python3.15``) may have been released after the data: not proven invalid."""
    value, allowed = error.instance, error.validator_value
    match = re.fullmatch(r"([A-Za-z][A-Za-z_-]*)(\d[\w.-]*)", value) if isinstance(value, str) else None
    if match is None or not isinstance(allowed, list):
        return False
    family = [
        v for v in allowed if isinstance(v, str) and re.fullmatch(re.escape(match.group(1)) + r"\d[\w.-]*", v)
    ]
    return bool(family) and _version_key(value) > max(_version_key(v) for v in family)


def _version_key(text: str) -> tuple[tuple[int, int | str], ...]:
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.findall(r"\d+|[A-Za-z]+", text)
    )


def _location(resource: Resource, path: list[Any]) -> Location:
    """Where the offending value is written: the deepest value on ``path`` that has a location,
    else the top-level property, else the resource."""
    if not path:
        return resource.location
    value = resource.properties.get(str(path[0]))
    best = value.location if value is not None else None
    for step in path[1:]:
        value = get_path(value, step)
        if value is None:
            break
        best = value.location or best
    return best or resource.location_of(str(path[0]))


def _from_template(project: Project, resource: Resource) -> bool:
    """Properties came straight from a template (no kwarg-to-property table in between)."""
    return project.platform == "cloudformation" and resource.source_type == resource.type


def _label(resource: Resource) -> str:
    return f"{resource.type} '{resource.id}'"


def _dotted(path: list[Any]) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def _describe(error: Any, resource: Resource) -> Iterator[tuple[str, list[Any], str]]:
    """(message, instance path of the offending value, key) for one schema error."""
    path = list(error.absolute_path)
    where = _dotted(path)
    validator = error.validator
    if validator == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        patterns = error.schema.get("patternProperties", {}) if isinstance(error.schema, dict) else {}
        for extra in error.instance:
            if extra in known or any(
                awsdata.compile_pattern(p) and awsdata.compile_pattern(p).search(extra)  # type: ignore[union-attr]  # non-None: checked by the first call
                for p in patterns
            ):
                continue
            inside = f" in {where}" if where else ""
            if patterns and not known:
                shown = " or ".join(str(p) for p in patterns)
                yield (
                    f"key '{extra}'{inside} does not match {shown}",
                    [*path, extra],
                    f"key:{_dotted([*path, extra])}",
                )
                continue
            close = difflib.get_close_matches(extra, list(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            yield (
                f"unknown property '{extra}'{inside}{hint}",
                [*path, extra],
                f"unknown:{_dotted([*path, extra])}",
            )
        return
    if validator == "required":
        missing = error.message.split("'")[1] if error.message.count("'") >= 2 else error.message
        if not path and missing in resource.property_locations:
            return  # present in the source, dropped while reading it (e.g. an unsupported intrinsic)
        inside = f" in {where}" if where else ""
        yield (
            f"required property '{missing}' is missing{inside}",
            path,
            f"required:{_dotted([*path, missing])}",
        )
        return
    if validator == "enum":
        allowed = [str(v) for v in error.validator_value][:_SHOWN_ENUM_VALUES]
        more = ", ..." if len(error.validator_value) > _SHOWN_ENUM_VALUES else ""
        yield (
            f"{where} is {error.instance!r}, not one of {', '.join(allowed)}{more}",
            path,
            f"enum:{where}:{error.instance!r}",
        )
        return
    if validator == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        yield (
            f"{where} must be {' or '.join(map(str, wanted))}, "
            f"not {_kind(error.instance)}{_short(error.instance)}",
            path,
            f"type:{where}",
        )
        return
    if validator == "pattern":
        yield (
            f"{where} {error.instance!r} does not match the pattern {error.validator_value}",
            path,
            f"pattern:{where}",
        )
        return
    if validator == "not":  # a value the schema excludes (RDS PostgreSQL's reserved 'admin' user)
        yield (
            f"{where or 'properties'} must not be {_short(error.instance)}: the resource schema excludes it",
            path,
            f"not:{where}",
        )
        return
    if validator in ("maxLength", "minLength", "maximum", "minimum", "maxItems", "minItems"):
        yield f"{where or 'properties'}: {error.message}", path, f"{validator}:{where}"
        return
    yield f"{where or 'properties'}: {_short(error.message, 160)}", path, f"{validator}:{where}"


def _kind(instance: Any) -> str:
    kinds = {dict: "an object ", list: "a list ", str: "the string ", bool: "the boolean "}
    return kinds.get(type(instance), "the value ")


def _short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) and limit > 60 else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _hint(error: Any) -> str:
    if error.validator == "additionalProperties":
        return "remove the property or use the name the CloudFormation reference gives for it"
    if error.validator == "required":
        return "add the property; CloudFormation cannot create the resource without it"
    return "use a value the CloudFormation reference allows for this property"
