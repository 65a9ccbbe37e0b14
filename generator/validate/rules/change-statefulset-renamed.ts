// Claims are named after the StatefulSet and live in its namespace: a renamed or moved StatefulSet starts
// every Pod on new, empty claims while the data stays behind on the old ones.
import { Report, Rule } from "../rule";
import { migrationChanges, workloadPairs } from "../../change";

const HINT =
  "keep the StatefulSet's name and namespace; to move the data, build the new environment beside the old one and migrate (MirrorMaker for Kafka), then retire the old one (docs/runbooks/change-namespace.md#steps)";

export const rule: Rule = {
  id: "change-statefulset-renamed",
  group: "change",
  scope: "cluster",
  title: "A StatefulSet keeps its name and namespace",
  severity: "error",
  docs: {
    checks: "A StatefulSet keeps its name and namespace (and does not disappear while its environment stays).",
    why:
      "claims are named `<template>-<statefulset>-<ordinal>` in the StatefulSet's namespace: a renamed or " +
      "moved StatefulSet starts every Pod on new, empty claims while the data stays on the old ones.",
    procedure:
      "build the new environment beside the old one, migrate the data (MirrorMaker 2 for Kafka; ZooKeeper " +
      "is rebuilt by Kafka's own metadata only with care), switch clients, then retire the old environment " +
      "(change-environment-removed).",
    runbook: "docs/runbooks/change-namespace.md",
  },
  messages: {
    moved: {
      text: "StatefulSet {{from}} becomes {{to}}: its Pods would start on new, empty claims, and the data stays on the old ones",
      hint: HINT,
    },
    gone: {
      text: "StatefulSet {{statefulSet}} ({{role}}) is gone while its environment stays: its claims and data are left behind",
      hint: HINT,
    },
  },
  check(context) {
    const reports: Report[] = [];
    // The migration removes StatefulSets on purpose: controllers going back to phase 0, ZooKeeper in phase 5.
    const retired = new Map(
      migrationChanges(context).map((c) => [
        c.after,
        c.to.phase === 0 && c.from.phase > 0
          ? "controller"
          : c.to.phase === 5 && c.from.phase === 4
            ? "zookeeper"
            : undefined,
      ]),
    );
    for (const pair of workloadPairs(context)) {
      const { before, after } = pair;
      if (after && after.name === before.name && after.namespace === before.namespace) continue;
      if (!after && retired.get(pair.set) === before.role) continue;
      reports.push({
        set: pair.set,
        manifest: after?.manifest,
        at: after ? { field: after.name !== before.name ? "metadata.name" : "metadata.namespace" } : undefined,
        ...(after
          ? {
              messageId: "moved",
              data: { from: `${before.namespace}/${before.name}`, to: `${after.namespace}/${after.name}` },
            }
          : { messageId: "gone", data: { statefulSet: `${before.namespace}/${before.name}`, role: before.role } }),
      });
    }
    return reports;
  },
};
