// Kafka's log.dirs and ZooKeeper's dataDir must be on the persistent volume, or a restart loses the data.
import { Report, Rule } from "../rule";
import { ROLES, isUnder, persistentMounts, volumeMounts, workloads } from "../../model";

const DATA_KEYS: Record<"kafka" | "zookeeper", string[]> = {
  kafka: ["log.dirs", "log.dir", "metadata.log.dir"],
  zookeeper: ["dataDir", "dataLogDir"],
};

export const rule: Rule = {
  id: "data-on-volume",
  group: "configuration",
  scope: "set",
  title: "Data directories lie on a mounted persistent volume",
  severity: "error",
  docs: {
    checks:
      "Kafka's `log.dirs` (or `log.dir`), KRaft's `metadata.log.dir`, and ZooKeeper's `dataDir` and " +
      "`dataLogDir` lie under a mount of a persistent volume (a claim template or a PVC volume). Under an " +
      "`emptyDir` mount it is a warning (ephemeral members are sometimes meant to be); under a `hostPath` " +
      "mount too (the data survives restarts but stays on the node: a Pod scheduled elsewhere starts " +
      "empty). Read from any settings file, `--override` arguments, scripts, and `start-zookeeper " +
      "--data_dir/--data_log_dir`; StatefulSets with `replicas: 0` are not judged.",
    why: "anything else is lost with the container.",
    info: "a value that cannot be derived.",
    fix: "move the directory under the data volume's mount path.",
  },
  messages: {
    onHostPath: {
      text: "{{key}}={{dir}} of {{workload}} is on a hostPath volume: it survives restarts, but stays on the node: a Pod scheduled to another node starts empty",
      hint: "pin each Pod to its node, or use a local PersistentVolume with node affinity (what ordinal-volume checks)",
    },
    onEmptyDir: {
      text: "{{key}}={{dir}} of {{workload}} is on an emptyDir volume: it survives a container restart, but a rescheduled Pod starts empty and must copy everything from its peers",
      hint: "use a volumeClaimTemplate unless these members are meant to be ephemeral",
    },
    notPersistent: {
      text: "{{key}}={{dir}} of {{workload}} is not on a persistent volume (mounted: {{mounts}}): the data is lost with the container",
      hint: "put {{key}} under {{mount}}",
    },
    nothingMounted: {
      text: "{{key}}={{dir}} of {{workload}} is not on a persistent volume (mounted: none): the data is lost with the container",
      hint: "mount a volumeClaimTemplate",
    },
    cannotDerive: 'cannot derive {{key}} of {{workload}} from "{{raw}}"',
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const workload of workloads(set)) {
        const server = ROLES[workload.role].server;
        if (!server || workload.replicas === 0) continue;
        const mounts = persistentMounts(workload);
        const config = workload.configFor(0);
        for (const key of DATA_KEYS[server]) {
          const entry = workload.config.get(key);
          const value = config.get(key);
          if (!entry) continue;
          if (value === undefined) {
            reports.push({
              set,
              manifest: workload.manifest,
              severity: "info",
              messageId: "cannotDerive",
              data: { key, workload: workload.name, raw: entry.raw },
            });
            continue;
          }
          for (const dir of value.split(",").map((d) => d.trim().replace(/\/+$/, ""))) {
            if (isUnder(dir, mounts)) continue;
            // Pod volumes that keep the data for a while: a warning, with what they do not survive.
            const kept = (["hostPath", "emptyDir"] as const).find((kind) => isUnder(dir, volumeMounts(workload, kind)));
            if (kept) {
              reports.push({
                set,
                manifest: entry.source.manifest,
                at: { configKey: key, source: entry.source },
                severity: "warning",
                messageId: kept === "hostPath" ? "onHostPath" : "onEmptyDir",
                data: { key, dir, workload: workload.name },
              });
              continue;
            }
            reports.push({
              set,
              manifest: entry.source.manifest,
              at: { configKey: key, source: entry.source },
              ...(mounts.length
                ? {
                    messageId: "notPersistent",
                    data: { key, dir, workload: workload.name, mounts: mounts.join(", "), mount: mounts[0] },
                  }
                : { messageId: "nothingMounted", data: { key, dir, workload: workload.name } }),
            });
          }
        }
      }
    }
    return reports;
  },
};
