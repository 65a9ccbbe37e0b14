// Kubernetes replaces `$(VAR)` in command and args with the container's env var VAR; when the container has no
// such variable the text stays literal, and the program gets a path or address that does not exist.
import { Report, Rule } from "../rule";
import { kubernetesReferences, namespaceOf, workloads } from "../../model";

export const rule: Rule = {
  id: "env-reference",
  group: "configuration",
  scope: "set",
  title: "Every $(VAR) in a command or args is an env var of that container",
  severity: "error",
  docs: {
    checks:
      "Every `$(VAR)` in a container's (or init container's) `command` or `args` names an env var of that " +
      "container (its `env`, or the keys of a ConfigMap it takes with `envFrom`); `$$(VAR)` is an escape. " +
      "Inside an `sh -c` string, lower-case `$(name)` is the shell's command substitution and is not " +
      "judged.",
    why:
      "Kubernetes leaves an unknown reference as literal text, so the program gets a path or address that " +
      "does not exist.",
    info: "the container also takes env from a Secret or a ConfigMap that is not in the set.",
    fix: "define the variable, or escape it.",
  },
  messages: {
    maybeUnset:
      "$({{name}}) in {{field}} of container {{container}} ({{workload}}) is not among its env vars; it may come from {{unknownSources}}, which is not in the set: not checked",
    unset: {
      text: '$({{name}}) in {{field}} of container {{container}} ({{workload}}) names no env var of that container: Kubernetes leaves it as the literal text "$({{name}})"',
      hint: "define {{name}} in the container's env, or write $$({{name}}) if the shell should expand it",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const workload of workloads(set)) {
        const podSpec = workload.statefulSet.spec?.template?.spec ?? {};
        for (const [list, containers] of [
          ["initContainers", podSpec.initContainers ?? []],
          ["containers", podSpec.containers ?? []],
        ] as [string, any[]][]) {
          containers.forEach((container, index) => {
            const known = new Set<string>((container?.env ?? []).map((e: any) => e?.name));
            const unknownSources: string[] = [];
            for (const source of container?.envFrom ?? []) {
              const configMap =
                source?.configMapRef &&
                set.manifests.find(
                  (m) =>
                    m.object.kind === "ConfigMap" &&
                    m.object.metadata.name === source.configMapRef.name &&
                    namespaceOf(m.object) === workload.namespace,
                );
              if (configMap)
                for (const key of Object.keys(configMap.object.data ?? {})) known.add(`${source.prefix ?? ""}${key}`);
              else
                unknownSources.push(
                  source?.configMapRef ? `ConfigMap ${source.configMapRef.name}` : `Secret ${source?.secretRef?.name}`,
                );
            }
            for (const field of ["command", "args"]) {
              (container?.[field] ?? []).forEach((entry: unknown, position: number) => {
                if (typeof entry !== "string") return;
                // In a shell script, $(lowercase) is the shell's own command substitution.
                const names = kubernetesReferences(entry).filter(
                  (name) => !(/\s/.test(entry) && /[a-z]/.test(name)) && !known.has(name),
                );
                for (const name of [...new Set(names)]) {
                  const at = { field: `spec.template.spec.${list}[${index}].${field}[${position}]` };
                  if (unknownSources.length) {
                    reports.push({
                      set,
                      manifest: workload.manifest,
                      severity: "info",
                      at,
                      messageId: "maybeUnset",
                      data: {
                        name,
                        field,
                        container: container.name,
                        workload: workload.name,
                        unknownSources: unknownSources.join(", "),
                      },
                    });
                  } else {
                    reports.push({
                      set,
                      manifest: workload.manifest,
                      at,
                      messageId: "unset",
                      data: { name, field, container: container.name, workload: workload.name },
                    });
                  }
                }
              });
            }
          });
        }
      }
    }
    return reports;
  },
};
