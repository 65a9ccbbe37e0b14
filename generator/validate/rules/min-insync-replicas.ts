// min.insync.replicas equal to the replication factor stops acks=all producers whenever one replica is down.
import { Rule } from "../rule";
import { workloadsOf } from "../workloads";

export const rule: Rule = {
  id: "min-insync-replicas",
  group: "configuration",
  title: "min.insync.replicas is below the replication factor",
  severity: "error",
  check(context) {
    return context.sets.flatMap((set) =>
      workloadsOf(set, "kafka").flatMap((workload) => {
        const config = workload.configFor(0);
        const entry = workload.config.get("min.insync.replicas");
        const minInSync = Number(config.get("min.insync.replicas") ?? 1);
        const factor = Number(config.get("default.replication.factor") ?? 1);
        if (!entry || factor <= 1 || minInSync < factor) return [];
        return [{
          set,
          manifest: entry.source.manifest,
          at: { configKey: "min.insync.replicas", source: entry.source },
          message: `min.insync.replicas=${minInSync} is not below default.replication.factor=${factor}: one broker down stops every producer using acks=all`,
          hint: `set min.insync.replicas to ${factor - 1}`,
        }];
      }),
    );
  },
};
