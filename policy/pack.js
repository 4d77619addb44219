// The policy pack's entry point for `pulumi preview --policy-pack policy`: the
// pack is compiled with the project (npm ci builds dist/), so this only loads it.
require("../dist/policy/index.js");
