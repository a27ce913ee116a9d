// What the rendered inventory Ingress must be, as a function that returns the
// list of violations (empty when fine), so the tests can run it on every
// variant and on deliberately broken copies.

import type { K8sObject } from "../../scripts/render.ts";
import { deregistrationDelaySeconds, HEALTH_CHECK_PATH, type IngressOptions, loadBalancerName, PUBLIC_PATHS, TLS_POLICY } from "../../scripts/render/ingress.ts";
import type { Obj } from "./manifests.ts";

const A = "alb.ingress.kubernetes.io/";

/** Whether an Ingress path rule sends `path` to a backend (Kubernetes semantics). */
export function matches(rule: { path: string; pathType: string }, path: string): boolean {
  if (rule.pathType === "Exact") return path === rule.path;
  // Prefix: element-wise on "/"-separated segments; a trailing "/" is ignored.
  const want = rule.path.split("/").filter(Boolean);
  const have = path.split("/").filter(Boolean);
  return want.every((seg, i) => have[i] === seg);
}

export function ingressPaths(ing: Obj): Array<{ path: string; pathType: string; service?: string; port?: string | number }> {
  return ((ing.spec?.rules ?? []) as Obj[]).flatMap((r) =>
    ((r.http?.paths ?? []) as Obj[]).map((p) => ({ path: p.path, pathType: p.pathType, service: p.backend?.service?.name, port: p.backend?.service?.port?.name ?? p.backend?.service?.port?.number })),
  );
}

function ms(cm: Obj | undefined, key: string): number {
  return Number(cm?.data?.[key]);
}

/** Violations of the Ingress rules for the options the render was given. */
export function ingressViolations(objects: readonly K8sObject[], env: string, want: IngressOptions, privatePaths: readonly string[]): string[] {
  const out: string[] = [];
  const ing = objects.find((o) => o.kind === "Ingress" && o.metadata.name === "inventory") as Obj | undefined;
  if (!ing) return ["no Ingress/inventory rendered"];
  const a = (ing.metadata?.annotations ?? {}) as Record<string, string>;
  const expect = (key: string, value: string | undefined) => {
    if (a[A + key] !== value) out.push(`annotation ${A + key} is ${JSON.stringify(a[A + key])}, want ${JSON.stringify(value)}`);
  };

  if (ing.spec?.ingressClassName !== "alb") out.push(`ingressClassName ${ing.spec?.ingressClassName}, want alb (the controller's IngressClass)`);
  if (ing.spec?.defaultBackend) out.push("a defaultBackend would send every unmatched path (/metrics, ...) to a service");
  expect("scheme", want.scheme);
  expect("target-type", "ip");
  expect("certificate-arn", want.certificateArn);
  expect("ssl-policy", TLS_POLICY);
  expect("ssl-redirect", "443");
  expect("healthcheck-path", HEALTH_CHECK_PATH);
  expect("load-balancer-name", loadBalancerName(env));
  expect("wafv2-acl-arn", want.wafAclArn);
  let ports: unknown;
  try {
    ports = JSON.parse(a[A + "listen-ports"] ?? "null");
  } catch {
    ports = null;
  }
  if (JSON.stringify(ports) !== JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }])) out.push(`listen-ports ${a[A + "listen-ports"]}, want HTTP 80 (redirected) and HTTPS 443`);

  // Routes: exactly the public paths, to the inventory Service's named port;
  // the host rule only when asked for.
  const paths = ingressPaths(ing);
  const got = paths.map((p) => `${p.pathType} ${p.path}`).sort();
  const expected = PUBLIC_PATHS.map((p) => `${p.pathType} ${p.path}`).sort();
  if (JSON.stringify(got) !== JSON.stringify(expected)) out.push(`paths ${got.join(", ")}, want exactly ${expected.join(", ")}`);
  for (const p of paths) if (p.service !== "inventory" || p.port !== "http") out.push(`path ${p.path} goes to ${p.service}:${p.port}, want inventory:http`);
  for (const priv of privatePaths) if (paths.some((p) => matches(p, priv))) out.push(`${priv} is routed to inventory; it must never be public`);
  for (const r of (ing.spec?.rules ?? []) as Obj[]) if (r.host !== want.hostname) out.push(`rule host ${r.host}, want ${want.hostname}`);

  // Draining: the ALB keeps a deregistered pod's requests as long as the pod
  // may serve them, and the pod lives that long.
  const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === "inventory-env") as Obj | undefined;
  const dep = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "inventory") as Obj | undefined;
  const delay = deregistrationDelaySeconds((k) => ms(cm, k));
  expect("target-group-attributes", `deregistration_delay.timeout_seconds=${delay}`);
  const grace = dep?.spec?.template?.spec?.terminationGracePeriodSeconds;
  if (!(typeof grace === "number" && grace > delay)) out.push(`terminationGracePeriodSeconds ${grace} must exceed the deregistration delay ${delay}`);
  // The ALB closes idle connections before the pod does: a pod closing one
  // first races with the ALB reusing it, and the ALB answers that with 502.
  const attributes = Object.fromEntries((a[A + "load-balancer-attributes"] ?? "").split(",").map((kv) => kv.trim().split("=")));
  const idleS = Number(attributes["idle_timeout.timeout_seconds"] ?? 60);
  if (!(ms(cm, "KEEP_ALIVE_TIMEOUT_MS") > idleS * 1000)) out.push(`KEEP_ALIVE_TIMEOUT_MS ${cm?.data?.KEEP_ALIVE_TIMEOUT_MS} must exceed the ALB's idle timeout (${idleS} s)`);
  // Even if deregistration were slow, /readyz at 503 takes the pod out of the
  // target group (interval x unhealthy threshold) before it stops accepting.
  const outAfter = Number(a[A + "healthcheck-interval-seconds"]) * Number(a[A + "unhealthy-threshold-count"]);
  if (!(outAfter * 1000 <= ms(cm, "SHUTDOWN_DELAY_MS"))) out.push(`health check takes ${outAfter} s to fail a draining pod, longer than SHUTDOWN_DELAY_MS`);
  return out;
}
