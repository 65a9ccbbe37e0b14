// Under GitOps, a volume (or the namespace holding the claims) removed from git must not be deleted by a sync.
import { Report, Rule } from "../rule";

const ARGO_OPTIONS = "argocd.argoproj.io/sync-options";
const FLUX_PRUNE = "kustomize.toolkit.fluxcd.io/prune";

export const rule: Rule = {
  id: "gitops-volume-protection",
  group: "gitops",
  title: "Volumes are never pruned or deleted by a sync",
  severity: "error",
  check(context) {
    const engine = context.cluster?.engine;
    if (!engine) return [];
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const manifest of set.manifests) {
        const kind = manifest.object.kind;
        if (kind !== "PersistentVolume" && kind !== "PersistentVolumeClaim" && !(kind === "Namespace" && engine === "flux")) continue;
        const annotations = manifest.object.metadata.annotations ?? {};
        const options = (annotations[ARGO_OPTIONS] ?? "").split(",").map((o: string) => o.trim());
        const safe = engine === "argocd" ? options.includes("Prune=false") && options.includes("Delete=false") : annotations[FLUX_PRUNE] === "disabled";
        if (safe) continue;
        reports.push({
          set,
          manifest,
          at: { field: "metadata.annotations" },
          message: `${kind} ${manifest.object.metadata.name} can be ${engine === "argocd" ? "pruned or deleted by Argo CD" : "pruned by Flux"} when it leaves git: its data would go with it`,
          hint: engine === "argocd" ? `annotate it ${ARGO_OPTIONS}: Prune=false,Delete=false` : `annotate it ${FLUX_PRUNE}: disabled`,
        });
      }
    }
    return reports;
  },
};
