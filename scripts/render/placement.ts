// Where the pods may run: spread over nodes and over zones. Applied to every
// Deployment at render time (not in the templates), so a new Deployment gets
// it too.
//
// - Nodes (kubernetes.io/hostname), DoNotSchedule: two pricing pods never
//   share one Spot node; a pod that finds no second node stays Pending and
//   the cluster autoscaler adds one. Fargate gives each pod its own node, so
//   this costs nothing there.
// - Zones (topology.kubernetes.io/zone), ScheduleAnyway: prefer other zones,
//   but a zone without capacity (Spot shortage) must not stop a rollout.
// matchLabelKeys pod-template-hash counts only the pods of the same
// ReplicaSet, so a rolling update is not held up by the old pods.

import type { K8sObject } from "./k8s.ts";

export const SPREAD_KEYS = { node: "kubernetes.io/hostname", zone: "topology.kubernetes.io/zone" } as const;

type Obj = Record<string, unknown>;

export function spreadConstraints(matchLabels: Record<string, string>): Obj[] {
  const one = (topologyKey: string, whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway") => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable,
    labelSelector: { matchLabels: { ...matchLabels } },
    matchLabelKeys: ["pod-template-hash"],
  });
  return [one(SPREAD_KEYS.node, "DoNotSchedule"), one(SPREAD_KEYS.zone, "ScheduleAnyway")];
}

/** Adds the spread to every Deployment's pod template (the object is changed in place). */
export function spreadPods(objects: K8sObject[]): void {
  for (const o of objects) {
    if (o.kind !== "Deployment") continue;
    const spec = o.spec as Obj;
    const matchLabels = (spec.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels;
    if (!matchLabels) throw new Error(`Deployment/${o.metadata.name}: no selector.matchLabels to spread by`);
    const pod = (spec.template as Obj).spec as Obj;
    pod.topologySpreadConstraints = spreadConstraints(matchLabels);
  }
}
