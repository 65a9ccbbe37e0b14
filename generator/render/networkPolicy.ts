// One NetworkPolicy per role and environment: each port admits only who needs it. Egress is left open.
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1";
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { NAMES, PORTS } from "../layout";
import { InternalClient, KafkaSpec, Role } from "../spec/types";
import { selectorLabels } from "./statefulSet";

const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: "TCP" as const, port }));
const pods = (role: Role): INetworkPolicyPeer => ({ podSelector: { matchLabels: selectorLabels(role) } });

/** Clients (the environment's brokers, migrating controllers and the members themselves) on 2181; quorum and election among members only. */
export function zookeeperNetworkPolicy(withControllers = false): INetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: NAMES.networkPolicy("zookeeper"), labels: selectorLabels("zookeeper") },
    spec: {
      podSelector: { matchLabels: selectorLabels("zookeeper") },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [pods("kafka"), ...(withControllers ? [pods("controller")] : []), pods("zookeeper")],
          ports: tcp(PORTS.zookeeperClient),
        },
        { from: [pods("zookeeper")], ports: tcp(PORTS.zookeeperPeer, PORTS.zookeeperElection) },
      ],
    },
  };
}

/** The quorum's listener for the environment's controllers and brokers only: no client ever talks to a controller. */
export function controllerNetworkPolicy(): INetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: NAMES.networkPolicy("controller"), labels: selectorLabels("controller") },
    spec: {
      podSelector: { matchLabels: selectorLabels("controller") },
      policyTypes: ["Ingress"],
      ingress: [{ from: [pods("controller"), pods("kafka")], ports: tcp(PORTS.controller) }],
    },
  };
}

/** The internal listener for the namespace's Pods and the allow-list; the external one for the client CIDRs (any when none). */
export function kafkaNetworkPolicy(kafka: KafkaSpec): INetworkPolicy {
  const external = kafka.external.clientCIDRs.map((cidr) => ({ ipBlock: { cidr } }));
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: NAMES.networkPolicy("kafka"), labels: selectorLabels("kafka") },
    spec: {
      podSelector: { matchLabels: selectorLabels("kafka") },
      policyTypes: ["Ingress"],
      ingress: [
        { from: [{ podSelector: {} }, ...kafka.internalClients.map(internalPeer)], ports: tcp(PORTS.kafkaInternal) },
        { ...(external.length ? { from: external } : {}), ports: tcp(PORTS.kafkaExternal) },
      ],
    },
  };
}

function internalPeer(client: InternalClient): INetworkPolicyPeer {
  if (client.cidr !== undefined) return { ipBlock: { cidr: client.cidr } };
  return {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": client.namespace! } },
    ...(client.podLabels ? { podSelector: { matchLabels: client.podLabels } } : {}),
  };
}
