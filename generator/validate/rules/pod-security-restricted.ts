// A namespace labelled pod-security.kubernetes.io/enforce: restricted admits no Pod that fails the profile:
// the StatefulSet is accepted and its Pods are then refused, one by one, at creation.
import { Report, Rule } from "../rule";
import { list, podSpecOf, record } from "../../model";

const CONTAINER_LISTS = ["initContainers", "containers", "ephemeralContainers"];
const ALLOWED_VOLUMES = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
];
const SAFE_SYSCTLS = [
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
];

interface Container {
  field: string;
  name: string;
  context: Record<string, any>;
  value: Record<string, any>;
}

/** One control of the profile: the fields that fail it, each with what is wrong. */
type Control = (pod: Record<string, any>, containers: Container[], prefix: string) => Failure[];

/** A failed control; `container` is the container it concerns, when it concerns one. */
interface Failure {
  field: string;
  problem: string;
  container?: string;
}

const CONTROLS: Control[] = [
  (pod, _, prefix) =>
    ["hostNetwork", "hostPID", "hostIPC"]
      .filter((key) => pod[key] === true)
      .map((key) => ({ field: `${prefix}.${key}`, problem: `${key} true` })),
  (_, containers) =>
    containers
      .filter((c) => c.context.privileged === true)
      .map((c) => ({ field: `${c.field}.securityContext.privileged`, container: c.name, problem: "privileged" })),
  (_, containers) =>
    containers.flatMap((c) =>
      list(c.value.ports)
        .filter((port) => record(port).hostPort)
        .map(() => ({ field: `${c.field}.ports`, container: c.name, problem: "a hostPort" })),
    ),
  (pod, _, prefix) =>
    list(pod.volumes)
      .map((volume, i) => ({ i, type: Object.keys(record(volume)).find((key) => key !== "name") }))
      .filter(({ type }) => type !== undefined && !ALLOWED_VOLUMES.includes(type))
      .map(({ i, type }) => ({
        field: `${prefix}.volumes[${i}]`,
        problem: `volume ${String(record(list(pod.volumes)[i]).name)} of type ${type}`,
      })),
  (_, containers) =>
    containers
      .filter((c) => c.context.allowPrivilegeEscalation !== false)
      .map((c) => ({
        field: `${c.field}.securityContext.allowPrivilegeEscalation`,
        container: c.name,
        problem: "allowPrivilegeEscalation not false",
      })),
  (pod, containers, prefix) => {
    const podNonRoot = record(pod.securityContext).runAsNonRoot === true;
    return containers
      .filter((c) => c.context.runAsNonRoot === false || (!podNonRoot && c.context.runAsNonRoot !== true))
      .map((c) => ({
        field: podNonRoot ? `${c.field}.securityContext.runAsNonRoot` : `${prefix}.securityContext.runAsNonRoot`,
        container: c.name,
        problem: "runAsNonRoot not true",
      }));
  },
  (pod, containers, prefix) => [
    ...(record(pod.securityContext).runAsUser === 0
      ? [{ field: `${prefix}.securityContext.runAsUser`, problem: "runAsUser 0" }]
      : []),
    ...containers
      .filter((c) => c.context.runAsUser === 0)
      .map((c) => ({ field: `${c.field}.securityContext.runAsUser`, container: c.name, problem: "runAsUser 0" })),
  ],
  (pod, containers, prefix) => {
    const allowed = (profile: unknown) => ["RuntimeDefault", "Localhost"].includes(record(profile).type);
    const podProfile = record(pod.securityContext).seccompProfile;
    return containers
      .filter((c) =>
        c.context.seccompProfile !== undefined ? !allowed(c.context.seccompProfile) : !allowed(podProfile),
      )
      .map((c) => ({
        field:
          c.context.seccompProfile !== undefined
            ? `${c.field}.securityContext.seccompProfile`
            : `${prefix}.securityContext.seccompProfile`,
        container: c.name,
        problem: "no seccomp profile of type RuntimeDefault or Localhost",
      }));
  },
  (_, containers) =>
    containers.flatMap((c) => {
      const capabilities = record(c.context.capabilities);
      const drop = list(capabilities.drop);
      const added = list(capabilities.add).filter((cap) => cap !== "NET_BIND_SERVICE");
      return [
        ...(drop.includes("ALL")
          ? []
          : [
              {
                field: `${c.field}.securityContext.capabilities.drop`,
                container: c.name,
                problem: "capabilities.drop without ALL",
              },
            ]),
        ...(added.length
          ? [
              {
                field: `${c.field}.securityContext.capabilities.add`,
                container: c.name,
                problem: `capabilities.add ${added.join(", ")}`,
              },
            ]
          : []),
      ];
    }),
  (_, containers) =>
    containers
      .filter((c) => c.context.procMount !== undefined && c.context.procMount !== "Default")
      .map((c) => ({
        field: `${c.field}.securityContext.procMount`,
        container: c.name,
        problem: `procMount ${c.context.procMount}`,
      })),
  (pod, _, prefix) =>
    list(record(pod.securityContext).sysctls)
      .filter((sysctl) => !SAFE_SYSCTLS.includes(record(sysctl).name))
      .map((sysctl) => ({
        field: `${prefix}.securityContext.sysctls`,
        problem: `unsafe sysctl ${String(record(sysctl).name)}`,
      })),
];

/** Pod-level failures first, then one clause per container: "container kafka: a, b". */
function describe(failures: Failure[]): string {
  const pod = failures.filter((f) => f.container === undefined).map((f) => f.problem);
  const containers = [...new Set(failures.flatMap((f) => (f.container === undefined ? [] : [f.container])))];
  const clauses = containers.map(
    (name) =>
      `container ${name}: ${failures
        .filter((f) => f.container === name)
        .map((f) => f.problem)
        .join(", ")}`,
  );
  return [...pod, ...clauses].join("; ");
}

export const rule: Rule = {
  id: "pod-security-restricted",
  group: "security",
  scope: "set",
  title: "Pods meet the Pod Security Standard restricted profile",
  severity: "warning",
  docs: {
    checks:
      "Warning: a Pod, or the Pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet, " +
      "ReplicationController, Job or CronJob, fails the Kubernetes Pod Security Standard *restricted* " +
      "profile. Checked: `hostNetwork`, `hostPID`, `hostIPC`; privileged containers; `hostPort`s; volume " +
      "types other than `configMap`, `csi`, `downwardAPI`, `emptyDir`, `ephemeral`, " +
      "`persistentVolumeClaim`, `projected` and `secret`; `allowPrivilegeEscalation: false` on every " +
      "container (init and ephemeral ones too); `runAsNonRoot: true` (on the Pod, or on every container) " +
      "and no `runAsUser: 0`; a seccomp profile of type `RuntimeDefault` or `Localhost` (on the Pod, or on " +
      "every container); `capabilities.drop` containing `ALL` and nothing added but `NET_BIND_SERVICE`; " +
      "`procMount` left at `Default`; only the safe sysctls. One finding per workload, listing every failed " +
      "control, located at the first field to change.",
    why:
      "a namespace labelled `pod-security.kubernetes.io/enforce: restricted` (as the generated ones are) " +
      "accepts the workload and then refuses each of its Pods.",
    fix: "set the field the message names; the generated StatefulSets show a complete `securityContext`.",
  },
  messages: {
    restricted: {
      text: "{{kind}} {{name}} fails the restricted Pod Security Standard: {{failures}}",
      hint: "a namespace enforcing restricted refuses these Pods; set the securityContext fields named (the generated StatefulSets show a complete one)",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const manifest of set.manifests) {
        const found = podSpecOf(manifest);
        if (!found) continue;
        const containers: Container[] = CONTAINER_LISTS.flatMap((key) =>
          list(found.pod[key]).map((value, i) => ({
            field: `${found.prefix}.${key}[${i}]`,
            name: String(record(value).name),
            value: record(value),
            context: record(record(value).securityContext),
          })),
        );
        const failures = CONTROLS.flatMap((control) => control(found.pod, containers, found.prefix));
        if (!failures.length) continue;
        // One finding per workload, located at its first failing field: a manifest written without the profile fails most controls at once.
        reports.push({
          set,
          manifest,
          at: { field: failures[0].field },
          messageId: "restricted",
          data: { kind: manifest.object.kind, name: manifest.object.metadata?.name, failures: describe(failures) },
        });
      }
    }
    return reports;
  },
};
