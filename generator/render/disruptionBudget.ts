import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { NAMES } from "../layout";
import { Role } from "../spec/types";
import { selectorLabels } from "./statefulSet";

/** At most one member of a role is evicted at a time: a 3-member ensemble keeps its quorum. */
export function disruptionBudget(role: Role): IPodDisruptionBudget {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: NAMES.disruptionBudget(role), labels: selectorLabels(role) },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(role) } },
  };
}
