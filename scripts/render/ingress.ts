// The inventory Ingress: its render options (scheme, ACM certificate, optional
// WAF web ACL and hostname), their validation, and the settings derived from
// the rest of the manifests (the deregistration delay from the shutdown
// timings in the inventory ConfigMap).
//
// The Ingress is rendered when a scheme is given (--ingress-scheme or
// INGRESS_SCHEME; the pipeline always sets it). An HTTPS listener needs a
// certificate, so a scheme without --certificate-arn is an error, never an
// Ingress without TLS.

import { STOP_SETTINGS, stopBoundMs, type StopSetting } from "../../src/inventory/config.ts";
import type { K8sObject } from "./k8s.ts";

export const INGRESS_SCHEMES = ["internet-facing", "internal"] as const;
export type IngressScheme = (typeof INGRESS_SCHEMES)[number];

export interface IngressOptions {
  scheme: IngressScheme;
  certificateArn: string;
  /** WAFv2 web ACL (REGIONAL) the controller attaches to the ALB. */
  wafAclArn?: string;
  /** Host rule; without it the ALB answers any Host header. */
  hostname?: string;
}

/** The template that is rendered only with an Ingress scheme. */
export const INGRESS_TEMPLATE = "inventory/ingress.yaml";

/**
 * AWS's recommended ALB policy (the console default): TLS 1.3 and 1.2 with
 * restricted ciphers and hybrid post-quantum key exchange.
 */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";

/** What the ALB forwards to inventory; everything else gets its 404. */
export const PUBLIC_PATHS = [
  { path: "/v1", pathType: "Prefix" },
  { path: "/openapi.json", pathType: "Exact" },
] as const;

/** Never routed: metrics and probes stay inside the cluster. */
export const PRIVATE_PATHS = ["/metrics", "/healthz", "/readyz"];

export const HEALTH_CHECK_PATH = "/readyz";

/** The ALB's name; modules/edge looks it up by this name for the DNS record. */
export function loadBalancerName(env: string): string {
  return `stockprice-${env}-inventory`;
}

/**
 * Seconds the ALB keeps a deregistered pod's in-flight requests: as long as
 * the pod may still be finishing them, its whole stop (stopBoundMs: still
 * serving while the ALB stops sending, then finishing and flushing), from
 * `read`, which gives each of STOP_SETTINGS as the ConfigMap sets it.
 */
export function deregistrationDelaySeconds(read: (name: StopSetting) => number): number {
  return Math.ceil(stopBoundMs(Object.fromEntries(STOP_SETTINGS.map((k) => [k, read(k)])) as Record<StopSetting, number>) / 1000);
}

/** Throws the caller's usage error naming the flag. */
export type Fail = (flag: string, message: string) => never;

export const INGRESS_FLAGS = {
  ingressScheme: { flag: "--ingress-scheme", envVars: ["INGRESS_SCHEME"], allowed: `${INGRESS_SCHEMES.join(" | ")} (renders the Ingress)` },
  certificateArn: { flag: "--certificate-arn", envVars: ["INGRESS_CERTIFICATE_ARN"], allowed: "an ACM certificate ARN arn:aws:acm:REGION:ACCOUNT:certificate/ID in --region" },
  wafAclArn: { flag: "--waf-acl-arn", envVars: ["INGRESS_WAF_ACL_ARN"], allowed: "a WAFv2 web ACL ARN arn:aws:wafv2:REGION:ACCOUNT:regional/webacl/NAME/ID (optional)" },
  hostname: { flag: "--hostname", envVars: ["INGRESS_HOSTNAME"], allowed: "a DNS name such as inventory.example.com (optional)" },
} as const;

type IngressKey = keyof typeof INGRESS_FLAGS;

const CERT_ARN = /^arn:aws(?:-cn|-us-gov)?:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/;
const WAF_ARN = /^arn:aws(?:-cn|-us-gov)?:wafv2:([a-z0-9-]+):\d{12}:regional\/webacl\/[\w-]{1,128}\/[0-9a-f-]{36}$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function inRegion(key: IngressKey, pattern: RegExp, raw: string, region: string, fail: Fail): string {
  const f = INGRESS_FLAGS[key];
  const m = pattern.exec(raw);
  if (!m) fail(f.flag, `must be ${f.allowed}, got "${raw}"`);
  // The ALB only takes a certificate and a web ACL from its own region.
  if (m[1] !== region) fail(f.flag, `is in region ${m[1]} but --region is ${region}`);
  return raw;
}

/**
 * The Ingress options from the resolved flag/variable values (undefined =
 * unset). No scheme: no Ingress, and then the other three must be unset too.
 */
export function resolveIngress(value: (key: IngressKey) => string | undefined, region: string, fail: Fail): IngressOptions | undefined {
  const scheme = value("ingressScheme");
  const cert = value("certificateArn");
  const waf = value("wafAclArn");
  const hostname = value("hostname");
  if (scheme === undefined) {
    const given = (["certificateArn", "wafAclArn", "hostname"] as const).filter((k) => value(k) !== undefined);
    if (given.length > 0) {
      fail(INGRESS_FLAGS.ingressScheme.flag, `is required with ${given.map((k) => INGRESS_FLAGS[k].flag).join(", ")} (${INGRESS_FLAGS.ingressScheme.allowed})`);
    }
    return undefined;
  }
  if (!INGRESS_SCHEMES.includes(scheme as IngressScheme)) {
    fail(INGRESS_FLAGS.ingressScheme.flag, `must be one of ${INGRESS_SCHEMES.join(" | ")}, got "${scheme}"`);
  }
  if (cert === undefined) {
    fail(INGRESS_FLAGS.certificateArn.flag, `is required for the HTTPS Ingress (${INGRESS_FLAGS.certificateArn.allowed}; or set INGRESS_CERTIFICATE_ARN)`);
  }
  if (hostname !== undefined && !HOSTNAME.test(hostname)) {
    fail(INGRESS_FLAGS.hostname.flag, `must be ${INGRESS_FLAGS.hostname.allowed}, got "${hostname}"`);
  }
  return {
    scheme: scheme as IngressScheme,
    certificateArn: inRegion("certificateArn", CERT_ARN, cert, region, fail),
    ...(waf === undefined ? {} : { wafAclArn: inRegion("wafAclArn", WAF_ARN, waf, region, fail) }),
    ...(hostname === undefined ? {} : { hostname }),
  };
}

/** The template's ${PLACEHOLDERS} for the Ingress. */
export function ingressValues(env: string, ingress: IngressOptions): Record<string, string> {
  return {
    INGRESS_LOAD_BALANCER_NAME: loadBalancerName(env),
    INGRESS_SCHEME: ingress.scheme,
    INGRESS_CERTIFICATE_ARN: ingress.certificateArn,
  };
}

type Obj = Record<string, any>;

/**
 * Completes the rendered Ingress: the deregistration delay from the inventory
 * ConfigMap's stop timings (STOP_SETTINGS), and the optional web ACL and host rule.
 */
export function finishIngress(objects: K8sObject[], ingress: IngressOptions): void {
  const ing = objects.find((o) => o.kind === "Ingress" && o.metadata.name === "inventory") as Obj | undefined;
  const env = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === "inventory-env") as Obj | undefined;
  if (!ing || !env) throw new Error("the Ingress needs Ingress/inventory and ConfigMap/inventory-env in manifests/");
  const ms = (name: string): number => {
    const v = Number(env.data?.[name]);
    if (!Number.isInteger(v) || v < 0) throw new Error(`ConfigMap/inventory-env: ${name} must be a whole number of milliseconds, got ${env.data?.[name]}`);
    return v;
  };
  const delay = deregistrationDelaySeconds(ms);
  const annotations = ing.metadata.annotations as Record<string, string>;
  annotations["alb.ingress.kubernetes.io/target-group-attributes"] = `deregistration_delay.timeout_seconds=${delay}`;
  if (ingress.wafAclArn !== undefined) annotations["alb.ingress.kubernetes.io/wafv2-acl-arn"] = ingress.wafAclArn;
  if (ingress.hostname !== undefined) for (const rule of ing.spec.rules as Obj[]) rule.host = ingress.hostname;
}
