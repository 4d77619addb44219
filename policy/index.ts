/** The policy pack `pulumi preview --policy-pack policy` runs. */
import { PolicyPack } from "@pulumi/policy";
import { RULES } from "./rules";

new PolicyPack("ecs2eks", {
    policies: RULES.map((rule) => ({
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        validateResource: (args, reportViolation) => rule.validate(args.type, args.props, reportViolation),
    })),
});
