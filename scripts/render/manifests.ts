// Turns the templates in manifests/ into Kubernetes objects for one
// environment: fills the ${PLACEHOLDERS}, applies the environment table and
// the capacity/KEDA switches, and orders the objects for `kubectl apply`.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { K8S } from "../../src/shared/names.ts";
import { imageVersion, ROOT, type DeployEnv, type RenderOptions } from "./options.ts";
import { finishIngress, INGRESS_TEMPLATE, ingressValues } from "./ingress.ts";
import { spreadPods } from "./placement.ts";
import type { K8sObject } from "./k8s.ts";

export const MANIFEST_DIR = join(ROOT, "manifests");
/** Only rendered with --keda (the cluster needs KEDA's CRDs). */
export const KEDA_TEMPLATE = "pricing/keda.yaml";
/**
 * Applied once by a cluster admin, never by the pipeline (docs/deploy-aws.md,
 * bootstrap): the Namespace and its Pod Security labels are cluster-scoped,
 * and the pipeline may edit only inside the namespace.
 */
export const BOOTSTRAP_TEMPLATE = "namespace.yaml";
/** Also the admin's, applied with the Namespace: RBAC for the custom resources the pipeline applies. */
export const BOOTSTRAP_DIR = "bootstrap/";

export function isBootstrap(file: string): boolean {
  return file === BOOTSTRAP_TEMPLATE || file.startsWith(BOOTSTRAP_DIR);
}

/** The Secrets Manager secret holding inventory's API tokens (modules/tokens names it the same way). */
export function tokensSecretName(env: DeployEnv): string {
  return `stockprice-${env}/inventory-api-tokens`;
}

/**
 * What differs between environments, and nothing else. Inventory scales on
 * CPU between min and max; pricing runs a fixed count, or between the KEDA
 * bounds with --keda (dev may scale to zero when the queue is empty).
 */
export const ENVIRONMENTS: Record<DeployEnv, {
  logLevel: "debug" | "info";
  inventory: { minReplicas: number; maxReplicas: number };
  pricing: { replicas: number; kedaMin: number; kedaMax: number };
}> = {
  dev: { logLevel: "debug", inventory: { minReplicas: 1, maxReplicas: 3 }, pricing: { replicas: 1, kedaMin: 0, kedaMax: 3 } },
  prod: { logLevel: "info", inventory: { minReplicas: 2, maxReplicas: 10 }, pricing: { replicas: 2, kedaMin: 1, kedaMax: 20 } },
};

export type { K8sObject };

/** Apply order: what others refer to comes first. */
export const KIND_ORDER = [
  "Namespace",
  "ServiceAccount",
  "SecretStore",
  "ExternalSecret",
  "ConfigMap",
  "Service",
  // Before the Deployment: the controller injects the ALB readiness gate only
  // into pods created once the Ingress's target group binding exists.
  "Ingress",
  "Deployment",
  "HorizontalPodAutoscaler",
  "PodDisruptionBudget",
  "TriggerAuthentication",
  "ScaledObject",
];

export const CONFIG_HASH_ANNOTATION = "stockprice.io/config-sha256";

interface Template {
  /** Path under manifests/, with forward slashes. */
  file: string;
  docs: K8sObject[];
}

/** Every template file under manifests/, parsed (YAML 1.1, as kubectl reads it). */
export function loadTemplates(dir = MANIFEST_DIR): Template[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) files.push(relative(dir, p).split(sep).join("/"));
    }
  };
  walk(dir);
  return files.sort().map((file) => {
    const docs = parseAllDocuments(readFileSync(join(dir, file), "utf8"), { version: "1.1" });
    if (!Array.isArray(docs)) throw new Error(`manifests/${file}: empty`);
    return {
      file,
      docs: docs
        .map((d, i) => {
          if (d.errors.length) throw new Error(`manifests/${file} document ${i + 1}: ${d.errors[0].message}`);
          return d.toJS() as K8sObject | null;
        })
        .filter((o): o is K8sObject => o !== null),
    };
  });
}

/** Replaces every ${NAME} in every string; an unknown NAME is an error. */
export function fill<T>(node: T, values: Readonly<Record<string, string>>, where: string): T {
  if (typeof node === "string") {
    return node.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
      const v = values[name];
      if (v === undefined) throw new Error(`${where}: unknown placeholder \${${name}}`);
      return v;
    }) as T;
  }
  if (Array.isArray(node)) return node.map((n) => fill(n, values, where)) as T;
  if (node !== null && typeof node === "object") {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [fill(k, values, where), fill(v, values, where)])) as T;
  }
  return node;
}

function sha256(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

function serviceOf(o: K8sObject): string | undefined {
  return o.metadata.labels?.["app.kubernetes.io/name"];
}

// Small typed accessors for the structural edits below.
type Obj = Record<string, unknown>;
const spec = (o: K8sObject) => o.spec as Obj;
const podSpec = (deployment: K8sObject) => ((spec(deployment).template as Obj).spec as Obj);

/** Renders every object for one environment, in apply order. */
export function renderManifests(options: RenderOptions, templates: Template[] = loadTemplates()): K8sObject[] {
  const table = ENVIRONMENTS[options.env];
  const values: Record<string, string> = {
    AWS_REGION: options.region,
    LOG_LEVEL: table.logLevel,
    INVENTORY_IMAGE: options.inventoryImage,
    INVENTORY_VERSION: imageVersion(options.inventoryImage),
    INVENTORY_ROLE_ARN: options.inventoryRoleArn,
    INVENTORY_QUEUE_URL: options.inventoryQueueUrl,
    PRICING_IMAGE: options.pricingImage,
    PRICING_VERSION: imageVersion(options.pricingImage),
    PRICING_ROLE_ARN: options.pricingRoleArn,
    PRICE_QUEUE_URL: options.priceQueueUrl,
    PRICING_POLICY: options.policy,
    ...(options.ingress ? ingressValues(options.env, options.ingress) : {}),
    TOKENS_SECRET_NAME: tokensSecretName(options.env),
  };

  const used = templates.filter((t) => (options.keda || t.file !== KEDA_TEMPLATE) && (options.ingress || t.file !== INGRESS_TEMPLATE) && !isBootstrap(t.file));
  // ConfigMaps first: the Deployments carry a digest of their data, so a
  // settings change alone still rolls the pods.
  const configMaps = used.flatMap((t) => t.docs.filter((o) => o.kind === "ConfigMap").map((o) => fill(o, values, `manifests/${t.file}`)));
  for (const name of [K8S.inventory.name, K8S.pricing.name]) {
    values[`${name.toUpperCase()}_CONFIG_SHA256`] = sha256(configMaps.filter((c) => serviceOf(c) === name).map((c) => [c.metadata.name, c.data]));
  }
  const objects = [
    ...configMaps,
    ...used.flatMap((t) => t.docs.filter((o) => o.kind !== "ConfigMap").map((o) => fill(o, values, `manifests/${t.file}`))),
  ];

  for (const o of objects) {
    const service = serviceOf(o);
    if (o.kind === "HorizontalPodAutoscaler" && service === K8S.inventory.name) {
      Object.assign(spec(o), { minReplicas: table.inventory.minReplicas, maxReplicas: table.inventory.maxReplicas });
    }
    if (o.kind === "Deployment" && service === K8S.pricing.name) {
      if (options.keda) delete spec(o).replicas;
      else spec(o).replicas = table.pricing.replicas;
      if (options.pricingCapacity === "fargate") {
        delete podSpec(o).nodeSelector;
        delete podSpec(o).tolerations;
      }
    }
    if (o.kind === "ScaledObject") {
      Object.assign(spec(o), { minReplicaCount: table.pricing.kedaMin, maxReplicaCount: table.pricing.kedaMax });
    }
  }

  if (options.ingress) finishIngress(objects, options.ingress);
  spreadPods(objects);

  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
    if (seen.has(key)) throw new Error(`two templates define ${key}`);
    seen.add(key);
    if (!KIND_ORDER.includes(o.kind)) throw new Error(`${key}: kind ${o.kind} has no place in KIND_ORDER`);
  }
  const services: Array<string | undefined> = [undefined, K8S.inventory.name, K8S.pricing.name];
  const rank = (o: K8sObject) => [KIND_ORDER.indexOf(o.kind), services.indexOf(serviceOf(o))];
  return objects.sort((a, b) => {
    const [ka, sa] = rank(a);
    const [kb, sb] = rank(b);
    return ka - kb || sa - sb || a.metadata.name.localeCompare(b.metadata.name);
  });
}

/**
 * One multi-document YAML file. Written as YAML 1.1 (what kubectl reads), so
 * strings such as "on", "0440" or an all-digit commit tag stay quoted.
 */
export function toYaml(objects: readonly K8sObject[], header: string): string {
  const comment = header
    .split("\n")
    .map((l) => `# ${l}`.trimEnd())
    .join("\n");
  return `${comment}\n${objects.map((o) => `---\n${stringify(o, { version: "1.1", lineWidth: 0 })}`).join("")}`;
}
