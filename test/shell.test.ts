// How start scripts are read: bash integer arithmetic as the shell evaluates it, and nothing else.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { appendedProperties, expand, integerExpression, logicalLines } from "../generator/model/shell";

test("integer arithmetic follows bash: precedence, parentheses, unary minus, truncating division", () => {
  assert.is(integerExpression("3000 + 2"), 3002);
  assert.is(integerExpression("1 + 2 * 3"), 7);
  assert.is(integerExpression("(1 + 2) * 3"), 9);
  assert.is(integerExpression("-7 / 2"), -3);
  assert.is(integerExpression("7 % 3 + -(2)"), -1);
  assert.is(integerExpression(" 10 - 2 - 3 "), 5);
});

test("anything but integer arithmetic is not evaluated", () => {
  for (const text of ["1 / 0", "5 % 0", "2 ** 3", "1 +", "(1", "1)", "NaN + 1", "a", "1; process.exit()", "this", "", "99999999999999999999"]) {
    assert.is(integerExpression(text), undefined, text);
  }
});

test("an ordinal expansion evaluates for the Pod, an unknown variable leaves it unknown", () => {
  const context = { hostname: "kafka-2", domain: "kafka-headless.ns.svc.cluster.local", variables: { HOSTNAME: "kafka-2" } };
  assert.is(expand("$(( ${HOSTNAME##*-} + 3000 ))", context), "3002");
  assert.is(expand("$(( ${HOSTNAME##*-} * 2 + OFFSET ))", context), undefined);
});

test("a line ending in an odd run of backslashes continues, an even run does not", () => {
  assert.equal(logicalLines("a=1 \\\n  b=2\nc=3"), ["a=1  b=2", "c=3"]);
  assert.equal(logicalLines("path=C:\\\\\nnext=1"), ["path=C:\\\\", "next=1"]);
  assert.equal(appendedProperties('echo "x=1\\\\" >> f\necho "y=2" >> f').map((p) => p.key), ["x", "y"]);
});

test.run();
