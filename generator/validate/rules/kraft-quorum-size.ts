// A controller quorum of n survives floor((n-1)/2) failures: an even count adds a member without adding
// tolerance, and no controller count can be read at all from a KRaft broker without controllers.
import { Report, Rule } from "../rule";
import { controllerCount, kraftClusters } from "../../model";

export const rule: Rule = {
  id: "kraft-quorum-size",
  group: "configuration",
  scope: "set",
  title: "KRaft controller quorums are odd and at least 3",
  severity: "error",
  docs: {
    checks:
      "The KRaft controllers of a namespace (every StatefulSet with `controller` in `process.roles`) number " +
      "an odd count; one controller is a warning (development).",
    why: "an even quorum tolerates no more failures than the odd one below it.",
    fix: "use 3 or 5 controllers.",
  },
  messages: {
    single: "{{what}} are a single controller: fine for development, no fault tolerance",
    even: {
      text: "{{what}} are {{n}} controllers: an even quorum survives {{tolerated}} failure(s), no more than {{fewer}} controllers would",
      hint: "use {{fewer}} or {{more}} controllers",
    },
  },
  check(context) {
    return context.sets.flatMap((set) =>
      kraftClusters(set).flatMap((cluster): Report[] => {
        const n = controllerCount(cluster);
        const workload = cluster.controllers.find((w) => w.replicas > 0) ?? cluster.controllers[0];
        if (!workload) return [];
        const what = `the KRaft controllers of namespace ${cluster.namespace} (${cluster.controllers.map((w) => `${w.name}: ${w.replicas}`).join(", ")})`;
        if (n === 1) {
          return [
            {
              set,
              manifest: workload.manifest,
              severity: "warning",
              at: { field: "spec.replicas" },
              messageId: "single",
              data: { what },
            },
          ];
        }
        if (n > 0 && n % 2 === 0) {
          return [
            {
              set,
              manifest: workload.manifest,
              at: { field: "spec.replicas" },
              messageId: "even",
              data: { what, n, tolerated: n / 2 - 1, fewer: n - 1, more: n + 1 },
            },
          ];
        }
        return [];
      }),
    );
  },
};
