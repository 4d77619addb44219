import * as assert from "assert";
import { declareInTurns } from "../core/declareInTurns";
import { stackTraceLimitFor } from "../core/stackTraces";

describe("declaring a large estate a workload at a time", () => {
    it("declares every item in order and hands the event loop back between items, so earlier registrations can finish", async () => {
        const seen: string[] = [];
        const declaring = declareInTurns(["a", "b", "c"], (item) => {
            seen.push(item);
            // Work another part of the program queued now runs before the next item.
            setImmediate(() => seen.push(`after ${item}`));
        });
        assert.deepStrictEqual(seen, ["a"], "the first item is declared at once, the rest in later turns");
        await declaring;
        assert.deepStrictEqual(seen, ["a", "after a", "b", "after b", "c", "after c"]);
    });

    it("stops at the item whose declaration fails and rejects with its error, so the preview fails with it", async () => {
        const seen: number[] = [];
        await assert.rejects(
            declareInTurns([1, 2, 3], (n) => {
                if (n === 2) {
                    throw new Error("workload 2 cannot be declared");
                }
                seen.push(n);
            }),
            /workload 2 cannot be declared/,
        );
        assert.deepStrictEqual(seen, [1]);
    });
});

describe("stack traces during a Pulumi run", () => {
    it("are off unless asked for: Pulumi captures one per promise and reads it only when debugging promise leaks", () => {
        assert.strictEqual(stackTraceLimitFor({}), 0);
        assert.strictEqual(stackTraceLimitFor({ ECS2EKS_STACK_TRACES: "1" }), undefined);
        assert.strictEqual(stackTraceLimitFor({ PULUMI_DEBUG_PROMISE_LEAKS: "true" }), undefined);
    });
});
