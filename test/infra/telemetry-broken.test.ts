// Each telemetry check is seen to fail: a copy of the repository is broken in
// one place per case and the check must report it.

import { join } from "node:path";
import { test } from "node:test";
import { assertBreakReported, edit } from "../helpers/break.ts";
import { ROOT } from "../helpers/infra-checks.ts";
import { awsLoggingProblems, metricTieProblems, nameTieProblems, render, retentionAndActionProblems, spotFluentBitProblems } from "../helpers/telemetry-checks.ts";
import { clusterName, telemetryNames } from "../../scripts/render/telemetry.ts";

const groups = telemetryNames(clusterName("dev")).logGroups;
const logging = (d: string) => awsLoggingProblems(render(d), groups);
const spot = (d: string) => spotFluentBitProblems(render(d), groups);
const AWS_LOGGING = "telemetry/aws-observability.yaml";

const cases: Array<[string, (dir: string) => void, (dir: string) => Promise<unknown[]> | unknown[]]> = [
  ["aws-logging in another namespace", (d) => edit(join(d, AWS_LOGGING), "  namespace: aws-observability\n", "  namespace: kube-system\n"), logging],
  ["aws-logging with a key Fargate does not read", (d) => edit(join(d, AWS_LOGGING), '  flb_log_cw: "false"\n', '  flb_log_cw: "false"\n  fluent-bit.conf: x\n'), logging],
  ["aws-logging over 5300 characters", (d) => edit(join(d, AWS_LOGGING), "    [FILTER]\n", `    [FILTER]\n        # ${"x".repeat(5300)}\n`), logging],
  ["an [INPUT] section on Fargate", (d) => edit(join(d, AWS_LOGGING), "  filters.conf: |\n", "  filters.conf: |\n    [INPUT]\n        Name tail\n"), logging],
  ["a filter Fargate does not support", (d) => edit(join(d, AWS_LOGGING), "        Name parser\n", "        Name lua\n"), logging],
  ["a parser that loses the JSON line", (d) => edit(join(d, AWS_LOGGING), "(?<log>.*)$", "(?<log>\\S*)$"), logging],
  ["the whole CRI line shipped (no log_key)", (d) => edit(join(d, AWS_LOGGING), "        log_key log\n", ""), logging],
  ["a log group auto-created without retention", (d) => edit(join(d, AWS_LOGGING), "        auto_create_group false", "        auto_create_group true"), logging],
  ["a service sent to a group Terraform does not create", (d) => edit(join(d, AWS_LOGGING), "${INVENTORY_LOG_GROUP}", "/stockprice-dev/api"), logging],
  ["a Match that catches every pod", (d) => edit(join(d, AWS_LOGGING), "kube.var.log.containers.pricing-*_${SERVICE_NAMESPACE}_pricing-*", "kube.*"), logging],
  ["Spot Fluent Bit tailing every container", (d) => edit(join(d, "telemetry/fluent-bit.yaml"), "/var/log/containers/pricing-*_${SERVICE_NAMESPACE}_pricing-*.log", "/var/log/containers/*.log"), spot],
  ["Spot Fluent Bit without the taint's toleration", (d) => edit(join(d, "telemetry/fluent-bit.yaml"), "          effect: NoSchedule\n", "          effect: NoExecute\n"), spot],
  ["Terraform renames the service log groups", (d) => edit(join(d, "modules/observability/main.tf"), 's => "/${var.name_prefix}/${s}"', 's => "/${var.name_prefix}/logs/${s}"'), nameTieProblems],
  ["live env name other than stockprice-<env>", (d) => edit(join(d, "live/prod/env.hcl"), '"stockprice-prod"', '"stockprice-production"'), nameTieProblems],
  ["log groups prefixed by something else than the cluster's name", (d) => edit(join(d, "live/_envcommon/observability.hcl"), "name_prefix       = dependency.eks.outputs.cluster_name", "name_prefix       = local.env.env"), nameTieProblems],
  ["the Fargate role's grant missing the service groups", (d) => edit(join(d, "modules/eks/logging.tf"), "log-group:/${var.cluster_name}/*", "log-group:/aws/eks/${var.cluster_name}/*"), nameTieProblems],
  ["the collector's Fargate profile selecting another label", (d) => edit(join(d, "modules/eks/fargate.tf"), '"app.kubernetes.io/name" = "metrics-collector"', '"app.kubernetes.io/name" = "collector"'), nameTieProblems],
  ["another metrics namespace in Terraform", (d) => edit(join(d, "modules/observability/variables.tf"), 'default     = "Stockprice"', 'default     = "StockPrice"'), metricTieProblems],
  ["an alarm on a metric no service exports", (d) => edit(join(d, "modules/observability/alarms.tf"), '"pricing_poison_total"', '"pricing_poisoned_total"'), metricTieProblems],
  ["a metric the collector does not send", (d) => edit(join(d, "telemetry/collector.yaml"), '"^pricing_priced_total$"', '"^pricing_prices_total$"'), metricTieProblems],
  ["a build log group without retention", (d) => edit(join(d, "modules/pipeline/logs.tf"), /  retention_in_days = var.log_retention_days\n/, ""), retentionAndActionProblems],
  ["a queue alarm without OK actions", (d) => edit(join(d, "modules/alarms/sqs-alarms.tf"), /  ok_actions          = \[aws_sns_topic\.this\["alerts"\]\.arn\]\n/, ""), retentionAndActionProblems],
];

for (const [name, breakIt, check] of cases) {
  test(`telemetry check fails on ${name}`, () => assertBreakReported(ROOT, ["modules", "live", "telemetry"], name, breakIt, check));
}
