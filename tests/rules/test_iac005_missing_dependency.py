"""IAC005 on hand-built models: each relation kind, its precision limits, and the fix text."""

from __future__ import annotations

from analyzer.findings import Severity
from analyzer.graph import ResourceGraph
from analyzer.model import Concat, Dependency, Literal, Location, Project, Ref, Resource, Unknown, Value
from analyzer.rules.base import RuleContext
from analyzer.rules.iac005_missing_dependency import MissingDependency, orderings

PATH = "lib/TapStack.yml"
_line = iter(range(1, 10_000))


def res(
    rid: str, rtype: str, depends: tuple[str, ...] = (), name: Value | None = None, **props: Value
) -> Resource:
    return Resource(
        rid,
        rtype,
        Location(PATH, next(_line)),
        properties=props,
        name=name,
        depends_on=tuple(Dependency(d) for d in depends),
    )


def lit(value: object) -> Literal:
    if isinstance(value, list):
        return Literal(tuple(lit(v) for v in value))
    if isinstance(value, dict):
        return Literal({k: lit(v) for k, v in value.items()})
    if isinstance(value, (Ref, Unknown, Concat, Literal)):
        return value  # type: ignore[return-value]
    return Literal(value)


def run(*resources: Resource, platform: str = "cloudformation") -> list:
    project = Project(root="/x", platform=platform, resources=resources)
    return list(MissingDependency().check(RuleContext(project, ResourceGraph(project))))


def keys(findings: list) -> list[str]:
    return sorted(f.key for f in findings)


# -- table --------------------------------------------------------------------------------------------


def test_every_ordering_has_reason_error_and_source() -> None:
    table = orderings()
    assert len({o.id for o in table}) == len(table) >= 20
    for ordering in table:
        assert ordering.reason and ordering.error and ordering.source.startswith("https://")


# -- shared --------------------------------------------------------------------------------------------


def network(route_depends: tuple[str, ...] = ()) -> tuple[Resource, ...]:
    vpc = res("Vpc", "AWS::EC2::VPC")
    igw = res("Igw", "AWS::EC2::InternetGateway")
    attach = res("Attach", "AWS::EC2::VPCGatewayAttachment", VpcId=Ref("Vpc"), InternetGatewayId=Ref("Igw"))
    table = res("Rt", "AWS::EC2::RouteTable", VpcId=Ref("Vpc"))
    route = res("Route", "AWS::EC2::Route", route_depends, RouteTableId=Ref("Rt"), GatewayId=Ref("Igw"))
    return vpc, igw, attach, table, route


def test_route_to_gateway_without_attachment_ordering() -> None:
    findings = run(*network())
    assert keys(findings) == ["route-after-gateway-attachment:Attach"]
    finding = findings[0]
    assert finding.severity is Severity.ERROR and finding.resource == "Route"
    assert "DependsOn: [Attach]" in finding.fix_hint
    assert finding.related[0].location.line > 0


def test_route_with_depends_on_is_silent() -> None:
    assert run(*network(("Attach",))) == []


def test_route_to_another_gateway_is_not_related() -> None:
    vpc, igw, attach, table, _ = network()
    other = res("Igw2", "AWS::EC2::InternetGateway")
    route = res("Route", "AWS::EC2::Route", RouteTableId=Ref("Rt"), GatewayId=Ref("Igw2"))
    assert run(vpc, igw, attach, table, other, route) == []


def test_pulumi_gateway_attached_at_creation_is_ordered_by_reference() -> None:
    vpc = res("vpc", "AWS::EC2::VPC")
    igw = res("igw", "AWS::EC2::InternetGateway", VpcId=Ref("vpc", "Id"))
    route = res("route", "AWS::EC2::Route", GatewayId=Ref("igw", "Id"))
    assert run(vpc, igw, route, platform="pulumi") == []


def test_bucket_notification_needs_s3_permission_and_cycle_hint() -> None:
    fn = res("Fn", "AWS::Lambda::Function")
    perm = res(
        "Perm",
        "AWS::Lambda::Permission",
        FunctionName=Ref("Fn", "Arn"),
        Principal=lit("s3.amazonaws.com"),
        SourceArn=Ref("Bucket", "Arn"),
    )
    other = res(
        "EventsPerm", "AWS::Lambda::Permission", FunctionName=Ref("Fn"), Principal=lit("events.amazonaws.com")
    )
    bucket = res(
        "Bucket",
        "AWS::S3::Bucket",
        NotificationConfiguration=lit(
            {"LambdaConfigurations": [{"Event": "s3:ObjectCreated:*", "Function": Ref("Fn", "Arn")}]}
        ),
    )
    findings = run(fn, perm, other, bucket)
    assert keys(findings) == ["bucket-notification-after-lambda-permission:Perm"]
    assert "cycle" in findings[0].fix_hint


def test_permission_with_unknown_principal_is_not_assumed() -> None:
    fn = res("Fn", "AWS::Lambda::Function")
    perm = res("Perm", "AWS::Lambda::Permission", FunctionName=Ref("Fn"), Principal=Unknown("param"))
    bucket = res(
        "Bucket",
        "AWS::S3::Bucket",
        NotificationConfiguration=lit({"LambdaConfigurations": [{"Function": Ref("Fn", "Arn")}]}),
    )
    assert run(fn, perm, bucket) == []


def test_ecs_service_after_listener_any_path() -> None:
    tg = res("Tg", "AWS::ElasticLoadBalancingV2::TargetGroup")
    listener = res(
        "Listener",
        "AWS::ElasticLoadBalancingV2::Listener",
        DefaultActions=lit([{"TargetGroupArn": Ref("Tg")}]),
    )
    service = res(
        "Service",
        "AWS::ECS::Service",
        LoadBalancers=lit([{"TargetGroupArn": Ref("Tg"), "ContainerPort": 80}]),
    )
    assert keys(run(tg, listener, service)) == ["ecs-service-after-listener:Listener"]
    ordered = res(
        "Service", "AWS::ECS::Service", ("Listener",), LoadBalancers=lit([{"TargetGroupArn": Ref("Tg")}])
    )
    assert run(tg, listener, ordered) == []


def test_api_deployment_depending_on_one_method_is_enough() -> None:
    api = res("Api", "AWS::ApiGateway::RestApi")
    get = res("Get", "AWS::ApiGateway::Method", RestApiId=Ref("Api"))
    post = res("Post", "AWS::ApiGateway::Method", RestApiId=Ref("Api"))
    deployment = res("Deploy", "AWS::ApiGateway::Deployment", RestApiId=Ref("Api"))
    findings = run(api, get, post, deployment)
    assert keys(findings) == ["api-deployment-after-methods:Get,Post"]
    assert (
        run(api, get, post, res("Deploy", "AWS::ApiGateway::Deployment", ("Get",), RestApiId=Ref("Api")))
        == []
    )


# -- same_vpc ------------------------------------------------------------------------------------------


def test_internet_facing_load_balancer_needs_attachment_internal_does_not() -> None:
    vpc = res("Vpc", "AWS::EC2::VPC")
    igw = res("Igw", "AWS::EC2::InternetGateway")
    attach = res("Attach", "AWS::EC2::VPCGatewayAttachment", VpcId=Ref("Vpc"), InternetGatewayId=Ref("Igw"))
    subnet = res("Subnet", "AWS::EC2::Subnet", VpcId=Ref("Vpc"))
    public = res("Alb", "AWS::ElasticLoadBalancingV2::LoadBalancer", Subnets=lit([Ref("Subnet")]))
    internal = res(
        "Internal",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        Subnets=lit([Ref("Subnet")]),
        Scheme=lit("internal"),
    )
    unknown = res(
        "Unknown",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        Subnets=lit([Ref("Subnet")]),
        Scheme=Unknown("p"),
    )
    findings = run(vpc, igw, attach, subnet, public, internal, unknown)
    assert [(f.resource, f.key) for f in findings] == [
        ("Alb", "internet-facing-load-balancer-after-gateway-attachment:Attach")
    ]


def test_nat_gateway_and_vpn_attachment() -> None:
    vpc = res("Vpc", "AWS::EC2::VPC")
    vpn = res("VpnAttach", "AWS::EC2::VPCGatewayAttachment", VpcId=Ref("Vpc"), VpnGatewayId=lit("vgw-1"))
    subnet = res("Subnet", "AWS::EC2::Subnet", VpcId=Ref("Vpc"))
    eip = res("Eip", "AWS::EC2::EIP", Domain=lit("vpc"))
    nat = res("Nat", "AWS::EC2::NatGateway", SubnetId=Ref("Subnet"), AllocationId=Ref("Eip", "AllocationId"))
    assert run(vpc, vpn, subnet, eip, nat) == []  # a VPN gateway attachment is not an internet gateway
    igw_attach = res(
        "Attach", "AWS::EC2::VPCGatewayAttachment", VpcId=Ref("Vpc"), InternetGatewayId=lit("igw-1")
    )
    assert keys(run(vpc, igw_attach, subnet, eip, nat)) == ["nat-gateway-after-gateway-attachment:Attach"]
    private = res("Nat", "AWS::EC2::NatGateway", SubnetId=Ref("Subnet"), ConnectivityType=lit("private"))
    assert run(vpc, igw_attach, subnet, private) == []


def test_load_balancer_in_another_vpc_is_not_related() -> None:
    vpc, other = res("Vpc", "AWS::EC2::VPC"), res("Other", "AWS::EC2::VPC")
    attach = res("Attach", "AWS::EC2::VPCGatewayAttachment", VpcId=Ref("Vpc"), InternetGatewayId=lit("igw-1"))
    subnet = res("Subnet", "AWS::EC2::Subnet", VpcId=Ref("Other"))
    alb = res("Alb", "AWS::ElasticLoadBalancingV2::LoadBalancer", Subnets=lit([Ref("Subnet")]))
    assert run(vpc, other, attach, subnet, alb) == []


# -- any -----------------------------------------------------------------------------------------------


def test_config_rule_and_channel_after_recorder() -> None:
    recorder = res("Recorder", "AWS::Config::ConfigurationRecorder")
    channel = res("Channel", "AWS::Config::DeliveryChannel")
    rule = res("Rule", "AWS::Config::ConfigRule", ("Recorder",), Source=lit({"Owner": "AWS"}))
    assert keys(run(recorder, channel, rule)) == ["config-delivery-channel-after-recorder:Recorder"]
    assert run(channel, rule) == []  # the recorder exists outside the project: nothing to order


# -- role_grant ----------------------------------------------------------------------------------------


def test_event_source_mapping_after_the_policy_that_reads_the_queue() -> None:
    queue = res("Queue", "AWS::SQS::Queue")
    role = res("Role", "AWS::IAM::Role")
    read = res(
        "ReadPolicy",
        "AWS::IAM::Policy",
        Roles=lit([Ref("Role")]),
        PolicyDocument=lit(
            {
                "Statement": [
                    {"Effect": "Allow", "Action": ["sqs:ReceiveMessage"], "Resource": Ref("Queue", "Arn")}
                ]
            }
        ),
    )
    logs = res(
        "LogsPolicy", "AWS::IAM::Policy", Roles=lit([Ref("Role")]), PolicyDocument=lit({"Statement": []})
    )
    fn = res("Fn", "AWS::Lambda::Function", Role=Ref("Role", "Arn"))
    esm = res(
        "Mapping",
        "AWS::Lambda::EventSourceMapping",
        FunctionName=Ref("Fn"),
        EventSourceArn=Ref("Queue", "Arn"),
    )
    assert keys(run(queue, role, read, logs, fn, esm)) == [
        "event-source-mapping-after-role-policy:ReadPolicy"
    ]
    fn_ordered = res("Fn", "AWS::Lambda::Function", ("ReadPolicy",), Role=Ref("Role", "Arn"))
    assert run(queue, role, read, logs, fn_ordered, esm) == []


def test_event_source_mapping_with_inline_role_policy_is_silent() -> None:
    queue = res("Queue", "AWS::SQS::Queue")
    role = res(
        "Role",
        "AWS::IAM::Role",
        Policies=lit(
            [
                {
                    "PolicyName": "q",
                    "PolicyDocument": {"Statement": [{"Action": "sqs:*", "Resource": Ref("Queue", "Arn")}]},
                }
            ]
        ),
    )
    fn = res("Fn", "AWS::Lambda::Function", Role=Ref("Role", "Arn"))
    esm = res(
        "Mapping",
        "AWS::Lambda::EventSourceMapping",
        FunctionName=Ref("Fn"),
        EventSourceArn=Ref("Queue", "Arn"),
    )
    assert run(queue, role, fn, esm) == []


def test_vpc_function_after_pulumi_attachment_of_vpc_access_policy() -> None:
    role = res("role", "AWS::IAM::Role")
    basic = res(
        "basic",
        "Pulumi::AWS::IAM::RolePolicyAttachment",
        Role=Ref("role", "Name"),
        PolicyArn=lit("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
    )
    vpc_access = res(
        "vpc-access",
        "Pulumi::AWS::IAM::RolePolicyAttachment",
        Role=Ref("role", "Name"),
        PolicyArn=lit("arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"),
    )
    fn = res(
        "fn", "AWS::Lambda::Function", Role=Ref("role", "Arn"), VpcConfig=lit({"SubnetIds": ["subnet-1"]})
    )
    findings = run(role, basic, vpc_access, fn, platform="pulumi")
    assert keys(findings) == ["vpc-function-after-role-policy:vpc-access"]
    assert "depends_on" in findings[0].fix_hint and "'vpc-access'" in findings[0].fix_hint
    no_vpc = res("fn", "AWS::Lambda::Function", Role=Ref("role", "Arn"))
    assert run(role, basic, vpc_access, no_vpc, platform="pulumi") == []


# -- dms_role ------------------------------------------------------------------------------------------


def dms_role(rid: str = "dms-vpc-role") -> Resource:
    trust = lit(
        {
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "dms.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ]
        }
    )
    return res(rid, "AWS::IAM::Role", name=Literal("dms-vpc-role"), AssumeRolePolicyDocument=trust)


def test_dms_subnet_group_needs_role_and_attachment() -> None:
    role = dms_role()
    attachment = res(
        "dms-vpc-policy",
        "Pulumi::AWS::IAM::RolePolicyAttachment",
        Role=Ref("dms-vpc-role", "Name"),
        PolicyArn=lit("arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole"),
    )
    group = res("subnets", "AWS::DMS::ReplicationSubnetGroup", SubnetIds=lit(["subnet-1"]))
    findings = run(role, attachment, group, platform="pulumi")
    assert keys(findings) == ["dms-vpc-role:dms-vpc-role,dms-vpc-policy"]
    only_role = res("subnets", "AWS::DMS::ReplicationSubnetGroup", ("dms-vpc-role",))
    assert keys(run(role, attachment, only_role, platform="pulumi")) == ["dms-vpc-role:dms-vpc-policy"]
    both = res("subnets", "AWS::DMS::ReplicationSubnetGroup", ("dms-vpc-role", "dms-vpc-policy"))
    assert run(role, attachment, both, platform="pulumi") == []


# -- log_group -----------------------------------------------------------------------------------------


def test_log_group_named_after_the_function() -> None:
    fn = res("Fn", "AWS::Lambda::Function", name=Literal("orders-fn"))
    group = res("Logs", "AWS::Logs::LogGroup", LogGroupName=lit("/aws/lambda/orders-fn"))
    findings = run(fn, group)
    assert [(f.key, f.severity) for f in findings] == [("function-after-log-group:Logs", Severity.WARNING)]
    custom = res("Seed", "Custom::Seed", ServiceToken=Ref("Fn", "Arn"))
    assert [f.severity for f in run(fn, group, custom)] == [Severity.ERROR]
    ordered = res("Fn", "AWS::Lambda::Function", ("Logs",), name=Literal("orders-fn"))
    assert run(ordered, group) == []
    unrelated = res("Logs", "AWS::Logs::LogGroup", LogGroupName=lit("/aws/lambda/other"))
    assert run(fn, unrelated) == []


def test_log_group_referencing_function_reports_with_cycle_hint() -> None:
    fn = res("Fn", "AWS::Lambda::Function")
    group = res("Logs", "AWS::Logs::LogGroup", LogGroupName=Concat((Literal("/aws/lambda/"), Ref("Fn"))))
    findings = run(fn, group)
    assert len(findings) == 1 and "cycle" in findings[0].fix_hint


def test_unknown_platform_gets_neutral_fix() -> None:
    findings = run(*network(), platform="terraform")
    assert "(CloudFormation)" in findings[0].fix_hint and "(Pulumi)" in findings[0].fix_hint


def test_cdk_default_policy_is_ordered_by_l2_constructs_but_not_l1() -> None:
    role = res("Stack/Fn/ServiceRole", "AWS::IAM::Role")
    policy = Resource(
        "Stack/Fn/ServiceRole/DefaultPolicy",
        "AWS::IAM::Policy",
        Location(PATH, 90),
        properties={
            "Roles": lit([Ref("Stack/Fn/ServiceRole")]),
            "PolicyDocument": lit({"Statement": [{"Action": "ec2:CreateNetworkInterface", "Resource": "*"}]}),
        },
        source_type="aws_cdk.aws_iam.Policy#DefaultPolicy",
    )
    props = {"Role": Ref("Stack/Fn/ServiceRole", "Arn"), "VpcConfig": lit({"SubnetIds": ["subnet-1"]})}
    l2 = Resource(
        "Stack/Fn",
        "AWS::Lambda::Function",
        Location(PATH, 91),
        props,
        source_type="aws_cdk.aws_lambda.Function",
    )
    l1 = Resource(
        "Stack/Fn",
        "AWS::Lambda::Function",
        Location(PATH, 91),
        props,
        source_type="aws_cdk.aws_lambda.CfnFunction",
    )
    assert run(role, policy, l2, platform="cdk") == []
    findings = run(role, policy, l1, platform="cdk")
    assert keys(findings) == ["vpc-function-after-role-policy:Stack/Fn/ServiceRole/DefaultPolicy"]
    assert "add_dependency" in findings[0].fix_hint


def test_stage_logging_needs_the_account_cloudwatch_role() -> None:
    api = res("Api", "AWS::ApiGateway::RestApi")
    account = res("Account", "AWS::ApiGateway::Account", CloudWatchRoleArn=lit("arn:aws:iam::1:role/apigw"))
    deployment = res("Deploy", "AWS::ApiGateway::Deployment", ("Account",), RestApiId=Ref("Api"))
    logging = res(
        "Stage",
        "AWS::ApiGateway::Stage",
        RestApiId=Ref("Api"),
        DeploymentId=Ref("Deploy"),
        MethodSettings=lit(
            [{"HttpMethod": "*", "ResourcePath": "/*", "ThrottlingBurstLimit": 5}, {"LoggingLevel": "INFO"}]
        ),
    )
    throttling_only = res(
        "Stage",
        "AWS::ApiGateway::Stage",
        RestApiId=Ref("Api"),
        MethodSettings=lit([{"ThrottlingBurstLimit": 5}]),
    )
    assert keys(run(api, account, deployment, logging)) == []  # ordered through the deployment
    unordered = res("Deploy", "AWS::ApiGateway::Deployment", RestApiId=Ref("Api"))
    assert keys(run(api, account, unordered, logging)) == ["api-logging-after-account-role:Account"]
    assert run(api, account, throttling_only) == []
    assert [f.severity for f in run(api, account, unordered, logging)] == [Severity.WARNING]


def test_subscription_filter_permission_principal_by_pattern() -> None:
    fn = res("Fn", "AWS::Lambda::Function")
    regional = Concat((Literal("logs."), Unknown("AWS::Region"), Literal(".amazonaws.com")))
    perm = res("Perm", "AWS::Lambda::Permission", FunctionName=Ref("Fn"), Principal=regional)
    other = res("Other", "AWS::Lambda::Permission", FunctionName=Ref("Fn"), Principal=lit("s3.amazonaws.com"))
    subscription = res(
        "Sub", "AWS::Logs::SubscriptionFilter", DestinationArn=Ref("Fn", "Arn"), LogGroupName=lit("/x")
    )
    assert keys(run(fn, perm, other, subscription)) == ["subscription-filter-after-lambda-permission:Perm"]


def test_rds_instance_after_enhanced_monitoring_attachment() -> None:
    role = res("monitoring", "AWS::IAM::Role")
    attach = res(
        "monitoring-policy",
        "Pulumi::AWS::IAM::RolePolicyAttachment",
        Role=Ref("monitoring", "Name"),
        PolicyArn=lit("arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"),
    )
    instance = res(
        "writer",
        "AWS::RDS::DBInstance",
        MonitoringRoleArn=Ref("monitoring", "Arn"),
        MonitoringInterval=lit(60),
    )
    assert keys(run(role, attach, instance, platform="pulumi")) == [
        "rds-monitoring-after-role-policy:monitoring-policy"
    ]
    on_role = res(
        "monitoring",
        "AWS::IAM::Role",
        ManagedPolicyArns=lit(["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"]),
    )
    assert run(on_role, instance) == []


def test_dependency_on_something_outside_the_model_keeps_the_rule_silent() -> None:
    vpc, igw, attach, table, _ = network()
    # depends_on a Pulumi component / CDK construct: it may well contain the attachment.
    route = res(
        "Route", "AWS::EC2::Route", ("NetworkComponent",), RouteTableId=Ref("Rt"), GatewayId=Ref("Igw")
    )
    assert run(vpc, igw, attach, table, route) == []
    # ... also when the unknown dependency is one step further along the chain.
    table_waits = res("Rt", "AWS::EC2::RouteTable", ("NetworkComponent",), VpcId=Ref("Vpc"))
    route2 = res("Route", "AWS::EC2::Route", RouteTableId=Ref("Rt"), GatewayId=Ref("Igw"))
    assert run(vpc, igw, attach, table_waits, route2) == []
