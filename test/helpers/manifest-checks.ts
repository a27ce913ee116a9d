// The rules the rendered manifests must follow, as functions that return the
// list of violations (empty when fine). The tests run them on every rendered
// variant and on deliberately broken copies, so each rule is shown to fail.

import { parseEnv, type Spec } from "../../src/shared/config/parse.ts";
import { imageVersion } from "../../scripts/render/options.ts";
import type { K8sObject } from "../../scripts/render.ts";
import type { Obj } from "./manifests.ts";

export const RECOMMENDED_LABELS = [
  "app.kubernetes.io/name",
  "app.kubernetes.io/component",
  "app.kubernetes.io/part-of",
  "app.kubernetes.io/version",
  "app.kubernetes.io/managed-by",
];
/** Labels that never change for a workload: the only ones allowed in selectors. */
export const STABLE_LABELS = ["app.kubernetes.io/name", "app.kubernetes.io/part-of"];

export const MAX_CPU_REQUEST_MILLI = 250;
export const MAX_MEMORY_REQUEST_BYTES = 256 * 1024 * 1024;
export const RUN_AS_USER = 65532;

const SUFFIX: Record<string, number> = {
  "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4,
};

/** A Kubernetes quantity ("250m", "0.25", "256Mi", "1G") as a number of units. */
export function quantity(q: unknown): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(q));
  if (!m) return Number.NaN;
  return Number(m[1]) * SUFFIX[m[2] ?? ""];
}

function labelsOf(o: Obj | undefined): Record<string, string> {
  return (o?.metadata?.labels ?? {}) as Record<string, string>;
}

/** Restricted Pod Security Standard, plus the project's own pod rules. */
export function podViolations(workload: Obj): string[] {
  const where = `${workload.kind}/${workload.metadata?.name}`;
  const out: string[] = [];
  const pod = workload.spec?.template?.spec as Obj | undefined;
  if (!pod) return [`${where}: no pod template`];
  const psc = (pod.securityContext ?? {}) as Obj;

  if (psc.runAsNonRoot !== true) out.push(`${where}: securityContext.runAsNonRoot must be true`);
  if (psc.runAsUser !== RUN_AS_USER) out.push(`${where}: securityContext.runAsUser must be ${RUN_AS_USER}`);
  for (const f of ["hostNetwork", "hostPID", "hostIPC"]) if (pod[f] === true) out.push(`${where}: ${f} is not allowed`);

  const allowedVolumes = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
  const volumes = (pod.volumes ?? []) as Obj[];
  for (const v of volumes) {
    const type = Object.keys(v).find((k) => k !== "name");
    if (!type || !allowedVolumes.includes(type)) out.push(`${where}: volume ${v.name} of type ${type} is not allowed`);
  }

  const containers = [...((pod.initContainers ?? []) as Obj[]), ...((pod.containers ?? []) as Obj[])];
  if (containers.length === 0) out.push(`${where}: no containers`);
  for (const c of containers) {
    const cw = `${where} container ${c.name}`;
    const sc = (c.securityContext ?? {}) as Obj;
    const seccomp = (sc.seccompProfile ?? psc.seccompProfile) as Obj | undefined;
    if (seccomp?.type !== "RuntimeDefault") out.push(`${cw}: seccompProfile.type must be RuntimeDefault`);
    if (sc.runAsNonRoot === false || sc.runAsUser === 0) out.push(`${cw}: must not run as root`);
    if (sc.privileged === true) out.push(`${cw}: privileged is not allowed`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${cw}: allowPrivilegeEscalation must be false`);
    if (sc.readOnlyRootFilesystem !== true) out.push(`${cw}: readOnlyRootFilesystem must be true`);
    const caps = (sc.capabilities ?? {}) as Obj;
    if (!Array.isArray(caps.drop) || !caps.drop.includes("ALL")) out.push(`${cw}: capabilities.drop must include ALL`);
    for (const add of (caps.add ?? []) as string[]) if (add !== "NET_BIND_SERVICE") out.push(`${cw}: capability ${add} may not be added`);
    for (const p of (c.ports ?? []) as Obj[]) if (p.hostPort) out.push(`${cw}: hostPort is not allowed`);

    // Somewhere writable for the runtime: an emptyDir at /tmp.
    const tmp = ((c.volumeMounts ?? []) as Obj[]).find((m) => m.mountPath === "/tmp");
    const tmpVolume = tmp && volumes.find((v) => v.name === tmp.name);
    if (!tmpVolume?.emptyDir) out.push(`${cw}: needs an emptyDir volume mounted at /tmp`);

    // Resources: requests and limits for cpu and memory, within the smallest Fargate pod.
    const r = (c.resources ?? {}) as Obj;
    for (const kind of ["requests", "limits"]) {
      for (const res of ["cpu", "memory"]) {
        if (r[kind]?.[res] === undefined) out.push(`${cw}: resources.${kind}.${res} is missing`);
        else if (Number.isNaN(quantity(r[kind][res]))) out.push(`${cw}: resources.${kind}.${res} "${r[kind][res]}" is not a quantity`);
      }
    }
    if (quantity(r.requests?.cpu) * 1000 > MAX_CPU_REQUEST_MILLI) out.push(`${cw}: cpu request ${r.requests?.cpu} is above ${MAX_CPU_REQUEST_MILLI}m`);
    if (quantity(r.requests?.memory) > MAX_MEMORY_REQUEST_BYTES) out.push(`${cw}: memory request ${r.requests?.memory} is above 256Mi`);
    for (const res of ["cpu", "memory"]) {
      if (quantity(r.limits?.[res]) < quantity(r.requests?.[res])) out.push(`${cw}: ${res} limit is below its request`);
    }
  }

  for (const c of (pod.containers ?? []) as Obj[]) {
    const cw = `${where} container ${c.name}`;
    const ports = (c.ports ?? []) as Obj[];
    for (const [probe, path] of [["livenessProbe", "/healthz"], ["readinessProbe", "/readyz"]] as const) {
      const get = c[probe]?.httpGet as Obj | undefined;
      if (!get) {
        out.push(`${cw}: ${probe} must be an httpGet probe`);
        continue;
      }
      if (get.path !== path) out.push(`${cw}: ${probe} must GET ${path}, not ${get.path}`);
      if (!ports.some((p) => p.name === get.port || p.containerPort === get.port)) out.push(`${cw}: ${probe} port ${get.port} is not a container port`);
    }
    const startup = c.startupProbe?.httpGet as Obj | undefined;
    if (startup && !ports.some((p) => p.name === startup.port || p.containerPort === startup.port)) out.push(`${cw}: startupProbe port ${startup.port} is not a container port`);
  }
  return out;
}

/** Labels, selector and version of a workload. */
export function labelViolations(workload: Obj): string[] {
  const where = `${workload.kind}/${workload.metadata?.name}`;
  const out: string[] = [];
  const template = workload.spec?.template as Obj | undefined;
  const podLabels = labelsOf(template);
  const selector = (workload.spec?.selector ?? {}) as Obj;
  const match = (selector.matchLabels ?? {}) as Record<string, string>;
  if (Object.keys(match).length === 0) out.push(`${where}: selector.matchLabels is empty`);
  if (selector.matchExpressions) out.push(`${where}: selector.matchExpressions is not used by this project`);
  for (const [k, v] of Object.entries(match)) {
    if (podLabels[k] !== v) out.push(`${where}: selector ${k}=${v} does not match the pod template (${podLabels[k]})`);
    if (!STABLE_LABELS.includes(k)) out.push(`${where}: selector uses ${k}, which is not a stable label`);
  }
  for (const l of RECOMMENDED_LABELS) {
    if (!podLabels[l]) out.push(`${where}: pod template lacks label ${l}`);
    if (!labelsOf(workload)[l]) out.push(`${where}: lacks label ${l}`);
  }
  const images = ((template?.spec?.containers ?? []) as Obj[]).map((c) => String(c.image));
  for (const image of images) {
    let version: string | undefined;
    try {
      version = imageVersion(image);
    } catch {
      out.push(`${where}: image "${image}" is not an image reference`);
      continue;
    }
    if (podLabels["app.kubernetes.io/version"] !== version) out.push(`${where}: pod label app.kubernetes.io/version is not the image tag ${version}`);
    if (labelsOf(workload)["app.kubernetes.io/version"] !== version) out.push(`${where}: label app.kubernetes.io/version is not the image tag ${version}`);
  }
  return out;
}

/** Whether `selector` (matchLabels) picks the pods of `workload`. */
export function selects(selector: Record<string, string> | undefined, workload: Obj): boolean {
  const podLabels = labelsOf(workload.spec?.template);
  return !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => podLabels[k] === v);
}

/** The environment a workload's single container starts with: envFrom ConfigMaps, then env. */
export function effectiveEnv(workload: Obj, objects: readonly K8sObject[]): { env: Map<string, string>; problems: string[] } {
  const where = `${workload.kind}/${workload.metadata?.name}`;
  const env = new Map<string, string>();
  const problems: string[] = [];
  const containers = (workload.spec?.template?.spec?.containers ?? []) as Obj[];
  if (containers.length !== 1) problems.push(`${where}: expected one container, found ${containers.length}`);
  const c = containers[0] ?? {};
  for (const from of (c.envFrom ?? []) as Obj[]) {
    const name = from.configMapRef?.name as string | undefined;
    if (!name) {
      problems.push(`${where}: envFrom other than configMapRef is not used by this project`);
      continue;
    }
    const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === name) as Obj | undefined;
    if (!cm) {
      problems.push(`${where}: envFrom refers to ConfigMap ${name}, which is not rendered`);
      continue;
    }
    if (from.prefix) problems.push(`${where}: envFrom prefix is not used by this project`);
    for (const [k, v] of Object.entries((cm.data ?? {}) as Record<string, unknown>)) env.set(k, String(v));
  }
  for (const e of (c.env ?? []) as Obj[]) {
    if (typeof e.value === "string") env.set(e.name, e.value);
    else problems.push(`${where}: env ${e.name} has no literal value (valueFrom is not used by this project)`);
  }
  return { env, problems };
}

/**
 * The service's variable table against what the manifests set: nothing
 * unknown, everything required (or listed as needed) present, and the whole
 * set accepted by the service's own parser.
 */
export function envViolations(workload: Obj, objects: readonly K8sObject[], spec: Spec, needed: readonly string[]): string[] {
  const where = `${workload.kind}/${workload.metadata?.name}`;
  const { env, problems } = effectiveEnv(workload, objects);
  const out = [...problems];
  for (const name of env.keys()) if (!(name in spec)) out.push(`${where}: sets ${name}, which the service does not read`);
  for (const [name, v] of Object.entries(spec)) {
    if ((v.doc.required || needed.includes(name)) && !env.has(name)) out.push(`${where}: does not set ${name}${v.doc.required ? " (required)" : ""}`);
  }
  for (const name of needed) if (!(name in spec)) out.push(`${where}: needs ${name}, which the service does not declare`);
  try {
    parseEnv(spec, Object.fromEntries([...env].filter(([k]) => k in spec)));
  } catch (err) {
    out.push(`${where}: the service would refuse this configuration: ${(err as Error).message}`);
  }
  const container = (workload.spec?.template?.spec?.containers ?? [])[0] as Obj | undefined;
  const port = env.get("PORT");
  if (port !== undefined && !((container?.ports ?? []) as Obj[]).some((p) => String(p.containerPort) === port)) {
    out.push(`${where}: PORT ${port} is not a container port`);
  }
  return out;
}

/** A variable's value as the service would see it: set, else its default. */
export function settingNumber(env: Map<string, string>, spec: Spec, name: string): number {
  return Number(env.get(name) ?? spec[name]?.doc.default ?? 0);
}

/**
 * The grace period must outlast the service's own shutdown sequence: the sum
 * of `terms`, the settings its stop's length follows from (each service's
 * STOP_SETTINGS).
 */
export function gracePeriodViolations(workload: Obj, objects: readonly K8sObject[], spec: Spec, terms: readonly string[]): string[] {
  const where = `${workload.kind}/${workload.metadata?.name}`;
  const { env } = effectiveEnv(workload, objects);
  const shutdownMs = terms.reduce((sum, name) => sum + settingNumber(env, spec, name), 0);
  const grace = workload.spec?.template?.spec?.terminationGracePeriodSeconds;
  if (typeof grace !== "number") return [`${where}: terminationGracePeriodSeconds is not set`];
  return grace * 1000 > shutdownMs ? [] : [`${where}: terminationGracePeriodSeconds ${grace} s is not longer than the shutdown sequence (${shutdownMs} ms)`];
}

/** A file the service reads (AUTH_TOKENS_FILE, POLICY_FILE) must come from a mounted volume item. */
export function mountedFileViolations(workload: Obj, variable: string, env: Map<string, string>, source: { kind: "secret" | "configMap"; name: string; key: string }): string[] {
  const where = `${workload.kind}/${workload.metadata?.name}`;
  const path = env.get(variable);
  if (!path) return [`${where}: ${variable} is not set`];
  const pod = (workload.spec?.template?.spec ?? {}) as Obj;
  const mounts = ((pod.containers?.[0]?.volumeMounts ?? []) as Obj[]).filter((m) => path.startsWith(`${m.mountPath}/`));
  for (const m of mounts) {
    const v = ((pod.volumes ?? []) as Obj[]).find((x) => x.name === m.name);
    const src = v?.[source.kind] as Obj | undefined;
    const srcName = source.kind === "secret" ? src?.secretName : src?.name;
    if (!src || srcName !== source.name || m.subPath) continue;
    const rel = path.slice(String(m.mountPath).length + 1);
    const items = (src.items ?? [{ key: source.key, path: source.key }]) as Obj[];
    if (items.some((i) => i.key === source.key && i.path === rel)) return [];
  }
  return [`${where}: ${variable}=${path} is not the ${source.kind} ${source.name} key ${source.key} mounted as a directory`];
}
