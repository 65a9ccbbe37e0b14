// An even ensemble tolerates no more failures than the odd one below it; one member tolerates none. Both
// work, and an even size is the step between two odd ones (membership changes by one member at a time),
// so both are warnings, which an Environment can acknowledge. The ensemble is every StatefulSet sharing the
// server list; a StatefulSet scaled to 0 adds no member.
import { Report, Rule } from "../rule";
import { ensembles } from "../../model";

export const rule: Rule = {
  id: "zookeeper-ensemble-size",
  group: "configuration",
  scope: "set",
  title: "ZooKeeper ensembles are odd and at least 3",
  severity: "warning",
  docs: {
    checks:
      "Warning: a ZooKeeper ensemble (one StatefulSet, or several sharing a server list) runs an odd number " +
      "of members, at least 3; one member is a warning too (development); an ensemble of StatefulSets all " +
      "scaled to 0 is not judged.",
    why: "an even ensemble tolerates no more failures than the odd one below it.",
    fix:
      "use 3, 5 or 7. An even size is also the step between two odd ones (see change-zookeeper-membership): " +
      "an Environment stops there by acknowledging this rule for `StatefulSet/zookeeper` with the reason, " +
      "and moves on in the next change.",
  },
  messages: {
    singleMember: "ZooKeeper {{ensemble}} runs a single member: fine for development, no fault tolerance",
    singleMemberOfEnsemble:
      "ZooKeeper ensemble {{ensemble}} ({{statefulSets}}) runs a single member: fine for development, no fault tolerance",
    even: {
      text: "ZooKeeper {{ensemble}} has {{members}} members: an even ensemble survives {{tolerated}} failure(s), no more than {{fewer}} members would",
      hint: "use {{fewer}} or {{more}} replicas; as a step between them, acknowledge it in the Environment with the reason",
    },
    evenEnsemble: {
      text: "ZooKeeper ensemble {{ensemble}} ({{statefulSets}}) has {{members}} members: an even ensemble survives {{tolerated}} failure(s), no more than {{fewer}} members would",
      hint: "use {{fewer}} or {{more}} members in all; as a step between them, acknowledge it in the Environment with the reason",
    },
  },
  check(context) {
    return context.sets.flatMap((set) =>
      ensembles(set).flatMap((ensemble): Report[] => {
        const n = ensemble.size;
        const manifest = (ensemble.workloads.find((w) => w.replicas > 0) ?? ensemble.workloads[0]).manifest;
        const single = ensemble.workloads.length === 1;
        const names = single
          ? { ensemble: ensemble.name }
          : {
              ensemble: ensemble.name,
              statefulSets: ensemble.workloads.map((w) => `${w.name}: ${w.replicas}`).join(", "),
            };
        if (n === 1) {
          return [
            {
              set,
              manifest,
              severity: "warning",
              at: { field: "spec.replicas" },
              messageId: single ? "singleMember" : "singleMemberOfEnsemble",
              data: names,
            },
          ];
        }
        if (n > 0 && n % 2 === 0) {
          return [
            {
              set,
              manifest,
              at: { field: "spec.replicas" },
              messageId: single ? "even" : "evenEnsemble",
              data: { ...names, members: n, tolerated: n / 2 - 1, fewer: n - 1, more: n + 1 },
            },
          ];
        }
        return [];
      }),
    );
  },
};
