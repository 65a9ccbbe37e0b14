// Under GitOps, a volume (or the namespace holding the claims) removed from git must not be deleted by a sync.
import { GITOPS_ANNOTATIONS as A } from "../../layout";
import { Report, Rule } from "../rule";

export const rule: Rule = {
  id: "gitops-volume-protection",
  group: "gitops",
  scope: "cluster",
  title: "Volumes are never pruned or deleted by a sync",
  severity: "error",
  docs: {
    checks:
      "On a cluster synced by Argo CD, PersistentVolumes (and claims) carry " +
      "`argocd.argoproj.io/sync-options: Prune=false,Delete=false`; with Flux they, and the Namespace, " +
      "carry `kustomize.toolkit.fluxcd.io/prune: disabled` (the Namespace only when it is an environment's: " +
      "Flux's own `flux-system` is left to Flux).",
    why: "otherwise removing them from git (or the whole environment) makes the sync delete the data with " + "them.",
    fix: "annotate them (the generated overlays do).",
  },
  messages: {
    argoCanDelete: {
      text: "{{kind}} {{name}} can be pruned or deleted by Argo CD when it leaves git: its data would go with it",
      hint: "annotate it {{annotation}}: {{value}}",
    },
    fluxCanPrune: {
      text: "{{kind}} {{name}} can be pruned by Flux when it leaves git: its data would go with it",
      hint: "annotate it {{annotation}}: {{value}}",
    },
  },
  check(context) {
    const engine = context.cluster?.engine;
    if (!engine) return [];
    const reports: Report[] = [];
    // The namespaces that hold claims: the environments' (any namespace when the cluster's are unknown).
    const environments = context.cluster?.environments?.map((e) => e.namespace);
    const holdsClaims = (name: string) => !environments || environments.includes(name);
    for (const set of context.sets) {
      for (const manifest of set.manifests) {
        const kind = manifest.object.kind;
        if (
          kind !== "PersistentVolume" &&
          kind !== "PersistentVolumeClaim" &&
          !(kind === "Namespace" && engine === "flux" && holdsClaims(manifest.object.metadata.name))
        )
          continue;
        const annotations = manifest.object.metadata.annotations ?? {};
        const options = (annotations[A.argoSyncOptions] ?? "").split(",").map((o: string) => o.trim());
        const safe =
          engine === "argocd"
            ? A.argoKeep.split(",").every((o) => options.includes(o))
            : annotations[A.fluxPrune] === A.fluxKeep;
        if (safe) continue;
        reports.push({
          set,
          manifest,
          at: { field: "metadata.annotations" },
          messageId: engine === "argocd" ? "argoCanDelete" : "fluxCanPrune",
          data:
            engine === "argocd"
              ? { kind, name: manifest.object.metadata.name, annotation: A.argoSyncOptions, value: A.argoKeep }
              : { kind, name: manifest.object.metadata.name, annotation: A.fluxPrune, value: A.fluxKeep },
        });
      }
    }
    return reports;
  },
};
