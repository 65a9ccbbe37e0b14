// Every member Pod of a ZooKeeper ensemble (which may span several StatefulSets) needs exactly one server.N
// entry, with N its myid; no entry may name a Pod that does not exist.
import { Report, Rule } from "../rule";
import { Workload, ensembles, serverPod } from "../../model";

export const rule: Rule = {
  id: "zookeeper-servers",
  group: "ordinals",
  scope: "set",
  title: "The ZooKeeper server list has one entry per member",
  severity: "error",
  docs: {
    checks:
      "Every member Pod of an ensemble (over one or several StatefulSets) is named by exactly one " +
      "`server.N` entry, every entry that names a member StatefulSet's Pod names one that exists (ordinal < " +
      "replicas), and, where `myid` is derived, N is that Pod's myid (`myid = ordinal + OFFSET` included). " +
      "Entries are read from a settings file of a ConfigMap or from `ZOO_SERVERS`. When `myid` cannot be " +
      "derived, the entries are only matched to Pods, and a list that does not number a StatefulSet's Pods " +
      "as ordinal + one offset is a warning. Start scripts are read as a shell runs them: `sed -i` edits " +
      "(`s/…/…/`, `/…/d`, basic or extended patterns) rewrite or remove the lines they match (static " +
      "`server.N` lines commented out or deleted are gone), `echo`/`printf`/heredoc lines append, and `for " +
      "i in $(seq A B)`, `for ((i=A; i<=B; i++))` and `for i in 1 2 3` loops that write `server.$i=…` lines " +
      "are evaluated from the Pod's env vars and script variables (member counts per StatefulSet, id " +
      'offsets in `$((…))`). *Info* "could not evaluate the server list": a loop whose bounds or key cannot ' +
      "be evaluated, a sed expression that cannot be read (or whose pattern could backtrack without bound), " +
      "a line appending server entries in a form not read, a member added at run time with `reconfig " +
      "-add`/`-members`, or a `{{placeholder}}` left in a server entry: the rule then judges nothing rather " +
      "than the file the script replaces.",
    why:
      "without the list each member runs alone (split brain); an entry for a Pod that does not exist counts " +
      "towards the quorum and never answers.",
    info:
      "a list written by the image itself (`start-zookeeper --servers=N`, `zkGenConfig.sh` with " +
      "`ZK_REPLICAS`), or no list found while the configuration is not in a ConfigMap settings file (the " +
      'image may write one). The "no server.N entries" error is given only when a settings file was read ' +
      "and no started script writes the list.",
    fix: "list every member, or start through a script that writes the list.",
  },
  messages: {
    shouldNameOrdinal:
      "server.{{n}}={{value}} should name Pod {{workload}}-{{ordinal}} (myid {{n}} is ordinal {{ordinal}})",
    shouldNameOrdinalOf:
      "server.{{n}}={{value}} should name Pod {{workload}}-{{ordinal}} (myid {{n}} is ordinal {{ordinal}} of {{workload}})",
    noServerEntry: "ordinal {{ordinal}} of {{workload}} has no server.{{myid}} entry in the ZooKeeper configuration",
    podUnnamed:
      "ordinal {{ordinal}} of {{workload}} (Pod {{workload}}-{{ordinal}}) is named by no server.N entry in the ZooKeeper configuration",
    podOfOtherMyid: "server.{{n}}={{value}} names Pod {{podName}}, whose myid is {{myid}}",
    unevaluated: "could not evaluate the server list of {{ensemble}}: {{why}}",
    writtenByImage: "the server list of {{image}} is written by the image's {{script}}: it cannot be read here",
    writtenByImageFrom:
      "the server list of {{image}} is written by the image's {{script}} from {{from}}: it cannot be read here (replica-count compares {{from}} with replicas)",
    noServerEntries: {
      text: "StatefulSet {{workload}} has {{replicas}} replicas but its configuration has no server.N entries and its start command writes none: each member would run alone",
      hint: "list server.1..server.N in zoo.cfg, or start through a script that writes them from the replica count",
    },
    noServerList:
      "cannot find the server list of {{ensemble}}: no settings file in a ConfigMap, ZOO_SERVERS env var or start script it runs lists servers (the image may write one; not checked)",
    beyondReplicas:
      "server.{{n}} names a member that does not exist (StatefulSet {{workload}} has replicas: {{replicas}}); the ensemble counts it in its quorum",
    podTwice: "server.{{n}} names Pod {{podName}}, as server.{{server}} does: one Pod cannot be two members",
    offsetsDiffer:
      "the server list of {{ensemble}} does not number {{workload}}'s Pods as ordinal + one offset, and {{workload}}'s myid cannot be derived: check that each member's myid is its server.N",
  },
  check(context) {
    const reports: Report[] = [];
    for (const set of context.sets) {
      for (const ensemble of ensembles(set)) {
        if (ensemble.size === 0) continue;
        const running = ensemble.workloads.filter((w) => w.replicas > 0);
        // A list the scripts decide at run time is judged only as far as it is evaluated: never the file it replaces.
        const unknown = ensemble.workloads.find((w) => w.serverListUnknown);
        const unevaluated =
          ensemble.listedBy &&
          [...ensemble.servers.keys()].find((n) => ensemble.listedBy!.configFor(0).get(`server.${n}`) === undefined);
        if (unknown || unevaluated !== undefined) {
          const why = unknown
            ? unknown.serverListUnknown
            : `server.${unevaluated}=${ensemble.servers.get(unevaluated!)!.raw} is filled in at run time`;
          reports.push({
            set,
            manifest: (unknown ?? ensemble.listedBy)!.manifest,
            severity: "info",
            messageId: "unevaluated",
            data: { ensemble: ensemble.name, why },
          });
          continue;
        }
        if (!ensemble.listedBy) {
          if (ensemble.workloads.some((w) => w.ensembleVariable)) continue;
          const image = ensemble.workloads.find((w) => w.imageConfig);
          if (image) {
            const from = image.imageConfig!.servers?.from;
            reports.push({
              set,
              manifest: image.manifest,
              severity: "info",
              messageId: from ? "writtenByImageFrom" : "writtenByImage",
              data: {
                image: image.name,
                script: image.imageConfig!.script,
                ...(from ? { from } : {}),
              },
            });
            continue;
          }
          if (ensemble.size === 1) continue;
          const workload = running[0];
          if (workload.readsConfigFile) {
            reports.push({
              set,
              manifest: workload.manifest,
              at: { field: "spec.template.spec.containers" },
              messageId: "noServerEntries",
              data: { workload: workload.name, replicas: workload.replicas },
            });
          } else {
            reports.push({
              set,
              manifest: workload.manifest,
              severity: "info",
              messageId: "noServerList",
              data: { ensemble: ensemble.name },
            });
          }
          continue;
        }
        // A list a script writes in a loop bounded by a replica count: whether the count matches replicas is
        // replica-count's finding, not one per member here.
        const counted = ensemble.workloads.some((w) => w.ensembleVariable);
        const config = ensemble.listedBy.configFor(0);
        const named = new Map<string, number>();
        const offsets = new Map<Workload, Set<number>>();
        for (const [n, entry] of [...ensemble.servers].sort((a, b) => a[0] - b[0])) {
          const value = config.get(`server.${n}`);
          const at = { configKey: `server.${n}`, source: entry.source };
          const pod = serverPod(value, ensemble.workloads);
          if (!pod) continue;
          const { workload, ordinal } = pod;
          const podName = `${workload.name}-${ordinal}`;
          if (ordinal >= workload.replicas) {
            if (counted) continue;
            reports.push({
              set,
              manifest: entry.source.manifest,
              at,
              messageId: "beyondReplicas",
              data: { n, workload: workload.name, replicas: workload.replicas },
            });
            continue;
          }
          if (named.has(podName)) {
            reports.push({
              set,
              manifest: entry.source.manifest,
              at,
              messageId: "podTwice",
              data: { n, podName, server: named.get(podName) },
            });
            continue;
          }
          named.set(podName, n);
          const myid = workload.myidFor(ordinal);
          if (myid === undefined) {
            offsets.set(workload, new Set([...(offsets.get(workload) ?? []), n - ordinal]));
          } else if (myid !== n) {
            const owner = ensemble.workloads.flatMap((w) =>
              [...Array(Math.max(0, w.replicas)).keys()].filter((o) => w.myidFor(o) === n).map((o) => ({ w, o })),
            )[0];
            reports.push({
              set,
              manifest: entry.source.manifest,
              at,
              ...(!owner
                ? { messageId: "podOfOtherMyid", data: { n, value, podName, myid } }
                : {
                    messageId: ensemble.workloads.length > 1 ? "shouldNameOrdinalOf" : "shouldNameOrdinal",
                    data: { n, value, workload: owner.w.name, ordinal: owner.o },
                  }),
            });
          }
        }
        for (const [workload, seen] of offsets) {
          if (seen.size < 2) continue;
          reports.push({
            set,
            manifest: ensemble.servers.values().next().value!.source.manifest,
            severity: "warning",
            messageId: "offsetsDiffer",
            data: { ensemble: ensemble.name, workload: workload.name },
          });
        }
        for (const workload of counted ? [] : running) {
          for (let ordinal = 0; ordinal < workload.replicas; ordinal++) {
            if (named.has(`${workload.name}-${ordinal}`)) continue;
            const myid = workload.myidFor(ordinal);
            reports.push({
              set,
              manifest: workload.manifest,
              at: { field: "spec.replicas" },
              ...(myid !== undefined
                ? { messageId: "noServerEntry", data: { ordinal, workload: workload.name, myid } }
                : { messageId: "podUnnamed", data: { ordinal, workload: workload.name } }),
            });
          }
        }
      }
    }
    return reports;
  },
};
