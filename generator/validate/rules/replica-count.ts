// A replica count repeated outside spec.replicas (an env var, a loop bound) must say the same.
import { Report, Rule } from "../rule";
import { workloads } from "../workloads";

export const rule: Rule = {
  id: "replica-count",
  group: "ordinals",
  title: "Repeated replica counts agree with spec.replicas",
  severity: "error",
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const workload of workloads(set)) {
        const podSpec = workload.statefulSet.spec?.template?.spec ?? {};
        const containers = [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])];
        containers.forEach((container: any) => {
          (container.env ?? []).forEach((env: any) => {
            if (!/(^|_)REPLICAS$/.test(env.name) || env.value === undefined || Number(env.value) === workload.replicas) return;
            const index = (podSpec.containers ?? []).indexOf(container);
            const path = index >= 0 ? `spec.template.spec.containers[${index}].env` : "spec.template.spec.initContainers";
            reports.push({
              set,
              manifest: workload.manifest,
              at: { field: path },
              message: `env ${env.name}=${env.value} in container ${container.name} disagrees with spec.replicas: ${workload.replicas} of StatefulSet ${workload.name}`,
              hint: `set ${env.name} to "${workload.replicas}" (or change both together)`,
            });
          });
        });
        if (workload.ensembleVariable && !(workload.container?.env ?? []).some((e: any) => e.name === workload.ensembleVariable)) {
          const value = workload.variablesFor(0)[workload.ensembleVariable];
          if (value === undefined) {
            reports.push({
              set,
              manifest: workload.manifest,
              at: { field: "spec.template.spec.containers" },
              message: `the start script of ${workload.name} writes one server.N line per ${workload.ensembleVariable}, which container ${workload.container?.name} does not set: the server list will be empty`,
            });
          }
        }
      }
    }
    return reports;
  },
};
