import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from constructs import Construct


class ApiStack(cdk.NestedStack):
    def __init__(
        self, scope: Construct, construct_id: str, environment_suffix: str, bucket: s3.IBucket, **kwargs
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.metadata_function = lambda_.Function(
            self,
            "MetadataFunction",
            function_name=f"video-metadata-{environment_suffix}",
            runtime=lambda_.Runtime.PYTHON_3_12,
            handler="index.handler",
            code=lambda_.Code.from_asset("lib/lambda"),
            environment={"BUCKET_NAME": bucket.bucket_name},
        )
        bucket.grant_read(self.metadata_function)
        self.api = apigateway.LambdaRestApi(
            self, "MetadataApi", handler=self.metadata_function, rest_api_name=f"video-api-{environment_suffix}"
        )
