// kubernetes-models' validate() checks types and required fields but lets
// unknown fields through, while the API server (strict field validation)
// rejects them. This check closes the gap with the TypeScript compiler: each
// object becomes an object literal typed with the kubernetes-models interface,
// and excess-property errors name every misspelt or misplaced field.

import ts from "typescript";
import { join } from "node:path";
import type { K8sObject } from "../../scripts/render.ts";
import { ROOT } from "./manifests.ts";

/** apiVersion/kind -> [module, interface] in kubernetes-models. */
export const TYPES: Record<string, [string, string]> = {
  "v1/Namespace": ["kubernetes-models/v1/Namespace", "INamespace"],
  "v1/ServiceAccount": ["kubernetes-models/v1/ServiceAccount", "IServiceAccount"],
  "v1/ConfigMap": ["kubernetes-models/v1/ConfigMap", "IConfigMap"],
  "v1/Service": ["kubernetes-models/v1/Service", "IService"],
  "apps/v1/Deployment": ["kubernetes-models/apps/v1/Deployment", "IDeployment"],
  "autoscaling/v2/HorizontalPodAutoscaler": ["kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler", "IHorizontalPodAutoscaler"],
  "policy/v1/PodDisruptionBudget": ["kubernetes-models/policy/v1/PodDisruptionBudget", "IPodDisruptionBudget"],
  "networking.k8s.io/v1/Ingress": ["kubernetes-models/networking.k8s.io/v1/Ingress", "IIngress"],
};

/**
 * Type-checks `objects` (Kubernetes kinds only; others are skipped) and
 * returns one message per error, naming the object.
 */
export function strictFieldErrors(objects: readonly K8sObject[]): string[] {
  const typed = objects.filter((o) => `${o.apiVersion}/${o.kind}` in TYPES);
  const imports = [...new Set(typed.map((o) => `${o.apiVersion}/${o.kind}`))]
    .map((k) => `import type { ${TYPES[k][1]} } from "${TYPES[k][0]}";`);
  // One object per line, so a diagnostic's line names its object.
  const body = typed.map((o, i) => `export const o${i}: ${TYPES[`${o.apiVersion}/${o.kind}`][1]} = ${JSON.stringify(o)};`);
  const text = [...imports, ...body].join("\n");
  const file = join(ROOT, "test", "delivery", "__rendered_objects__.ts");

  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, ...rest) =>
    name === file ? ts.createSourceFile(name, text, languageVersion, true) : getSourceFile(name, languageVersion, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === file ? text : readFile(name));

  const program = ts.createProgram([file], options, host);
  const source = program.getSourceFile(file)!;
  return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => {
    const line = d.start === undefined ? -1 : source.getLineAndCharacterOfPosition(d.start).line - imports.length;
    const o = typed[line];
    const what = o ? `${o.kind}/${o.metadata.name}` : "(imports)";
    return `${what}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
  });
}
