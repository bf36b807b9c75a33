import aws_cdk as cdk
from aws_cdk import aws_elasticache as elasticache
from constructs import Construct


class CacheStack(cdk.NestedStack):
    def __init__(self, scope: Construct, construct_id: str, environment_suffix: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.redis = elasticache.CfnReplicationGroup(
            self,
            "VideoCache",
            replication_group_description="Video metadata cache",
            replication_group_id=f"video-cache-{environment_suffix}",
            engine="redis",
            cache_node_type="cache.t3.micro",
            num_cache_clusters=2,
            automatic_failover_enabled=True,
            at_rest_encryption_enabled=True,
            transit_encryption_enabled=True,
        )
