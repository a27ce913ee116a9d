"""moto on 127.0.0.1 for the apply tier (test/apply/live.apply.ts).

Starts moto's threaded server on the given port (0 = a free one), prints
"listening <port>" once it answers, and serves until stdin closes or the
process is signalled. Before starting it patches the answers in which the
installed moto differs from AWS, so that an apply converges and the next
plan is clean because the configuration is right, not because the emulator
is lenient. Each patch names the AWS behaviour it restores.

Usage: python3 moto_server.py PORT [BUCKET:ACCOUNT:REGION ...]
Each BUCKET:ACCOUNT:REGION is created before "listening" is printed, as
Terragrunt's backend bootstrap creates the state bucket (versioned,
encrypted, public access blocked).
"""

import json
import os
import re
import signal
import sys

# AWS managed policies (arn:aws:iam::aws:policy/...) exist in every account.
os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

import boto3  # noqa: E402
from moto.eks import models as eks_models, responses as eks_responses  # noqa: E402
from moto.codebuild import responses as codebuild_responses  # noqa: E402
from moto.ec2.models import ec2_backends  # noqa: E402
from moto.ec2.models import security_groups as sg_models  # noqa: E402
from moto.ec2.responses import instances as instance_responses  # noqa: E402
from moto.iam import models as iam_models  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402
from moto.sqs import models as sqs_models  # noqa: E402

# --- Accounts ----------------------------------------------------------------
# Not an AWS difference but the emulator's setup: each environment is its
# own AWS account (live/<env>/account.hcl), and the provider of a unit
# signs with the access key AKIA<account id>MOTO; moto answers as that
# account (it reads only 20-character keys from the signature).
_account_from_key = iam_models.get_account_id_from


def _account_from(key):
    m = re.fullmatch(r"AKIA(\d{12})MOTO", key or "")
    return m.group(1) if m else _account_from_key(key)


iam_models.get_account_id_from = _account_from

# --- SQS -------------------------------------------------------------------
# GetQueueAttributes: AWS returns RedriveAllowPolicy once it is set (moto
# stores it but leaves it out, so the provider waits for it until it times
# out), and returns RedrivePolicy as the compact JSON it was given (moto
# re-serialises it with spaces: a whitespace-only diff on every plan).
_queue_attributes = sqs_models.Queue.attributes.fget


def _attributes(queue):
    result = _queue_attributes(queue)
    # Removed (set to "") = absent, as AWS answers; the provider parses the
    # value as JSON, so an empty string never matches and its delete waits.
    if getattr(queue, "redrive_allow_policy", None):
        result["RedriveAllowPolicy"] = queue.redrive_allow_policy
    else:
        result.pop("RedriveAllowPolicy", None)
    if queue.redrive_policy:
        result["RedrivePolicy"] = json.dumps(queue.redrive_policy, separators=(",", ":"))
    return result


sqs_models.Queue.attributes = property(_attributes)

# SetQueueAttributes changes only the attributes it names; moto also clears
# Policy whenever Policy is not among them (setting RedriveAllowPolicy while
# the queue policy is being set drops the policy: a diff on the next plan).
_set_attributes = sqs_models.Queue._set_attributes


def _set_only_named(queue, attributes, now=None):
    policy = getattr(queue, "policy", None)
    _set_attributes(queue, attributes, now)
    if "Policy" not in attributes:
        queue.policy = policy


sqs_models.Queue._set_attributes = _set_only_named
if "RedriveAllowPolicy" not in sqs_models.Queue.KMS_ATTRIBUTES:
    # Accepted by name in GetQueueAttributes as AWS does (the list is only
    # used to validate names; the value comes from _attributes above).
    sqs_models.Queue.BASE_ATTRIBUTES.append("RedriveAllowPolicy")
    sqs_models.Queue.redrive_allow_policy = None

# --- EKS -------------------------------------------------------------------
# CreateCluster: AWS creates the cluster security group and returns its id in
# resourcesVpcConfig.clusterSecurityGroupId, and keeps accessConfig and
# upgradePolicy as sent (moto drops all three: the next plan replaces the
# cluster, and rules on the cluster security group have nothing to attach to).
_create_cluster = eks_responses.EKSResponse.create_cluster


def _create_cluster_as_aws(self):
    result = _create_cluster(self)
    cluster = self.eks_backend.clusters[self._get_param("name")]
    vpc = cluster.resources_vpc_config
    subnets = vpc.get("subnetIds") or []
    ec2 = ec2_backends[self.current_account][self.region]
    vpc_id = ec2.get_subnet(subnets[0]).vpc_id if subnets else None
    group = ec2.create_security_group(
        name=f"eks-cluster-sg-{cluster.name}",
        description="EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, as well as any managed workloads.",
        vpc_id=vpc_id,
    )
    vpc.setdefault("securityGroupIds", [])
    vpc["clusterSecurityGroupId"] = group.id
    vpc["vpcId"] = vpc_id
    vpc.setdefault("endpointPublicAccess", True)
    vpc.setdefault("endpointPrivateAccess", False)
    if vpc.get("endpointPublicAccess") and not vpc.get("publicAccessCidrs"):
        vpc["publicAccessCidrs"] = ["0.0.0.0/0"]
    access = self._get_param("accessConfig") or {}
    cluster.access_config = {
        "authenticationMode": access.get("authenticationMode", "CONFIG_MAP"),
    }
    cluster.upgrade_policy = self._get_param("upgradePolicy") or {"supportType": "EXTENDED"}
    return result


eks_responses.EKSResponse.create_cluster = _create_cluster_as_aws

# DescribeNodegroup: AWS returns remoteAccess only when it was requested
# (moto invents {"ec2SshKey": "eksKeypair"}: the next plan replaces the
# node group).
eks_models.DEFAULT_REMOTE_ACCESS = None


# --- EC2 -------------------------------------------------------------------
# DescribeSecurityGroupRules: AWS returns the description of a rule that
# references another security group (moto only those of CIDR rules: the
# next plan adds the description again).
sg_models.SecurityGroupRule.description = property(
    lambda rule: rule.ip_range.get("Description") or rule.source_group.get("Description")
)

# RunInstances: a block device mapping with neither size nor snapshot takes
# the AMI's snapshot, as AWS does (the admin host only asks for an encrypted
# root volume); moto refuses it with MissingParameter. 8 GiB is the root
# volume of the Amazon Linux 2023 AMI.
_validate_mapping = instance_responses.InstanceResponse._validate_block_device_mapping


def _size_from_ami(mapping):
    ebs = mapping.get("Ebs")
    if isinstance(ebs, dict) and not ebs.get("VolumeSize") and not ebs.get("SnapshotId"):
        ebs["VolumeSize"] = 8
    return _validate_mapping(mapping)


instance_responses.InstanceResponse._validate_block_device_mapping = staticmethod(_size_from_ami)

# --- CodeBuild -------------------------------------------------------------
# CreateProject: a CODEPIPELINE source or artifact takes no location (AWS:
# "If type is CODEPIPELINE, do not specify this property"); moto requires
# one and refuses the project.
_validate_source = codebuild_responses._validate_required_params_source
_validate_artifacts = codebuild_responses._validate_required_params_artifacts


def _no_location_for_codepipeline(validate):
    def check(block):
        if block.get("type") == "CODEPIPELINE" and not block.get("location"):
            return validate({**block, "location": "CODEPIPELINE"})
        return validate(block)

    return check


codebuild_responses._validate_required_params_source = _no_location_for_codepipeline(_validate_source)
codebuild_responses._validate_required_params_artifacts = _no_location_for_codepipeline(_validate_artifacts)


def _create_state_buckets(port, specs):
    for spec in specs:
        bucket, account, region = spec.split(":")
        s3 = boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{port}",
            region_name=region,
            aws_access_key_id=f"AKIA{account}MOTO",
            aws_secret_access_key="moto",
        )
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        s3.put_bucket_encryption(
            Bucket=bucket,
            ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
        )
        s3.put_public_access_block(
            Bucket=bucket,
            PublicAccessBlockConfiguration={k: True for k in ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")},
        )


def _create_account_roles(port, arns):
    """The roles an environment names as already there (admins, on-call: env.hcl),
    which npm run preflight requires to exist before any apply."""
    for arn in arns:
        account, name = re.match(r"arn:aws:iam::(\d{12}):role/(.+)$", arn).groups()
        iam = boto3.client(
            "iam",
            endpoint_url=f"http://127.0.0.1:{port}",
            region_name="us-east-1",
            aws_access_key_id=f"AKIA{account}MOTO",
            aws_secret_access_key="moto",
        )
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "sts:AssumeRole"}]}
        iam.create_role(RoleName=name.split("/")[-1], Path="/" + "".join(p + "/" for p in name.split("/")[:-1]), AssumeRolePolicyDocument=json.dumps(trust))


def main():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=int(sys.argv[1]), verbose=False)
    server.start()
    port = server.get_host_and_port()[1]
    args = sys.argv[2:]
    _create_state_buckets(port, [a for a in args if not a.startswith("arn:")])
    _create_account_roles(port, [a for a in args if a.startswith("arn:aws:iam::")])
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"listening {port}", flush=True)
    try:
        sys.stdin.read()  # until the test closes stdin or exits
    finally:
        server.stop()


if __name__ == "__main__":
    main()
