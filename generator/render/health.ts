// What "healthy" means for a sync gate, on each engine: every replica of a StatefulSet's current spec is
// ready, available and updated, whatever the update strategy, and a Certificate is issued for its current spec.
// Flux reads it from CEL expressions (Kustomization spec.healthCheckExprs), Argo CD from Lua health scripts
// (argocd-cm resource.customizations.health.<group>_<kind>). docs/gitops.md gives the engines' source for each.

/** A replica count in a StatefulSet's status: the API server leaves a zero count out. */
const statusCount = (field: string) => `(has(status.${field}) ? status.${field} : 0)`;

/**
 * Flux (2.5+) for apps/v1 StatefulSet, in place of kstatus, which reads an OnDelete StatefulSet as Current
 * at once and ignores availableReplicas. Core CEL only (no optional types), so any conformant CEL
 * implementation evaluates it as Flux does.
 * - updatedReplicas: a Pod deleted for the update may still be counted ready in the first status of a rollout.
 * - replicas: after a scale-down, Pods still terminating are counted until they are gone.
 * - revisions: under RollingUpdate the controller moves currentRevision to updateRevision once every Pod is
 *   updated and ready; under OnDelete it never does, so there updatedReplicas alone says the rollout is done.
 */
export const STATEFULSET_HEALTH = {
  apiVersion: "apps/v1",
  kind: "StatefulSet",
  current: [
    "has(status.observedGeneration) && status.observedGeneration == metadata.generation",
    ...["replicas", "readyReplicas", "availableReplicas", "updatedReplicas"].map(
      (field) => `${statusCount(field)} == spec.replicas`,
    ),
    "(spec.updateStrategy.type == 'OnDelete' || has(status.currentRevision) && has(status.updateRevision) && status.currentRevision == status.updateRevision)",
  ].join(" && "),
};

const condition = (type: string, status: string, extra = "") =>
  `status.conditions.exists(c, c.type == '${type}' && c.status == '${status}'${extra})`;

/**
 * Flux for cert-manager's Certificate, in place of kstatus, which reads one without a status (just created)
 * as Current. cert-manager sets Issuing True while it issues, Issuing False with lastFailureTime when an
 * issuance failed (and retries later), and Ready True, for the generation it checked, once the Secret holds
 * a certificate that matches the spec.
 */
export const CERTIFICATE_HEALTH = {
  apiVersion: "cert-manager.io/v1",
  kind: "Certificate",
  inProgress: `has(status.conditions) && ${condition("Issuing", "True")}`,
  failed: `has(status.conditions) && has(status.lastFailureTime) && ${condition("Issuing", "False")} && !${condition("Ready", "True")}`,
  current: `has(status.conditions) && ${condition("Ready", "True", " && (!has(c.observedGeneration) || c.observedGeneration == metadata.generation)")}`,
};

/**
 * Argo CD for argoproj.io/Application: Argo CD 1.8 removed the built-in one, so an app-of-apps would not
 * wait for a child Application before its next sync wave. A child that reports its health gives it as is.
 */
export const APPLICATION_HEALTH_LUA = `hs = {}
if obj.status ~= nil and obj.status.health ~= nil and obj.status.health.status ~= nil then
  hs.status = obj.status.health.status
  hs.message = obj.status.health.message
  return hs
end
hs.status = "Progressing"
hs.message = "waiting for the Application to report its health"
return hs
`;

/**
 * Argo CD for apps/StatefulSet, in place of the built-in check (gitops-engine health_statefulset.go), which
 * reports an OnDelete StatefulSet Healthy whatever its Pods' revision, and ignores availableReplicas and
 * Pods still terminating after a scale-down. Same order and words as the built-in where they agree.
 */
export const STATEFULSET_HEALTH_LUA = `hs = {}
local spec = obj.spec or {}
local status = obj.status or {}
local replicas = spec.replicas or 1
local function count(n) if n == nil then return 0 end return n end
local function progressing(message)
  hs.status = "Progressing"
  hs.message = message
  return hs
end
if count(status.observedGeneration) == 0 or obj.metadata.generation > status.observedGeneration then
  return progressing("Waiting for statefulset spec update to be observed...")
end
if count(status.replicas) > replicas then
  return progressing("Waiting for " .. (status.replicas - replicas) .. " pods to terminate...")
end
if count(status.readyReplicas) < replicas then
  return progressing("Waiting for " .. (replicas - count(status.readyReplicas)) .. " pods to be ready...")
end
if count(status.availableReplicas) < replicas then
  return progressing("Waiting for " .. (replicas - count(status.availableReplicas)) .. " pods to be available...")
end
local onDelete = spec.updateStrategy ~= nil and spec.updateStrategy.type == "OnDelete"
if onDelete and count(status.updatedReplicas) < replicas then
  return progressing("Waiting for " .. (replicas - count(status.updatedReplicas)) .. " pods to be deleted and recreated at revision " .. tostring(status.updateRevision) .. " (updateStrategy OnDelete)...")
end
if not onDelete and (count(status.updatedReplicas) < replicas or status.currentRevision ~= status.updateRevision) then
  return progressing("waiting for statefulset rolling update to complete " .. count(status.updatedReplicas) .. " pods at revision " .. tostring(status.updateRevision) .. "...")
end
hs.status = "Healthy"
hs.message = "statefulset has " .. replicas .. " ready pods at revision " .. tostring(status.updateRevision)
return hs
`;
