# Who may call the Kubernetes API from inside the VPC: the pipeline's EKS
# deploy action (always: its compute runs in the private subnets, the only
# route to a private endpoint), and people through the Session Manager host.

resource "aws_security_group" "deploy" {
  name        = "${var.cluster_name}-deploy"
  description = "CodePipeline EKS deploy action: HTTPS out to the cluster API and AWS, nothing in"
  vpc_id      = var.vpc_id

  egress {
    description = "HTTPS to the cluster API, and S3, ECR and logs through the NAT gateway"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "api_from_deploy" {
  security_group_id            = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
  referenced_security_group_id = aws_security_group.deploy.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  description                  = "Kubernetes API from the EKS deploy action of the pipeline"
}

# How people reach a private API endpoint (prod): an SSM Session Manager
# host in a private subnet. No SSH, no inbound port, no public address:
#
#   aws ssm start-session --target <admin_host_instance_id> \
#     --document-name AWS-StartPortForwardingSessionToRemoteHost \
#     --parameters host=<endpoint host>,portNumber=443,localPortNumber=8443
#
# then kubectl with --server https://127.0.0.1:8443 --tls-server-name
# <endpoint host> (docs/deploy-aws.md). Who may do so is decided by IAM
# (ssm:StartSession on the instance) and by cluster_admin_arns.

data "aws_ssm_parameter" "admin_host_ami" {
  count = var.admin_host ? 1 : 0

  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

resource "aws_iam_instance_profile" "admin_host" {
  count = var.admin_host ? 1 : 0

  name = "${var.cluster_name}-admin-host"
  role = aws_iam_role.this["admin-host"].name
  tags = var.tags
}

resource "aws_security_group" "admin_host" {
  count = var.admin_host ? 1 : 0

  name        = "${var.cluster_name}-admin-host"
  description = "Session Manager host: HTTPS out (SSM, the Kubernetes API), nothing in"
  vpc_id      = var.vpc_id

  egress {
    description = "HTTPS to Session Manager and the cluster API"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "api_from_admin_host" {
  count = var.admin_host ? 1 : 0

  security_group_id            = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
  referenced_security_group_id = aws_security_group.admin_host[0].id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  description                  = "Kubernetes API from the Session Manager host"
}

resource "aws_instance" "admin_host" {
  count = var.admin_host ? 1 : 0

  ami                    = nonsensitive(data.aws_ssm_parameter.admin_host_ami[0].value)
  instance_type          = "t3.micro"
  subnet_id              = var.private_subnet_ids[0]
  iam_instance_profile   = aws_iam_instance_profile.admin_host[0].name
  vpc_security_group_ids = [aws_security_group.admin_host[0].id]

  metadata_options {
    http_tokens = "required"
  }

  root_block_device {
    encrypted = true
  }

  tags = merge(var.tags, { Name = "${var.cluster_name}-admin-host" })

  # A newer AMI is picked up by replacing the host on purpose, not on every plan.
  lifecycle {
    ignore_changes = [ami]
  }
}

# People (roles) who administer the cluster through the API.
resource "aws_eks_access_entry" "admin" {
  for_each = toset(var.cluster_admin_arns)

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value
  type          = "STANDARD"
  tags          = var.tags
}

resource "aws_eks_access_policy_association" "admin" {
  for_each = toset(var.cluster_admin_arns)

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value
  policy_arn    = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  access_scope {
    type = "cluster"
  }

  depends_on = [aws_eks_access_entry.admin]
}
