"""The inventory ALB in moto, for the apply tier's steps after the first deploy.

The AWS Load Balancer Controller makes the ALB when the first pipeline
deploy applies the Ingress; the tier makes it here in its place
(test/helpers/after-deploy.ts). This script also reads back what
CloudWatch holds of the alarms on that ALB, and deletes the ALB once the
units that look it up are destroyed. It prints one JSON line.

Usage:
  python3 controller_alb.py ENDPOINT ACCOUNT REGION create NAME SUBNET_ID...
  python3 controller_alb.py ENDPOINT ACCOUNT REGION alarms NAME ALARM_NAME...
  python3 controller_alb.py ENDPOINT ACCOUNT REGION delete NAME
"""

import json
import sys

import boto3

endpoint, account, region, action, name, *rest = sys.argv[1:]
# moto answers as the account named in the access key (moto_server.py).
session = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id=f"AKIA{account}MOTO", aws_secret_access_key="moto")
elb = boto3.client("elbv2", **session)

if action == "create":
    lb = elb.create_load_balancer(Name=name, Subnets=rest, Scheme="internet-facing", Type="application")["LoadBalancers"][0]
    print(json.dumps({"arn": lb["LoadBalancerArn"]}))
elif action == "alarms":
    arn = elb.describe_load_balancers(Names=[name])["LoadBalancers"][0]["LoadBalancerArn"]
    found = boto3.client("cloudwatch", **session).describe_alarms(AlarmNames=rest)["MetricAlarms"]
    print(json.dumps({
        # The ALB's CloudWatch dimension: the ARN after "loadbalancer/", app/NAME/ID.
        "arnSuffix": arn.split(":loadbalancer/", 1)[1],
        "alarms": [
            {"name": a["AlarmName"], "namespace": a["Namespace"], "metric": a["MetricName"], "dimensions": {d["Name"]: d["Value"] for d in a["Dimensions"]}}
            for a in found
        ],
    }))
elif action == "delete":
    arn = elb.describe_load_balancers(Names=[name])["LoadBalancers"][0]["LoadBalancerArn"]
    elb.delete_load_balancer(LoadBalancerArn=arn)
    print(json.dumps({"deleted": arn}))
else:
    sys.exit(f"unknown action {action!r}: create, alarms or delete")
