import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { NAMES } from "../layout";
import { Role } from "../spec/types";
import { checked } from "./checked";
import { selectorLabels } from "./statefulSet";

/** At most one member of a role is evicted at a time: a 3-member ensemble keeps its quorum. */
export function disruptionBudget(role: Role): PodDisruptionBudget {
  return checked(
    new PodDisruptionBudget({
      metadata: { name: NAMES.disruptionBudget(role), labels: selectorLabels(role) },
      spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(role) } },
    }),
  );
}
