// The inventory Ingress: its render options and their errors, the rendered
// object against the Kubernetes schema and the rules it must follow, broken
// copies that must fail, and the names it shares with Terraform and the
// pipeline.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1";
import { renderManifests, resolveOptions, type K8sObject } from "../../scripts/render.ts";
import { INGRESS_FLAGS, loadBalancerName, PRIVATE_PATHS, TLS_POLICY } from "../../scripts/render/ingress.ts";
import { isBootstrap, loadTemplates } from "../../scripts/render/manifests.ts";
import { parseFile } from "../helpers/hcl.ts";
import { ingressPaths, ingressViolations, matches } from "../helpers/ingress-checks.ts";
import { baseOptions, clone, find, POLICY_FILE, ROOT, sampleIngress, usageError, variants, type Obj } from "../helpers/manifests.ts";

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const WAF = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/stockprice-prod-inventory/a1b2c3d4-e5f6-4789-8abc-def012345678";
const BASE = ["--env", "dev", "--policy", POLICY_FILE];

describe("Ingress options", () => {
  test("no scheme: no Ingress, as for a local run", () => {
    const o = resolveOptions(BASE, {}, ROOT);
    assert.equal(o.ingress, undefined);
    assert.ok(!renderManifests(o).some((x) => x.kind === "Ingress"));
  });

  test("from flags, and from the pipeline's INGRESS_* variables", () => {
    const flags = resolveOptions([...BASE, "--ingress-scheme", "internal", "--certificate-arn", CERT, "--hostname", "inventory.example.com"], {}, ROOT);
    assert.deepEqual(flags.ingress, { scheme: "internal", certificateArn: CERT, hostname: "inventory.example.com" });
    const vars = resolveOptions(BASE, { INGRESS_SCHEME: "internet-facing", INGRESS_CERTIFICATE_ARN: CERT, INGRESS_WAF_ACL_ARN: WAF }, ROOT);
    assert.deepEqual(vars.ingress, { scheme: "internet-facing", certificateArn: CERT, wafAclArn: WAF });
    // An empty variable is unset (the pipeline leaves empty ones out anyway).
    assert.equal(resolveOptions(BASE, { INGRESS_SCHEME: "internal", INGRESS_CERTIFICATE_ARN: CERT, INGRESS_HOSTNAME: "" }, ROOT).ingress?.hostname, undefined);
  });

  const bad: Array<[string, string[], Record<string, string>, string, RegExp]> = [
    ["HTTPS Ingress without a certificate", ["--ingress-scheme", "internet-facing"], {}, "--certificate-arn", /is required for the HTTPS Ingress/],
    ["scheme from the pipeline, certificate missing", [], { INGRESS_SCHEME: "internal" }, "--certificate-arn", /is required/],
    ["unknown scheme", ["--ingress-scheme", "public", "--certificate-arn", CERT], {}, "--ingress-scheme", /must be one of internet-facing \| internal, got "public"/],
    ["certificate without a scheme", ["--certificate-arn", CERT], {}, "--ingress-scheme", /is required with --certificate-arn/],
    ["not an ACM ARN", ["--ingress-scheme", "internal", "--certificate-arn", "arn:aws:iam::123456789012:server-certificate/x"], {}, "--certificate-arn", /must be an ACM certificate ARN/],
    ["certificate in another region", ["--ingress-scheme", "internal", "--certificate-arn", CERT.replace("eu-west-1", "us-east-1")], {}, "--certificate-arn", /region us-east-1 but --region is eu-west-1/],
    ["a global (CloudFront) web ACL", ["--ingress-scheme", "internal", "--certificate-arn", CERT, "--waf-acl-arn", WAF.replace("regional", "global")], {}, "--waf-acl-arn", /must be a WAFv2 web ACL ARN/],
    ["hostname with a scheme in it", ["--ingress-scheme", "internal", "--certificate-arn", CERT, "--hostname", "https://inventory.example.com"], {}, "--hostname", /must be a DNS name/],
  ];
  for (const [name, argv, env, flag, message] of bad) {
    test(`rejected: ${name}`, () => {
      const err = usageError([...BASE, ...argv], env, ROOT);
      assert.equal(err.flag, flag);
      assert.match(err.message, message);
    });
  }

  test("the CLI exits 2 naming --certificate-arn when the certificate is missing", () => {
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "render.ts"), ...BASE, "--ingress-scheme", "internet-facing", "--dry-run"], {
      env: { PATH: process.env.PATH ?? "" },
      encoding: "utf8",
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--certificate-arn is required for the HTTPS Ingress/);
  });
});

describe("the rendered Ingress", () => {
  const withIngress = variants().filter((v) => v.options.ingress);

  // Unknown fields: schema.test.ts runs the strict check on every object, the Ingress included.
  test("every variant renders one, valid against the Kubernetes schema", () => {
    assert.equal(withIngress.length, variants().length);
    for (const v of withIngress) {
      const ing = find(v.objects, "Ingress", "inventory");
      assert.doesNotThrow(() => new Ingress(ing as never).validate(), v.name);
    }
  });

  test("annotations, paths, certificate and scheme are the ones asked for", () => {
    for (const v of withIngress) assert.deepEqual(ingressViolations(v.objects, v.options.env, v.options.ingress!, PRIVATE_PATHS), [], v.name);
    const opts = baseOptions({ env: "prod", ingress: sampleIngress("internal", "eu-west-1", { wafAclArn: WAF, hostname: "inventory.example.com" }) });
    const objects = renderManifests(opts);
    assert.deepEqual(ingressViolations(objects, "prod", opts.ingress!, PRIVATE_PATHS), []);
    const a = find(objects, "Ingress", "inventory").metadata.annotations;
    assert.equal(a["alb.ingress.kubernetes.io/scheme"], "internal");
    assert.equal(a["alb.ingress.kubernetes.io/wafv2-acl-arn"], WAF);
    assert.equal(a["alb.ingress.kubernetes.io/ssl-policy"], TLS_POLICY);
    assert.equal(a["alb.ingress.kubernetes.io/load-balancer-name"], "stockprice-prod-inventory");
    assert.equal(a["alb.ingress.kubernetes.io/target-group-attributes"], "deregistration_delay.timeout_seconds=30");
    assert.equal(find(objects, "Ingress", "inventory").spec.rules[0].host, "inventory.example.com");
  });

  test("every API path of openapi.json is public, every operations path is not", () => {
    const openapi = JSON.parse(readFileSync(join(ROOT, "src", "inventory", "openapi.json"), "utf8")) as { paths: Record<string, unknown> };
    const paths = ingressPaths(find(withIngress[0].objects, "Ingress", "inventory"));
    const routed = Object.keys(openapi.paths).filter((p) => paths.some((r) => matches(r, p)));
    assert.deepEqual(routed.sort(), ["/openapi.json", "/v1/inventory"]);
    for (const p of PRIVATE_PATHS) assert.ok(p in openapi.paths, `${p} is an inventory path`);
    assert.ok(matches({ path: "/v1", pathType: "Prefix" }, "/v1/inventory") && !matches({ path: "/v1", pathType: "Prefix" }, "/v10/x"), "Prefix matches by segment");
  });

  test("the namespace (applied by the admin bootstrap) asks the controller for ALB readiness gates; the Ingress is applied before the Deployment", () => {
    const objects = withIngress[0].objects;
    const namespace = find(loadTemplates().filter((t) => isBootstrap(t.file)).flatMap((t) => t.docs), "Namespace", "stockprice");
    assert.equal(namespace.metadata.labels?.["elbv2.k8s.aws/pod-readiness-gate-inject"], "enabled");
    assert.ok(!objects.some((o) => o.kind === "Namespace"), "the pipeline's render leaves the Namespace to the bootstrap");
    const at = (kind: string) => objects.findIndex((o) => o.kind === kind);
    assert.ok(at("Service") < at("Ingress") && at("Ingress") < at("Deployment"));
  });
});

describe("broken copies fail the Ingress checks", () => {
  const v = variants()[0];
  const cases: Array<[string, (o: K8sObject[]) => void, RegExp]> = [
    ["a /metrics route", (o) => find(o, "Ingress", "inventory").spec.rules[0].http.paths.push({ path: "/metrics", pathType: "Exact", backend: { service: { name: "inventory", port: { name: "http" } } } }), /\/metrics is routed/],
    ["a catch-all / route", (o) => (find(o, "Ingress", "inventory").spec.rules[0].http.paths[0].path = "/"), /\/healthz is routed/],
    ["a missing certificate", (o) => delete find(o, "Ingress", "inventory").metadata.annotations["alb.ingress.kubernetes.io/certificate-arn"], /certificate-arn is undefined/],
    ["another scheme", (o) => (find(o, "Ingress", "inventory").metadata.annotations["alb.ingress.kubernetes.io/scheme"] = "internal"), /scheme is "internal"/],
    ["instance targets", (o) => (find(o, "Ingress", "inventory").metadata.annotations["alb.ingress.kubernetes.io/target-type"] = "instance"), /target-type/],
    ["no HTTP listener to redirect", (o) => (find(o, "Ingress", "inventory").metadata.annotations["alb.ingress.kubernetes.io/listen-ports"] = '[{"HTTPS": 443}]'), /listen-ports/],
    ["an old TLS policy", (o) => (find(o, "Ingress", "inventory").metadata.annotations["alb.ingress.kubernetes.io/ssl-policy"] = "ELBSecurityPolicy-2016-08"), /ssl-policy/],
    ["health check on /healthz", (o) => (find(o, "Ingress", "inventory").metadata.annotations["alb.ingress.kubernetes.io/healthcheck-path"] = "/healthz"), /healthcheck-path/],
    ["a default backend", (o) => (find(o, "Ingress", "inventory").spec.defaultBackend = { service: { name: "inventory", port: { name: "http" } } }), /defaultBackend/],
    ["a shutdown delay the deregistration delay no longer covers", (o) => (find(o, "ConfigMap", "inventory-env").data.SHUTDOWN_GRACE_MS = "20000"), /target-group-attributes/],
    ["a grace period shorter than the deregistration delay", (o) => (find(o, "Deployment", "inventory").spec.template.spec.terminationGracePeriodSeconds = 20), /terminationGracePeriodSeconds 20/],
    ["a keep-alive timeout below the ALB's idle timeout", (o) => delete find(o, "ConfigMap", "inventory-env").data.KEEP_ALIVE_TIMEOUT_MS, /KEEP_ALIVE_TIMEOUT_MS undefined must exceed the ALB's idle timeout \(60 s\)/],
    ["an ALB idle timeout above the keep-alive timeout", (o) => (find(o, "Ingress", "inventory").metadata.annotations["alb.ingress.kubernetes.io/load-balancer-attributes"] = "idle_timeout.timeout_seconds=120"), /KEEP_ALIVE_TIMEOUT_MS 65000 must exceed the ALB's idle timeout \(120 s\)/],
    ["a shutdown delay shorter than the health check needs", (o) => (find(o, "ConfigMap", "inventory-env").data.SHUTDOWN_DELAY_MS = "5000"), /health check takes 10 s/],
  ];
  for (const [name, breakIt, message] of cases) {
    test(name, () => {
      const broken = clone(v.objects);
      breakIt(broken);
      const problems = ingressViolations(broken, v.options.env, v.options.ingress!, PRIVATE_PATHS);
      assert.ok(problems.some((p) => message.test(p)), problems.join("\n") || "no problem reported");
    });
  }

  test("a schema break: a path without pathType", () => {
    const broken = clone(find(v.objects, "Ingress", "inventory"));
    delete broken.spec.rules[0].http.paths[0].pathType;
    assert.throws(() => new Ingress(broken as never).validate(), /pathType/);
  });
});

describe("names shared with Terraform and the pipeline", () => {
  test("the ALB name is the one the edge unit looks up, in every environment", async () => {
    const edge = readFileSync(join(ROOT, "live", "_envcommon", "edge.hcl"), "utf8");
    assert.match(edge, /load_balancer_name = "\$\{local\.env\.name\}-inventory"/);
    for (const env of ["dev", "prod"]) {
      const locals = (await parseFile(join(ROOT, "live", env, "env.hcl"))).locals[0];
      assert.equal(`${locals.name}-inventory`, loadBalancerName(env));
      assert.ok(loadBalancerName(env).length <= 32, "ELB names are at most 32 characters");
    }
  });

  test("the pipeline sets every INGRESS_* variable the render step reads, and the buildspec asks for the Ingress", async () => {
    const tf = (await parseFile(join(ROOT, "modules", "pipeline", "ingress.tf"))) as Obj;
    const expr = JSON.stringify(tf.locals[0].ingress_variables);
    for (const f of Object.values(INGRESS_FLAGS)) assert.ok(expr.includes(f.envVars[0]), `${f.envVars[0]} not set by modules/pipeline`);
    const buildspec = readFileSync(join(ROOT, "buildspec.yml"), "utf8");
    assert.match(buildspec, /--ingress-scheme "\$INGRESS_SCHEME"/);
    assert.match(buildspec, /--certificate-arn "\$INGRESS_CERTIFICATE_ARN"/);
  });

  test("the Ingress names the IngressClass the release creates", async () => {
    const outputs = (await parseFile(join(ROOT, "modules", "lb-controller-release", "outputs.tf"))) as Obj;
    assert.equal(outputs.output.ingress_class[0].value, find(variants()[0].objects, "Ingress", "inventory").spec.ingressClassName);
  });
});
