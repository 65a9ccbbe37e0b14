// Argo CD compares volumeClaimTemplates with what the API server stores, which carries apiVersion and kind:
// templates without them show as out of sync forever.
import { Rule } from "../rule";
import { workloads } from "../../model";

export const rule: Rule = {
  id: "claim-template-typed",
  group: "volumes",
  scope: "set",
  title: "volumeClaimTemplates carry apiVersion and kind",
  severity: "warning",
  docs: {
    checks: "Warning: `volumeClaimTemplates` lack `apiVersion: v1` and `kind: PersistentVolumeClaim`.",
    why: "the API server stores them with both, so Argo CD shows the StatefulSet out of sync forever.",
    fix: "add both.",
    designs: "every StatefulSet's `volumeClaimTemplates`.",
  },
  messages: {
    untyped:
      "volumeClaimTemplate {{template}} of {{workload}} lacks apiVersion: v1 / kind: PersistentVolumeClaim: GitOps engines show it out of sync forever",
  },
  check(context) {
    return context.sets.flatMap((set) =>
      workloads(set).flatMap((workload) =>
        (workload.statefulSet.spec?.volumeClaimTemplates ?? [])
          .map((template: any, index: number) => ({ template, index }))
          .filter(({ template }: any) => template.apiVersion !== "v1" || template.kind !== "PersistentVolumeClaim")
          .map(({ template, index }: any) => ({
            set,
            manifest: workload.manifest,
            at: { field: `spec.volumeClaimTemplates[${index}]` },
            messageId: "untyped",
            data: { template: template.metadata?.name, workload: workload.name },
          })),
      ),
    );
  },
};
