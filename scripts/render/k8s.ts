// The shape every rendered Kubernetes object has, shared by the renderers
// (manifests, ingress, placement, telemetry) without importing one another.

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}
