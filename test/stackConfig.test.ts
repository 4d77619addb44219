import * as assert from "assert";
import { SECRET_PLACEHOLDER, StackConfigError, applyOverride, configFromStackDocument } from "../preview/stackConfig";

describe("stack files and --config overrides", () => {
    const base = configFromStackDocument(
        "ecs2eks",
        { config: { "aws:region": "us-east-1", "network:azCount": 2, "nodeGroups:general": { minSize: 2, maxSize: 4 }, token: { secure: "v1:abc" } } },
        "Pulumi.dev.yaml",
    );

    it("reads config as Pulumi passes it: namespaced keys, strings, structured values as JSON", () => {
        assert.deepStrictEqual(base.values, {
            "aws:region": "us-east-1",
            "network:azCount": "2",
            "nodeGroups:general": '{"minSize":2,"maxSize":4}',
            "ecs2eks:token": SECRET_PLACEHOLDER,
        });
        assert.deepStrictEqual(base.secretKeys, ["ecs2eks:token"]);
    });

    it("treats a JSON value as structured config", () => {
        const next = applyOverride("ecs2eks", base, 'migration:cutover={"default":{"eksWeight":10}}');
        assert.strictEqual(next.values["migration:cutover"], '{"default":{"eksWeight":10}}');
        assert.strictEqual(applyOverride("ecs2eks", base, "cluster:version=1.30").values["cluster:version"], "1.30");
    });

    it("sets one field inside a structured value with a path, keeping the others", () => {
        const next = applyOverride("ecs2eks", base, "nodeGroups:general.maxSize=6");
        assert.deepStrictEqual(JSON.parse(next.values["nodeGroups:general"]), { minSize: 2, maxSize: 6 });
        const listed = applyOverride("ecs2eks", base, "nodeGroups:gpu.taints[0].key=nvidia.com/gpu");
        assert.deepStrictEqual(JSON.parse(listed.values["nodeGroups:gpu"]), { taints: [{ key: "nvidia.com/gpu" }] });
    });

    it("does not change the config it was given", () => {
        applyOverride("ecs2eks", base, "network:azCount=3");
        assert.strictEqual(base.values["network:azCount"], "2");
    });

    it("a plain value overrides a secret one", () => {
        assert.deepStrictEqual(applyOverride("ecs2eks", base, "token=x").secretKeys, []);
    });

    it("says how to write an override it cannot read", () => {
        assert.throws(() => applyOverride("ecs2eks", base, "network:azCount"), (e: Error) => e instanceof StackConfigError && /is not key=value/.test(e.message));
        assert.throws(() => applyOverride("ecs2eks", base, "nodeGroups:general..x=1"), /cannot read the path/);
    });
});
