// An even ensemble tolerates no more failures than the odd one below it; one member tolerates none.
import { Report, Rule } from "../rule";
import { workloadsOf } from "../workloads";

export const rule: Rule = {
  id: "zookeeper-ensemble-size",
  group: "configuration",
  title: "ZooKeeper ensembles are odd and at least 3",
  severity: "error",
  check(context) {
    return context.sets.flatMap((set) =>
      workloadsOf(set, "zookeeper").flatMap((workload): Report[] => {
        const n = workload.replicas;
        if (n === 1) {
          return [{ set, manifest: workload.manifest, severity: "warning", at: { field: "spec.replicas" }, message: `ZooKeeper ${workload.name} runs a single member: fine for development, no fault tolerance` }];
        }
        if (n % 2 === 0) {
          return [{
            set,
            manifest: workload.manifest,
            at: { field: "spec.replicas" },
            message: `ZooKeeper ${workload.name} has ${n} members: an even ensemble survives ${n / 2 - 1} failure(s), no more than ${n - 1} members would`,
            hint: `use ${n - 1} or ${n + 1} replicas`,
          }];
        }
        return [];
      }),
    );
  },
};
