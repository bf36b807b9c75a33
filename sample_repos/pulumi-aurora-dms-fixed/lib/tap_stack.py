"""Aurora PostgreSQL cluster fed by a DMS replication task from an on-premises database."""

import json
from typing import List, Optional

import pulumi
import pulumi_aws as aws
from pulumi import ResourceOptions


class TapStackArgs:
    """Arguments for TapStack."""

    def __init__(
        self,
        environment_suffix: str,
        vpc_id: str,
        private_subnet_ids: List[str],
        dms_subnet_ids: List[str],
        source_db_host: str,
        source_db_username: str,
        source_db_password: str,
        aurora_password: str,
        source_db_port: int = 5432,
        source_db_name: str = "appdb",
        aurora_username: str = "dbadmin",
        tags: Optional[dict] = None,
        create_dms_roles: bool = False,
    ):
        self.environment_suffix = environment_suffix
        self.vpc_id = vpc_id
        self.private_subnet_ids = private_subnet_ids
        self.dms_subnet_ids = dms_subnet_ids
        self.source_db_host = source_db_host
        self.source_db_port = source_db_port
        self.source_db_name = source_db_name
        self.source_db_username = source_db_username
        self.source_db_password = source_db_password
        self.aurora_username = aurora_username
        self.aurora_password = aurora_password
        self.tags = tags or {}
        # dms-vpc-role is one per account: only the first environment deployed to an account creates it.
        self.create_dms_roles = create_dms_roles


class TapStack(pulumi.ComponentResource):
    """Aurora PostgreSQL target, DMS replication instance, endpoints and task."""

    def __init__(self, name: str, args: TapStackArgs, opts: Optional[ResourceOptions] = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        self.environment_suffix = args.environment_suffix
        self.tags = {**args.tags, "Environment": self.environment_suffix}

        self.db_security_group = aws.ec2.SecurityGroup(
            f"aurora-sg-{self.environment_suffix}",
            vpc_id=args.vpc_id,
            description="Aurora PostgreSQL access from DMS",
            ingress=[{"protocol": "tcp", "from_port": 5432, "to_port": 5432, "cidr_blocks": ["10.0.0.0/16"]}],
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )

        self.db_subnet_group = aws.rds.SubnetGroup(
            f"aurora-subnet-group-{self.environment_suffix}",
            name=f"aurora-subnet-group-{self.environment_suffix}",
            subnet_ids=args.private_subnet_ids,
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )

        self.cluster_parameter_group = aws.rds.ClusterParameterGroup(
            f"aurora-cluster-pg-{self.environment_suffix}",
            family="aurora-postgresql15",
            description="Logical replication for DMS change data capture",
            parameters=[
                aws.rds.ClusterParameterGroupParameterArgs(
                    name="rds.logical_replication",
                    apply_method="pending-reboot",
                    value="1",
                ),
                aws.rds.ClusterParameterGroupParameterArgs(
                    name="shared_preload_libraries",
                    apply_method="pending-reboot",
                    value="pg_stat_statements",
                ),
                aws.rds.ClusterParameterGroupParameterArgs(
                    name="log_min_duration_statement",
                    value="1000",
                ),
            ],
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )

        self.aurora_cluster = aws.rds.Cluster(
            f"aurora-cluster-{self.environment_suffix}",
            cluster_identifier=f"aurora-cluster-{self.environment_suffix}",
            engine="aurora-postgresql",
            engine_version="15.10",
            database_name="migrated",
            master_username=args.aurora_username,
            master_password=args.aurora_password,
            db_subnet_group_name=self.db_subnet_group.name,
            db_cluster_parameter_group_name=self.cluster_parameter_group.name,
            vpc_security_group_ids=[self.db_security_group.id],
            storage_encrypted=True,
            skip_final_snapshot=True,
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )

        for index in range(2):
            aws.rds.ClusterInstance(
                f"aurora-instance-{index}-{self.environment_suffix}",
                identifier=f"aurora-instance-{index}-{self.environment_suffix}",
                cluster_identifier=self.aurora_cluster.id,
                instance_class="db.r6g.large",
                engine="aurora-postgresql",
                engine_version="15.10",
                tags=self.tags,
                opts=ResourceOptions(parent=self),
            )

        dms_assume_role_policy = json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "dms.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        )

        # DMS looks this role up by its exact name; it is an account-wide singleton, so it is created
        # only where the account does not have it yet (config createDmsRoles).
        dms_role_prerequisites = []
        if args.create_dms_roles:
            self.dms_vpc_role = aws.iam.Role(
                "dms-vpc-role",
                name="dms-vpc-role",
                assume_role_policy=dms_assume_role_policy,
                tags=self.tags,
                opts=ResourceOptions(parent=self),
            )

            self.dms_vpc_role_attachment = aws.iam.RolePolicyAttachment(
                f"dms-vpc-role-policy-{self.environment_suffix}",
                role=self.dms_vpc_role.name,
                policy_arn="arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole",
                opts=ResourceOptions(parent=self),
            )
            dms_role_prerequisites = [self.dms_vpc_role, self.dms_vpc_role_attachment]

        self.dms_subnet_group = aws.dms.ReplicationSubnetGroup(
            f"dms-subnet-group-{self.environment_suffix}",
            replication_subnet_group_id=f"dms-subnet-group-{self.environment_suffix}",
            replication_subnet_group_description=f"DMS subnet group for {self.environment_suffix}",
            subnet_ids=args.dms_subnet_ids,
            tags=self.tags,
            opts=ResourceOptions(parent=self, depends_on=dms_role_prerequisites),
        )

        self.dms_instance = aws.dms.ReplicationInstance(
            f"dms-instance-{self.environment_suffix}",
            replication_instance_id=f"dms-instance-{self.environment_suffix}",
            replication_instance_class="dms.t3.medium",
            allocated_storage=50,
            engine_version="3.5.4",
            replication_subnet_group_id=self.dms_subnet_group.id,
            vpc_security_group_ids=[self.db_security_group.id],
            publicly_accessible=False,
            tags=self.tags,
            opts=ResourceOptions(parent=self, depends_on=dms_role_prerequisites),
        )

        self.source_endpoint = aws.dms.Endpoint(
            f"dms-source-{self.environment_suffix}",
            endpoint_id=f"dms-source-{self.environment_suffix}",
            endpoint_type="source",
            engine_name="postgres",
            server_name=args.source_db_host,
            port=args.source_db_port,
            database_name=args.source_db_name,
            username=args.source_db_username,
            password=args.source_db_password,
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )

        self.target_endpoint = aws.dms.Endpoint(
            f"dms-target-{self.environment_suffix}",
            endpoint_id=f"dms-target-{self.environment_suffix}",
            endpoint_type="target",
            engine_name="aurora-postgresql",
            server_name=self.aurora_cluster.endpoint,
            port=5432,
            database_name="migrated",
            username=args.aurora_username,
            password=args.aurora_password,
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )

        self.replication_task = aws.dms.ReplicationTask(
            f"dms-task-{self.environment_suffix}",
            replication_task_id=f"dms-task-{self.environment_suffix}",
            migration_type="full-load-and-cdc",
            replication_instance_arn=self.dms_instance.replication_instance_arn,
            source_endpoint_arn=self.source_endpoint.endpoint_arn,
            target_endpoint_arn=self.target_endpoint.endpoint_arn,
            table_mappings=json.dumps(
                {
                    "rules": [
                        {
                            "rule-type": "selection",
                            "rule-id": "1",
                            "rule-name": "all-tables",
                            "object-locator": {"schema-name": "public", "table-name": "%"},
                            "rule-action": "include",
                        }
                    ]
                }
            ),
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )

        self.register_outputs(
            {
                "aurora_endpoint": self.aurora_cluster.endpoint,
                "replication_task_arn": self.replication_task.replication_task_arn,
            }
        )
