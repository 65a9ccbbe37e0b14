// With a static server list, old and new members disagree on the quorum size while the ensemble rolls:
// a change of two members lets two quorums form. One member at a time keeps every old and new quorum
// overlapping, so growing or shrinking by two goes through an even size, one change each.
import { Report, Rule } from "../rule";
import { workloadPairs } from "../../change";

const ALONE =
  "and a single member survives no failure: ZooKeeper, and every broker with it, stops whenever it restarts";
const ROLL =
  "roll it one member at a time with updateStrategy: OnDelete: {{start}}restart each remaining member in turn, followers first and the leader last (srvr shows its Mode: kubectl exec <pod> -- bash -c 'exec 3<>/dev/tcp/127.0.0.1/2181; printf srvr >&3; cat <&3'), waiting for it to show follower or leader again before the next";
const EVEN_STEP =
  "(a step: an even ensemble survives no more failures than {{fewer}} members, so go on to {{next}} in a following change)";
const NO_QUORUM =
  "with {{members}} member(s) the quorum is {{quorum}}, so each of these restarts stops ZooKeeper until the member rejoins (brokers lose their session: plan a maintenance window)";

export const rule: Rule = {
  id: "change-zookeeper-membership",
  group: "change",
  scope: "cluster",
  title: "ZooKeeper membership changes by one member per change",
  severity: "error",
  docs: {
    checks:
      "Error when the ensemble changes by more than one member in one change; warning for a change of one " + "member.",
    why:
      "the server list is static: while the ensemble rolls, members with the old list and members with the " +
      "new one count different quorums, and a change of two lets two leaders form; with one member at a " +
      "time every old quorum and every new one share a member. So 3 → 5 is two changes, 3 → 4 and 4 → 5, " +
      "each rolled as below; the Environment acknowledges the even step (`acknowledge: [{rule: " +
      'zookeeper-ensemble-size, object: StatefulSet/zookeeper, reason: "..."}]`, which `generate` requires ' +
      "for an even size) and drops the acknowledgement with the second change.",
    procedure:
      "For one member:\n" +
      "1. Set `zookeeper.updateStrategy: OnDelete` for the change, so you choose the restart order.\n" +
      "2. Sync; when growing, the new member starts and syncs from the leader.\n" +
      "3. Restart the other members one at a time, followers first and the leader last (`srvr` shows " +
      "`Mode`; `kafka-overlays plan` prints the command, which needs no `nc` in the image), waiting after " +
      "each for it to show `follower` or `leader` again and to rejoin (`mntr` on the leader: " +
      "`zk_synced_followers`).\n" +
      "4. When shrinking, delete the removed member's claim and volume after the roll.\n" +
      "\n" +
      "Until the last member runs the new spec, the health gate holds what comes after ZooKeeper (Argo CD's " +
      "next wave; Flux's `<env>-controller` or `<env>-kafka`, while `<env>-zookeeper` reports its health " +
      "check failed at each 10-minute timeout and retries): a change that also touches Kafka rolls the " +
      "brokers after the roll.",
    runbook: "docs/runbooks/scale-down.md",
  },
  messages: {
    twoQuorums: {
      text: "ZooKeeper {{statefulSet}} goes from {{from}} to {{to}} member(s): while it rolls, {{oldQuorum}} old and {{newQuorum}} new members each make a quorum, so two leaders can form",
      hint: "change the ensemble by one member per change ({{from}} -> {{next}} first)",
    },
    twoQuorumsEvenStep: {
      text: "ZooKeeper {{statefulSet}} goes from {{from}} to {{to}} member(s): while it rolls, {{oldQuorum}} old and {{newQuorum}} new members each make a quorum, so two leaders can form",
      hint: "change the ensemble by one member per change ({{from}} -> {{next}} first, an even step the Environment acknowledges)",
    },
    twoQuorumsToOne: {
      text: `ZooKeeper {{statefulSet}} goes from {{from}} to {{to}} member(s): while it rolls, {{oldQuorum}} old and {{newQuorum}} new members each make a quorum, so two leaders can form; ${ALONE}`,
      hint: "change the ensemble by one member per change ({{from}} -> {{next}} first, an even step the Environment acknowledges)",
    },
    twoQuorumsToOneOddStep: {
      text: `ZooKeeper {{statefulSet}} goes from {{from}} to {{to}} member(s): while it rolls, {{oldQuorum}} old and {{newQuorum}} new members each make a quorum, so two leaders can form; ${ALONE}`,
      hint: "change the ensemble by one member per change ({{from}} -> {{next}} first)",
    },
    rolls: {
      text: "ZooKeeper {{statefulSet}} goes from {{from}} to {{to}} member(s): every member restarts with the new server list",
      hint: `${ROLL}, so a quorum stays up{{released}}`,
    },
    rollsEvenStep: {
      text: `ZooKeeper {{statefulSet}} goes from {{from}} to {{to}} member(s): every member restarts with the new server list ${EVEN_STEP}`,
      hint: `${ROLL}, so a quorum stays up{{released}}`,
    },
    rollsEvenStepWithoutQuorum: {
      text: `ZooKeeper {{statefulSet}} goes from {{from}} to {{to}} member(s): every member restarts with the new server list ${EVEN_STEP}`,
      hint: `${ROLL}: ${NO_QUORUM}{{released}}`,
    },
    rollsToOne: {
      text: `ZooKeeper {{statefulSet}} goes from {{from}} to {{to}} member(s): every member restarts with the new server list; ${ALONE}`,
      hint: `${ROLL}: ${NO_QUORUM}{{released}}`,
    },
  },
  check(context) {
    const reports: Report[] = [];
    for (const pair of workloadPairs(context)) {
      const { before, after } = pair;
      if (pair.role !== "zookeeper" || !after || after.replicas === before.replicas) continue;
      const from = before.replicas;
      const to = after.replicas;
      const next = from + Math.sign(to - from);
      const base = { set: pair.set, manifest: after.manifest, at: { field: "spec.replicas" } };
      const quorum = (members: number) => Math.floor(members / 2) + 1;
      const common = { statefulSet: after.name, from, to };
      if (Math.abs(to - from) > 1) {
        const even = next % 2 === 0;
        const messageId =
          to === 1 ? (even ? "twoQuorumsToOne" : "twoQuorumsToOneOddStep") : even ? "twoQuorumsEvenStep" : "twoQuorums";
        reports.push({
          ...base,
          messageId,
          data: { ...common, oldQuorum: quorum(from), newQuorum: quorum(to), next },
        });
        continue;
      }
      const start = to > from ? `let the new member ${after.name}-${to - 1} start and sync, then ` : "";
      const released =
        to < from ? `; the removed member ${before.name}-${from - 1}'s volume keeps its data until you delete it` : "";
      // At one or two members every restart stops the ensemble: a rolling restart cannot keep a quorum up.
      const roll = { ...common, start, released };
      const alone = { ...roll, members: to, quorum: quorum(to) };
      const evenStep = { fewer: to - 1, next: to + Math.sign(to - from) };
      const warning = { ...base, severity: "warning" as const };
      if (to === 1) reports.push({ ...warning, messageId: "rollsToOne", data: alone });
      else if (to === 2)
        reports.push({ ...warning, messageId: "rollsEvenStepWithoutQuorum", data: { ...alone, ...evenStep } });
      else if (to % 2 === 0) reports.push({ ...warning, messageId: "rollsEvenStep", data: { ...roll, ...evenStep } });
      else reports.push({ ...warning, messageId: "rolls", data: roll });
    }
    return reports;
  },
};
