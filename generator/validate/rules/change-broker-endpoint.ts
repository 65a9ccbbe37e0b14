// Clients keep bootstrap lists and cached metadata: a broker that moves its NodePort, advertised host or
// listener port is unreachable to them until they are reconfigured.
import { Report, Rule } from "../rule";
import { keptSeats, workloadPairs } from "../../change";
import { ofKind, parseListeners, singlePodTarget } from "../../model";

export const rule: Rule = {
  id: "change-broker-endpoint",
  group: "change",
  scope: "cluster",
  title: "An existing broker keeps its NodePort, advertised host and listener ports",
  severity: "warning",
  docs: {
    checks:
      "Warning: an existing broker's NodePort, advertised host (node IP or node name) or a listener port " + "changes.",
    why: "clients' bootstrap lists and cached metadata name the old address and break.",
    fix:
      "update every client's `bootstrap.servers` first (listing old and new addresses while the brokers " +
      "roll), or keep the old endpoint.",
  },
  messages: {
    endpointChanged: {
      text: "broker {{ordinal}} ({{pod}}) changes how clients reach it: {{changes}}; bootstrap lists and cached metadata that name the old address break",
      hint: "update every client's bootstrap.servers before the sync (list old and new addresses while it rolls), or keep the old endpoint",
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const pair of workloadPairs(context)) {
      if (pair.role !== "kafka" || !pair.after) continue;
      const after = pair.after;
      for (const seats of keptSeats(pair)) {
        const ordinal = seats.after.ordinal;
        const changes: string[] = [];
        if (seats.before.nodePort !== seats.after.nodePort)
          changes.push(`NodePort ${seats.before.nodePort ?? "none"} -> ${seats.after.nodePort ?? "none"}`);
        const old = pair.before.configFor(ordinal);
        const now = after.configFor(ordinal);
        for (const key of ["listeners", "advertised.listeners"]) {
          const was = parseListeners(old.get(key));
          for (const listener of parseListeners(now.get(key))) {
            const previous = was.find((l) => l.name === listener.name);
            if (!previous) continue;
            if (key === "advertised.listeners" && previous.host !== listener.host)
              changes.push(`${listener.name} advertised host ${previous.host} -> ${listener.host}`);
            if (
              previous.port !== listener.port &&
              !(
                key === "advertised.listeners" &&
                listener.port === seats.after.nodePort &&
                previous.port === seats.before.nodePort
              )
            ) {
              changes.push(
                `${listener.name} ${key === "listeners" ? "listener" : "advertised"} port ${previous.port} -> ${listener.port}`,
              );
            }
          }
        }
        if (!changes.length) continue;
        const service = ofKind(pair.set, "Service").find((s) => {
          const target = singlePodTarget(s, pair.set);
          return target?.workload.name === after.name && target.ordinal === ordinal;
        });
        reports.push({
          set: pair.set,
          manifest: seats.before.nodePort !== seats.after.nodePort && service ? service : after.manifest,
          at: seats.before.nodePort !== seats.after.nodePort && service ? { field: "spec.ports" } : undefined,
          messageId: "endpointChanged",
          data: { ordinal, pod: seats.after.pod, changes: changes.join(", ") },
        });
      }
    }
    return reports;
  },
};
