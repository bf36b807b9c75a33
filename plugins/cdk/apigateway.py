"""API Gateway REST APIs as ``aws-apigateway`` synthesizes them: the root resource, resources and
methods, the deployment that waits for every method and its stage, and the Lambda permissions a
``LambdaIntegration`` adds (see :mod:`plugins.cdk.integrations` for the shared helpers)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analyzer.model import Dependency, Literal, Origin, Ref, Unknown, Value, concat, render
from analyzer.python.values import EValue, to_value
from plugins.cdk.integrations import function_arn, is_function, lambda_permission, unique_id
from plugins.cdk.objects import ConstructObj, TargetObj

if TYPE_CHECKING:
    from analyzer.python.evaluator import CallSite
    from plugins.cdk.builder import Builder, ResourceRecord

_API_RESOURCE = "aws_cdk.aws_apigateway.Resource"


def rest_api(builder: Builder, api: ConstructObj, record: ResourceRecord, site: CallSite) -> None:
    """``apigw.RestApi``/``LambdaRestApi`` (aws-apigateway/lib/restapi.ts, lambda-api.ts): the root
    resource, and unless ``deploy=False`` the ``Deployment`` (which waits for every method) and
    its ``DeploymentStage.<name>``; a ``LambdaRestApi`` proxies everything to its handler."""
    from plugins.cdk.builder import ResourceRecord

    kwargs = site.kwargs
    root = ConstructObj(builder, _API_RESOURCE, _child(api.scope, "Default"), None)
    root.data.update({"api": api, "path": "/", "default_integration": kwargs.get("default_integration")})
    api.links["root"] = root
    deploy = kwargs.get("deploy")
    if not (isinstance(deploy, Literal) and deploy.value is False):
        deployment = builder.add_record(
            ResourceRecord(
                f"{api.scope.path}/Deployment",
                "AWS::ApiGateway::Deployment",
                site.location,
                "aws_cdk.aws_apigateway.RestApi#Deployment",
                api.scope.stack,
            )
        )
        deployment.properties = {"RestApiId": Ref(record.id)}
        stage_name = _stage_name(kwargs.get("deploy_options"))
        stage = builder.add_record(
            ResourceRecord(
                f"{api.scope.path}/DeploymentStage.{render(stage_name)}",
                "AWS::ApiGateway::Stage",
                site.location,
                "aws_cdk.aws_apigateway.RestApi#Stage",
                api.scope.stack,
            )
        )
        stage.properties = {
            "RestApiId": Ref(record.id),
            "DeploymentId": Ref(deployment.id),
            "StageName": stage_name,
        }
        api.data["deployment"] = deployment.id
        api.links["latest_deployment"] = ConstructObj(
            builder, "aws_cdk.aws_apigateway.Deployment", _child(api.scope, "Deployment"), deployment.id
        )
        api.links["deployment_stage"] = ConstructObj(
            builder, "aws_cdk.aws_apigateway.Stage", _child(api.scope, stage.id.rsplit("/", 1)[-1]), stage.id
        )
    handler = kwargs.get("handler")
    if isinstance(handler, ConstructObj) and is_function(handler):
        integration = TargetObj("apigw.LambdaIntegration", handler, {})
        root.data["default_integration"] = integration
        proxy = kwargs.get("proxy")
        if not (isinstance(proxy, Literal) and proxy.value is False):
            add_api_method(builder, root, Literal("ANY"), integration, site)
            proxy_resource = add_api_resource(builder, root, Literal("{proxy+}"), site)
            add_api_method(builder, proxy_resource, Literal("ANY"), integration, site)


def _stage_name(options: EValue | None) -> Value:
    if options is None:
        return Literal("prod")  # StageOptions.stageName default
    found = (
        options.value.get("stage_name")
        if isinstance(options, Literal) and isinstance(options.value, dict)
        else None
    )
    return (
        to_value(found)
        if found is not None
        else Unknown("the stage name in deploy_options", hint="stage_name")
    )


def _child(scope: Any, name: str) -> Any:
    from plugins.cdk.builder import Scope

    return Scope(f"{scope.path}/{name}", Literal(name), scope.stack, scope.location, scope.origin)


def api_resource_method(builder: Builder, resource: ConstructObj, name: str, site: CallSite) -> EValue | None:
    """Methods of an API resource object (``api.root``, ``add_resource(...)``'s result)."""
    if name == "add_resource":
        return add_api_resource(builder, resource, site.arg(0, "path_part"), site)
    if name == "add_method":
        integration = site.arg(1, "integration")
        add_api_method(builder, resource, site.arg(0, "http_method"), integration, site)
        return Literal(None)
    if name == "add_proxy":
        proxy = add_api_resource(builder, resource, Literal("{proxy+}"), site)
        integration = site.kwargs.get("default_integration")
        if integration is not None:
            proxy.data["default_integration"] = integration
        any_method = site.kwargs.get("any_method")
        if not (isinstance(any_method, Literal) and any_method.value is False):
            add_api_method(builder, proxy, Literal("ANY"), None, site)
        return proxy
    return None


def add_api_resource(
    builder: Builder, parent: ConstructObj, part: EValue | None, site: CallSite
) -> ConstructObj:
    from plugins.cdk.builder import ResourceRecord

    api = parent.data["api"]
    text = render(to_value(part)) if part is not None else "?"
    scope = _child(parent.scope, text)
    record = builder.add_record(
        ResourceRecord(
            scope.path, "AWS::ApiGateway::Resource", site.location, _API_RESOURCE + "#Resource", scope.stack
        )
    )
    record.properties = {
        "ParentId": _resource_id_of(parent),
        "PathPart": to_value(part) if part is not None else Unknown("path part"),
        "RestApiId": Ref(api.resource_id or ""),
    }
    child = ConstructObj(builder, _API_RESOURCE, scope, record.id)
    path = parent.data["path"].rstrip("/") + "/" + text
    child.data.update(
        {"api": api, "path": path, "default_integration": parent.data.get("default_integration")}
    )
    return child


def _resource_id_of(resource: ConstructObj) -> Value:
    if resource.resource_id is None:  # the root resource
        return Ref(resource.data["api"].resource_id or "", "RootResourceId")
    return Ref(resource.resource_id)


def add_api_method(
    builder: Builder, resource: ConstructObj, verb: EValue | None, integration: EValue | None, site: CallSite
) -> None:
    """``resource.add_method(verb, integration)`` (aws-apigateway/lib/method.ts): the method, the
    deployment waiting for it, and for a ``LambdaIntegration`` (integrations/lambda.ts) the
    permissions for ``apigateway.amazonaws.com`` on the stage's and the test-invoke ARN."""
    from plugins.cdk.builder import ResourceRecord

    api = resource.data["api"]
    verb_value = to_value(verb) if verb is not None else Unknown("HTTP method")
    verb_text = render(verb_value).upper()
    scope = _child(resource.scope, verb_text)
    record = builder.add_record(
        ResourceRecord(
            scope.path,
            "AWS::ApiGateway::Method",
            site.location,
            "aws_cdk.aws_apigateway.Resource#Method",
            scope.stack,
        )
    )
    integration = integration if integration is not None else resource.data.get("default_integration")
    record.properties = {
        "HttpMethod": Literal(verb_text) if isinstance(verb_value, Literal) else verb_value,
        "ResourceId": _resource_id_of(resource),
        "RestApiId": Ref(api.resource_id or ""),
        "AuthorizationType": Literal("NONE")
        if "authorizer" not in site.kwargs and "authorization_type" not in site.kwargs
        else to_value(site.kwargs.get("authorization_type", Unknown("an authorizer"))),
    }
    deployment = builder.records.get(api.data.get("deployment", ""))
    if deployment is not None:
        deployment.depends_on.append(Dependency(record.id, site.location))
    if not (isinstance(integration, TargetObj) and integration.kind == "apigw.LambdaIntegration"):
        return
    function = integration.target
    if not isinstance(function, ConstructObj) or not is_function(function):
        return
    record.properties["Integration"] = Literal(
        {
            "Type": Literal("AWS_PROXY"),
            "IntegrationHttpMethod": Literal("POST"),
            # integrations/lambda.ts: the API Gateway service ARN invoking the function
            "Uri": concat(
                [
                    Literal("arn:aws:apigateway:"),
                    Unknown("the region", Origin.REGION, hint="AWS::Region"),
                    Literal(":lambda:path/2015-03-31/functions/"),
                    function_arn(function),
                    Literal("/invocations"),
                ]
            ),
        }
    )
    path = resource.data["path"]
    api_id = unique_id(api.scope.path)
    for label, stage in (("", "*"), ("Test.", "test-invoke-stage")):
        source = Literal(
            f"arn:aws:execute-api:<region>:<account>:<api>/{stage}/{verb_text if verb_text != 'ANY' else '*'}{path}"
        )
        lambda_permission(
            builder,
            function,
            scope,
            f"ApiPermission.{label}{api_id}.{verb_text}..{path.strip('/').replace('/', '.')}",
            Literal("apigateway.amazonaws.com"),
            site.location,
            source_arn=Unknown("the execute-api ARN of the method", hint=render(source)),
            source_type="aws_cdk.aws_apigateway.LambdaIntegration#Permission",
        )
