// Local storage: one StorageClass per cluster, one PersistentVolume per ordinal pinned to its placed node.
import type { IPersistentVolume } from "kubernetes-models/v1/PersistentVolume";
import type { IStorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import { NAMES, localPath } from "../layout";
import { Cluster, Environment, Role } from "../spec/types";
import { selectorLabels } from "./statefulSet";

/** Binding waits until the Pod is scheduled, so the scheduler honours the volume's node. */
export function localStorageClass(cluster: Cluster): IStorageClass {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: cluster.storageClassName },
    provisioner: "kubernetes.io/no-provisioner",
    volumeBindingMode: "WaitForFirstConsumer",
    reclaimPolicy: "Retain",
  };
}

export function localVolume(environment: Environment, role: Role, ordinal: number): IPersistentVolume {
  const spec = environment[role]!;
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: NAMES.volume(environment.name, role, ordinal), labels: selectorLabels(role) },
    spec: {
      capacity: { storage: spec.storage.size },
      accessModes: ["ReadWriteOnce"],
      volumeMode: "Filesystem",
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: environment.cluster.storageClassName,
      // Pre-bound: this volume can only ever hold this ordinal's data.
      claimRef: {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        namespace: environment.namespace,
        name: NAMES.claim(role, ordinal),
      },
      local: { path: localPath(environment, role, ordinal) },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            {
              matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [spec.placement[ordinal]] }],
            },
          ],
        },
      },
    },
  };
}
