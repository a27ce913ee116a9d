// ExternalSecret and SecretStore are CRDs of External Secrets Operator, with
// no schema in kubernetes-models: their structure (the fields this repository
// uses, as the external-secrets.io/v1 CRDs define them) is checked here with
// a JSON Schema, then the references: the store is rendered, it authenticates
// as a rendered ServiceAccount with an IRSA role, and the target Secret and
// key are the ones the inventory Deployment mounts.

import { Ajv } from "ajv";
import type { K8sObject } from "../../scripts/render.ts";
import type { Obj } from "./manifests.ts";

/** An object with exactly these properties, the listed ones required. */
const closed = (required: string[], properties: Record<string, unknown>) => ({ type: "object", required, additionalProperties: false, properties });

const NAME = { type: "string", pattern: "^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$" };
const METADATA = closed(["name", "namespace"], { name: NAME, namespace: { const: "stockprice" }, labels: { type: "object", additionalProperties: { type: "string" } } });
const DURATION = { type: "string", pattern: "^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$" };

/** An external-secrets.io/v1 object of this kind and spec. */
const resource = (kind: string, spec: unknown) =>
  closed(["apiVersion", "kind", "metadata", "spec"], { apiVersion: { const: "external-secrets.io/v1" }, kind: { const: kind }, metadata: METADATA, spec });

const SECRET_STORE = resource(
  "SecretStore",
  closed(["provider"], {
    provider: closed(["aws"], {
      aws: closed(["service", "region", "auth"], {
        service: { enum: ["SecretsManager", "ParameterStore"] },
        region: { type: "string", pattern: "^[a-z]{2}(-[a-z]+)+-\\d+$" },
        auth: closed(["jwt"], { jwt: closed(["serviceAccountRef"], { serviceAccountRef: closed(["name"], { name: NAME }) }) }),
      }),
    }),
  }),
);

const EXTERNAL_SECRET = resource(
  "ExternalSecret",
  closed(["secretStoreRef", "target", "data"], {
    refreshInterval: DURATION,
    secretStoreRef: closed(["name"], { kind: { enum: ["SecretStore", "ClusterSecretStore"] }, name: NAME }),
    target: closed(["name"], { name: NAME, creationPolicy: { enum: ["Owner", "Orphan", "Merge", "None"] }, deletionPolicy: { enum: ["Delete", "Merge", "Retain"] } }),
    data: {
      type: "array",
      minItems: 1,
      items: closed(["secretKey", "remoteRef"], {
        secretKey: { type: "string", pattern: "^[-._a-zA-Z0-9]+$" },
        remoteRef: closed(["key"], { key: { type: "string", minLength: 1 }, property: { type: "string" }, version: { type: "string" } }),
      }),
    },
  }),
);

const ajv = new Ajv({ allErrors: true, strict: true });
const validators = { SecretStore: ajv.compile(SECRET_STORE), ExternalSecret: ajv.compile(EXTERNAL_SECRET) };

export const ESO_KINDS = ["external-secrets.io/v1/SecretStore", "external-secrets.io/v1/ExternalSecret"];

/** Structure and references of the rendered External Secrets objects. */
export function externalSecretErrors(objects: readonly K8sObject[]): string[] {
  const out: string[] = [];
  const eso = objects.filter((o) => o.apiVersion.startsWith("external-secrets.io/")) as Obj[];
  for (const o of eso) {
    const validate = validators[o.kind as keyof typeof validators];
    if (!validate) {
      out.push(`${o.kind}/${o.metadata.name}: not an expected External Secrets kind`);
      continue;
    }
    if (!validate(o)) for (const e of validate.errors ?? []) out.push(`${o.kind}/${o.metadata.name}: ${e.instancePath || "/"} ${e.message}`);
  }
  const deployment = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "inventory") as Obj | undefined;
  const volume = (deployment?.spec.template.spec.volumes ?? []).find((v: Obj) => v.name === "api-tokens")?.secret as Obj | undefined;
  for (const es of eso.filter((o) => o.kind === "ExternalSecret")) {
    const store = eso.find((o) => o.kind === (es.spec?.secretStoreRef?.kind ?? "SecretStore") && o.metadata.name === es.spec?.secretStoreRef?.name);
    if (!store) {
      out.push(`ExternalSecret/${es.metadata.name}: secretStoreRef ${es.spec?.secretStoreRef?.name} is not a rendered store`);
    } else {
      const saName = store.spec?.provider?.aws?.auth?.jwt?.serviceAccountRef?.name;
      const sa = objects.find((o) => o.kind === "ServiceAccount" && o.metadata.name === saName);
      if (!sa?.metadata.annotations?.["eks.amazonaws.com/role-arn"]) out.push(`SecretStore/${store.metadata.name}: serviceAccountRef ${saName} is not a rendered ServiceAccount with an IRSA role`);
    }
    if (!volume || es.spec?.target?.name !== volume.secretName) out.push(`ExternalSecret/${es.metadata.name}: target ${es.spec?.target?.name} is not the Secret inventory mounts (${volume?.secretName})`);
    const keys = ((es.spec?.data ?? []) as Obj[]).map((d) => d.secretKey);
    for (const item of (volume?.items ?? []) as Obj[]) if (!keys.includes(item.key)) out.push(`ExternalSecret/${es.metadata.name}: no data for key ${item.key}, which inventory mounts`);
  }
  if (!eso.some((o) => o.kind === "ExternalSecret")) out.push("no ExternalSecret rendered: the API tokens would not reach the pods");
  return out;
}
