// What the apply tier leaves out, by module: only resources whose AWS API
// moto 5.2.1 (test/apply/requirements.txt) does not implement, and the
// resources that cannot be created without them. Everything else of each
// unit is applied (`-target` of the rest). docs/deploy-aws.md shows this
// table under "Proven only in a real account"; the apply test prints it
// and fails when the page and this list disagree.

export interface LeftOut {
  /** Resource address in the module, as `-target` takes it ("aws_eks_addon.this"). */
  resource: string;
  /** The AWS API moto lacks ("eks:CreateAddon"), or what the resource needs that is left out. */
  api: string;
  /** What moto answers, or why the resource goes with another. */
  why: string;
}

const NOT_IMPLEMENTED = (action: string) => `HTTP 500, "NotImplementedError: The ${action} action has not been implemented"`;
const NO_ROUTE = (path: string) => `HTTP 404 for ${path} (no such route in moto's EKS)`;

export const LEFT_OUT: Record<string, LeftOut[]> = {
  alarms: [
    { resource: "aws_budgets_budget.monthly", api: "budgets:DescribeSubscribersForNotification", why: NOT_IMPLEMENTED("describe_subscribers_for_notification") },
  ],
  eks: [
    { resource: "aws_eks_addon.this", api: "eks:DescribeAddonVersions, eks:CreateAddon", why: NO_ROUTE("/addons/supported-versions and /clusters/NAME/addons") },
    { resource: "aws_eks_node_group.pricing", api: "eks:CreateAddon (through depends_on)", why: "waits for the vpc-cni and kube-proxy add-ons (depends_on), which are left out" },
    { resource: "aws_eks_access_entry.admin", api: "eks:CreateAccessEntry", why: NO_ROUTE("/clusters/NAME/access-entries") },
    { resource: "aws_eks_access_entry.oncall", api: "eks:CreateAccessEntry", why: NO_ROUTE("/clusters/NAME/access-entries") },
    { resource: "aws_eks_access_policy_association.admin", api: "eks:AssociateAccessPolicy", why: NO_ROUTE("/clusters/NAME/access-entries/ARN/access-policies") },
    { resource: "aws_eks_access_policy_association.oncall", api: "eks:AssociateAccessPolicy", why: NO_ROUTE("/clusters/NAME/access-entries/ARN/access-policies") },
  ],
  observability: [
    { resource: "aws_cloudwatch_query_definition.this", api: "logs:PutQueryDefinition, logs:DescribeQueryDefinitions", why: NOT_IMPLEMENTED("put_query_definition") },
  ],
  pipeline: [
    { resource: "aws_codeconnections_connection.this", api: "codeconnections:CreateConnection", why: "moto has no CodeConnections service: HTTP 500, no backend answers the request" },
    { resource: "aws_codepipeline.this", api: "codeconnections:CreateConnection (through its source action)", why: "its source action names the connection's ARN, which is left out" },
    { resource: "aws_iam_role_policy.codepipeline", api: "codeconnections:CreateConnection (through its policy)", why: "its policy names the connection's ARN (codeconnections:UseConnection), which is left out" },
    { resource: "aws_eks_access_entry.deploy", api: "eks:CreateAccessEntry", why: NO_ROUTE("/clusters/NAME/access-entries") },
    { resource: "aws_eks_access_policy_association.deploy", api: "eks:AssociateAccessPolicy", why: NO_ROUTE("/clusters/NAME/access-entries/ARN/access-policies") },
  ],
};
