// Where each workload kind keeps its Pod spec, for rules that read any workload, not only StatefulSets.
import { Manifest } from "../manifests/types";

const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ["spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

/** A value of a manifest nobody here wrote, of any shape: the one place the model admits `any`, read only
 * through record() and list(), which turn a wrong shape into an empty one. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Untyped = any;

/** A mapping read defensively: anything else reads as empty. */
export const record = (value: unknown): Record<string, Untyped> =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, Untyped>) : {};
/** A list read defensively: anything else reads as empty. */
export const list = (value: unknown): Untyped[] => (Array.isArray(value) ? value : []);

/** The Pod spec of a workload and its dotted path in the object; undefined for other kinds or a missing spec. */
export function podSpecOf(manifest: Manifest): { pod: Record<string, Untyped>; prefix: string } | undefined {
  // Own keys only: a kind such as "hasOwnProperty" is hostile input, not a workload.
  const path = Object.hasOwn(POD_SPEC_PATHS, manifest.object.kind) ? POD_SPEC_PATHS[manifest.object.kind] : undefined;
  if (!path) return undefined;
  const pod = path.reduce<unknown>((node, key) => record(node)[key], manifest.object);
  return pod && typeof pod === "object" && !Array.isArray(pod)
    ? { pod: record(pod), prefix: path.join(".") }
    : undefined;
}
