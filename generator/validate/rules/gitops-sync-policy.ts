// Argo CD sync settings that keep a data-safe sync from looking broken: automated syncs retry with backoff
// (else a transient failure waits for the next commit), and objects a sync never prunes carry IgnoreExtraneous
// (else the Application stays OutOfSync after a scale-down or an environment's removal).
import { GITOPS_ANNOTATIONS as A } from "../../layout";
import { Report, Rule } from "../rule";
import { isApplication } from "../../model";

const options = (value: string | undefined) => (value ?? "").split(",").map((o) => o.trim());

export const rule: Rule = {
  id: "gitops-sync-policy",
  group: "gitops",
  scope: "cluster",
  title: "Argo CD retries failed syncs and ignores the objects it never prunes",
  severity: "warning",
  docs: {
    checks:
      "Warning. An automated Argo CD Application has `spec.syncPolicy.retry`, and on an Argo CD cluster " +
      "every object annotated `Prune=false` also carries `argocd.argoproj.io/compare-options: " +
      "IgnoreExtraneous`.",
    why:
      "a failed sync is otherwise not retried until the next commit, and a volume left behind by a " +
      "scale-down (or a removed environment) keeps its Application OutOfSync forever.",
    fix: "add them (the generated wiring has both).",
  },
  messages: {
    noRetry: {
      text: "Application {{name}} syncs automatically without retry: a failed sync is not retried until the next commit",
      hint: "set spec.syncPolicy.retry with a backoff",
    },
    notIgnored: {
      text: "{{kind}} {{name}} is never pruned but not ignored when extraneous: once it leaves git, its Application stays OutOfSync",
      hint: "annotate it {{annotation}}: {{value}}",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const manifest of set.manifests) {
        if (isApplication(manifest)) {
          const policy = manifest.object.spec?.syncPolicy;
          if (policy?.automated && !policy.retry) {
            reports.push({
              set,
              manifest,
              at: { field: "spec.syncPolicy" },
              messageId: "noRetry",
              data: { name: manifest.object.metadata.name },
            });
          }
          continue;
        }
        if (context.cluster?.engine !== "argocd") continue;
        const annotations = manifest.object.metadata.annotations ?? {};
        if (
          options(annotations[A.argoSyncOptions]).includes("Prune=false") &&
          !options(annotations[A.argoCompareOptions]).includes(A.argoIgnoreExtraneous)
        ) {
          reports.push({
            set,
            manifest,
            at: { field: "metadata.annotations" },
            messageId: "notIgnored",
            data: {
              kind: manifest.object.kind,
              name: manifest.object.metadata.name,
              annotation: A.argoCompareOptions,
              value: A.argoIgnoreExtraneous,
            },
          });
        }
      }
    }
    return reports;
  },
};
