// How start scripts are read: bash integer arithmetic as the shell evaluates it, and nothing else.
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  appendedProperties,
  expand,
  integerExpression,
  logicalLines,
  reconfigures,
  sedEdits,
  withLoopValue,
} from "../generator/model/shell";

test("integer arithmetic follows bash: precedence, parentheses, unary minus, truncating division", () => {
  assert.is(integerExpression("3000 + 2"), 3002);
  assert.is(integerExpression("1 + 2 * 3"), 7);
  assert.is(integerExpression("(1 + 2) * 3"), 9);
  assert.is(integerExpression("-7 / 2"), -3);
  assert.is(integerExpression("7 % 3 + -(2)"), -1);
  assert.is(integerExpression(" 10 - 2 - 3 "), 5);
});

test("anything but integer arithmetic is not evaluated", () => {
  for (const text of [
    "1 / 0",
    "5 % 0",
    "2 ** 3",
    "1 +",
    "(1",
    "1)",
    "NaN + 1",
    "a",
    "1; process.exit()",
    "this",
    "",
    "99999999999999999999",
  ]) {
    assert.is(integerExpression(text), undefined, text);
  }
});

test("an ordinal expansion evaluates for the Pod, an unknown variable leaves it unknown", () => {
  const context = {
    hostname: "kafka-2",
    domain: "kafka-headless.ns.svc.cluster.local",
    variables: { HOSTNAME: "kafka-2" },
  };
  assert.is(expand("$(( ${HOSTNAME##*-} + 3000 ))", context), "3002");
  assert.is(expand("$(( ${HOSTNAME##*-} * 2 + OFFSET ))", context), undefined);
});

test("a line ending in an odd run of backslashes continues, an even run does not", () => {
  assert.equal(logicalLines("a=1 \\\n  b=2\nc=3"), ["a=1  b=2", "c=3"]);
  assert.equal(logicalLines("path=C:\\\\\nnext=1"), ["path=C:\\\\", "next=1"]);
  assert.equal(
    appendedProperties('echo "x=1\\\\" >> f\necho "y=2" >> f').map((p) => p.key),
    ["x", "y"],
  );
});

test("lines written in an integer loop carry the loop: seq, arithmetic for, a literal list, one-line loops", () => {
  const script = [
    'for i in $(seq 1 $ZK_REPLICAS); do echo "server.$i=zk-$((i - 1)).zk:2888:3888" >> zoo.cfg; done',
    "for ((n = 0; n < COUNT; n++))",
    "do",
    '  echo "server.$((n + OFFSET))=b-$n.zk:2888:3888" >> zoo.cfg',
    "done",
    "for id in 4 5; do",
    "  printf 'server.${id}=c:2888:3888\\n' >> zoo.cfg",
    "done",
    'echo "clientPort=2181" >> zoo.cfg',
  ].join("\n");
  assert.equal(appendedProperties(script), [
    { key: "server.$i", value: "zk-$((i - 1)).zk:2888:3888", loop: { variable: "i", from: "1", to: "$ZK_REPLICAS" } },
    {
      key: "server.$((n + OFFSET))",
      value: "b-$n.zk:2888:3888",
      loop: { variable: "n", from: "$((0))", to: "$((COUNT - 1))" },
    },
    { key: "server.${id}", value: "c:2888:3888", loop: { variable: "id", from: "4", to: "5" } },
    { key: "clientPort", value: "2181" },
  ]);
  assert.is(withLoopValue("server.$((n + OFFSET))=b-$n.x-${n}", "n", 2), "server.$((2 + OFFSET))=b-2.x-2");
});

test("sed -i edits are read as JavaScript patterns; a deletion has no replacement; sed without -i edits nothing; an unbounded pattern is not read", () => {
  const { edits, unread } = sedEdits(
    [
      "sed -i '/^server\\./d' /conf/zoo.cfg",
      'sed -i -e "s|{{DATA_DIR}}|$DATA|g" -e \'s/^\\(clientPort\\)=.*/\\1=2182/\' "$CFG"',
      "sed -E -i 's/(a|b)x/&&/' f && sed 's/x/y/' g",
      "sed -i 's/[/x/' h",
      // Unbounded backtracking is not run on pull-request content.
      "sed -E -i 's/(a+)+$/x/' k",
    ].join("\n"),
  );
  assert.equal(
    edits.map((e) => [e.file, String(e.pattern), e.replacement]),
    [
      ["/conf/zoo.cfg", "/^server\\./", undefined],
      ["$CFG", "/\\{\\{DATA_DIR\\}\\}/g", "$$DATA"],
      ["$CFG", "/^(clientPort)=.*/", "$1=2182"],
      ["f", "/(a|b)x/", "$&$&"],
    ],
  );
  assert.equal(unread, ["sed 's/[/x/' h", "sed 's/(a+)+$/x/' k"]);
});

test("a membership changed at run time: reconfig -add, -remove, -members; not in a comment", () => {
  assert.ok(reconfigures('zkCli.sh -server zk-0:2181 reconfig -add "server.$ID=$HOST:2888:3888;2181"'));
  assert.ok(reconfigures("echo x\n  zkCli.sh reconfig -remove 3"));
  assert.not.ok(reconfigures("# zkCli.sh reconfig -add server.2=x"));
});

test("a {{placeholder}} left in a value is not a value", () => {
  assert.is(expand("/data/{{ZK_ID}}", { hostname: "zk-0", domain: "d", variables: {} }), undefined);
});

test.run();
