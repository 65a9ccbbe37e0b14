// A ZooKeeper member needs a server.N entry for every member, N = ordinal + 1, naming that member's Pod.
import { Report, Rule } from "../rule";
import { workloadsOf } from "../workloads";

export const rule: Rule = {
  id: "zookeeper-servers",
  group: "ordinals",
  title: "The ZooKeeper server list has one entry per ordinal",
  severity: "error",
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const workload of workloadsOf(set, "zookeeper")) {
        const config = workload.configFor(0);
        const servers = [...workload.config.keys()].filter((key) => /^server\.\d+$/.test(key));
        if (servers.length === 0) {
          if (workload.ensembleVariable || workload.replicas === 1) continue;
          reports.push({
            set,
            manifest: workload.manifest,
            at: { field: "spec.template.spec.containers" },
            message: `StatefulSet ${workload.name} has ${workload.replicas} replicas but its configuration has no server.N entries and its start command writes none: each member would run alone`,
            hint: "list server.1..server.N in zoo.cfg, or start through a script that writes them from the replica count",
          });
          continue;
        }
        const numbers = servers.map((key) => Number(key.split(".")[1]));
        for (let n = 1; n <= workload.replicas; n++) {
          const value = config.get(`server.${n}`);
          const entry = workload.config.get(`server.${n}`);
          if (!entry) {
            reports.push({ set, manifest: workload.manifest, at: { field: "spec.replicas" }, message: `ordinal ${n - 1} of ${workload.name} has no server.${n} entry in the ZooKeeper configuration` });
          } else if (value !== undefined && !value.startsWith(`${workload.name}-${n - 1}.`) && !value.startsWith(`${workload.name}-${n - 1}:`)) {
            reports.push({
              set,
              manifest: entry.source.manifest,
              at: { configKey: `server.${n}`, source: entry.source },
              message: `server.${n}=${value} should name Pod ${workload.name}-${n - 1} (myid ${n} is ordinal ${n - 1})`,
            });
          }
        }
        for (const n of numbers.filter((n) => n < 1 || n > workload.replicas)) {
          const entry = workload.config.get(`server.${n}`)!;
          reports.push({
            set,
            manifest: entry.source.manifest,
            at: { configKey: `server.${n}`, source: entry.source },
            message: `server.${n} names a member that does not exist (StatefulSet ${workload.name} has replicas: ${workload.replicas}); the ensemble counts it in its quorum`,
          });
        }
      }
    }
    return reports;
  },
};
