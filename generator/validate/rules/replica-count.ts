// A replica count repeated outside spec.replicas (an env var, a launcher option, a loop bound) must say the same.
// `<NAME>_REPLICAS` is compared with the StatefulSet it names, which need not be the one it is set in.
import { Report, Rule } from "../rule";
import { Workload, WorkloadRole, ensembleOf, workloads } from "../../model";

/** Prefixes that mean "this workload" (or, for ZooKeeper, its whole ensemble), by role. */
const OWN: Record<WorkloadRole, RegExp> = {
  zookeeper: /^(ZK|ZOO|ZOOKEEPER|SERVER|SERVERS|CLUSTER|ENSEMBLE)$/,
  controller: /^(CONTROLLER|CONTROLLERS|QUORUM|VOTERS)$/,
  kafka: /^(KAFKA|BROKER|BROKERS|SERVER|SERVERS|CLUSTER)$/,
  other: /^(SERVER|SERVERS|CLUSTER)$/,
};

export const rule: Rule = {
  id: "replica-count",
  group: "ordinals",
  scope: "set",
  title: "Repeated replica counts agree with spec.replicas",
  severity: "error",
  docs: {
    checks:
      "Every env var named `REPLICAS` or `<NAME>_REPLICAS`, in any container of the Pod, equals the " +
      "replicas of the StatefulSet it names: `REPLICAS` and `<this StatefulSet>_REPLICAS` this one, `<other " +
      "StatefulSet>_REPLICAS` that one (`PZOO_REPLICAS` set inside `zoo` is compared with `pzoo`), and a " +
      "role word (`ZK_`, `ZOO_`, `KAFKA_`, `BROKER_`, `SERVERS_`...) this StatefulSet, or for ZooKeeper its " +
      "whole ensemble. `start-zookeeper --servers=N` equals the ensemble's size. A start script's " +
      "`server.N` loop is bounded by a variable the container sets.",
    why:
      "a replica count repeated for the scripts and not changed with `replicas` makes members disagree " +
      "about the ensemble.",
    info: "an `X_REPLICAS` naming no StatefulSet of the set is not compared.",
    fix: "change both.",
  },
  messages: {
    envNamesNoStatefulSet:
      "env {{env}}={{value}} in container {{container}} of {{workload}} names no StatefulSet of the set: not compared with a replica count",
    envDisagrees: {
      text: "env {{env}}={{value}} in container {{container}} disagrees with {{what}}",
      hint: 'set {{env}} to "{{count}}" (or change both together)',
    },
    serversOptionDisagrees: {
      text: "start-zookeeper {{from}} in container {{container}} disagrees with {{what}}: members would wait for servers that do not exist",
      hint: "pass --servers={{count}} (or change both together)",
    },
    loopVariableUnset:
      "the start script of {{workload}} writes one server.N line per {{ensembleVariable}}, which container {{container}} does not set: the server list will be empty",
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      const all = workloads(set);
      const normal = (name: string) => name.toUpperCase().replace(/[^A-Z0-9]/g, "_");
      for (const workload of all) {
        const ensemble = workload.role === "zookeeper" ? ensembleOf(set, workload) : undefined;
        const own =
          ensemble && ensemble.workloads.length > 1
            ? { count: ensemble.size, what: `the ${ensemble.size} members of ZooKeeper ensemble ${ensemble.name}` }
            : { count: workload.replicas, what: `spec.replicas: ${workload.replicas} of StatefulSet ${workload.name}` };
        /** The count an env var states, and what it must equal; undefined when it names no StatefulSet. */
        const expected = (name: string): { count: number; what: string } | undefined => {
          if (name === "REPLICAS")
            return {
              count: workload.replicas,
              what: `spec.replicas: ${workload.replicas} of StatefulSet ${workload.name}`,
            };
          const prefix = name.replace(/_REPLICAS$/, "");
          if (prefix === normal(workload.name))
            return {
              count: workload.replicas,
              what: `spec.replicas: ${workload.replicas} of StatefulSet ${workload.name}`,
            };
          const other = all.find((w: Workload) => w.namespace === workload.namespace && normal(w.name) === prefix);
          if (other)
            return { count: other.replicas, what: `spec.replicas: ${other.replicas} of StatefulSet ${other.name}` };
          return OWN[workload.role].test(prefix) ? own : undefined;
        };
        const podSpec = workload.statefulSet.spec?.template?.spec ?? {};
        const containers = [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])];
        containers.forEach((container: any) => {
          (container?.env ?? []).forEach((env: any) => {
            // KAFKA_CFG_MIN_INSYNC_REPLICAS and the like are settings, not replica counts.
            if (!/(^|_)REPLICAS$/.test(env?.name) || /INSYNC_REPLICAS$/.test(env.name) || env.value === undefined)
              return;
            const index = (podSpec.containers ?? []).indexOf(container);
            const path =
              index >= 0 ? `spec.template.spec.containers[${index}].env` : "spec.template.spec.initContainers";
            const target = expected(env.name);
            if (!target) {
              reports.push({
                set,
                manifest: workload.manifest,
                severity: "info",
                at: { field: path },
                messageId: "envNamesNoStatefulSet",
                data: { env: env.name, value: env.value, container: container.name, workload: workload.name },
              });
              return;
            }
            if (Number(env.value) === target.count) return;
            reports.push({
              set,
              manifest: workload.manifest,
              at: { field: path },
              messageId: "envDisagrees",
              data: {
                env: env.name,
                value: env.value,
                container: container.name,
                what: target.what,
                count: target.count,
              },
            });
          });
        });
        const servers = workload.imageConfig?.servers;
        if (servers && workload.launcher === "start-zookeeper" && servers.value !== own.count) {
          const index = (podSpec.containers ?? []).indexOf(workload.container);
          reports.push({
            set,
            manifest: workload.manifest,
            at: { field: `spec.template.spec.containers[${index}]` },
            messageId: "serversOptionDisagrees",
            data: { from: servers.from, container: workload.container?.name, what: own.what, count: own.count },
          });
        }
        if (
          workload.ensembleVariable &&
          !(workload.container?.env ?? []).some((e: any) => e?.name === workload.ensembleVariable)
        ) {
          const value = workload.variablesFor(0)[workload.ensembleVariable];
          if (value === undefined) {
            reports.push({
              set,
              manifest: workload.manifest,
              at: { field: "spec.template.spec.containers" },
              messageId: "loopVariableUnset",
              data: {
                workload: workload.name,
                ensembleVariable: workload.ensembleVariable,
                container: workload.container?.name,
              },
            });
          }
        }
      }
    }
    return reports;
  },
};
