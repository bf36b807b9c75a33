import json
import os

import boto3

s3 = boto3.client("s3")


def handler(event, context):
    listing = s3.list_objects_v2(Bucket=os.environ["BUCKET_NAME"], MaxKeys=10)
    return {"statusCode": 200, "body": json.dumps([o["Key"] for o in listing.get("Contents", [])])}
