"""Video processing pipeline: seven nested stacks under one parent."""
from typing import Optional

import aws_cdk as cdk
from constructs import Construct

from lib.api_stack import ApiStack
from lib.cache_stack import CacheStack
from lib.compute_stack import ComputeStack
from lib.network_stack import NetworkStack
from lib.notification_stack import NotificationStack
from lib.storage_stack import StorageStack
from lib.workflow_stack import WorkflowStack


class TapStackProps(cdk.StackProps):
    def __init__(self, environment_suffix: Optional[str] = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.environment_suffix = environment_suffix


class TapStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, props: Optional[TapStackProps] = None, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        suffix = (props.environment_suffix if props else None) or "dev"

        network = NetworkStack(self, f"NetworkStack{suffix}", environment_suffix=suffix)
        storage = StorageStack(self, f"StorageStack{suffix}", environment_suffix=suffix)
        cache = CacheStack(self, f"CacheStack{suffix}", environment_suffix=suffix)
        compute = ComputeStack(self, f"ComputeStack{suffix}", environment_suffix=suffix)
        api = ApiStack(self, f"ApiStack{suffix}", environment_suffix=suffix, bucket=storage.bucket)
        notification = NotificationStack(self, f"NotificationStack{suffix}", environment_suffix=suffix)
        workflow = WorkflowStack(
            self,
            f"WorkflowStack{suffix}",
            environment_suffix=suffix,
            cluster=compute.cluster,
            task_definition=compute.task_definition,
            topic=notification.completion_topic,
        )
        storage.add_dependency(network)
        cache.add_dependency(network)
        compute.add_dependency(network)
        api.add_dependency(storage)
        workflow.add_dependency(compute)
