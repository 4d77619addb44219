/** The policy pack `pulumi preview --policy-pack policy` runs. */
import { PolicyPack, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { RULES, STACK_RULES } from "./rules";

const resourcePolicies = RULES.map(
    (rule): ResourceValidationPolicy => ({
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        // The engine passes protect but not retainOnDelete (see policy/rule.ts).
        validateResource: (args, reportViolation) => rule.validate(args.type, args.props, reportViolation, { protect: args.opts.protect }),
    }),
);

const stackPolicies = STACK_RULES.map(
    (rule): StackValidationPolicy => ({
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        validateStack: (args, reportViolation) =>
            rule.validateStack(
                args.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.props, dependencies: r.dependencies.map((d) => d.urn) })),
                reportViolation,
            ),
    }),
);

new PolicyPack("ecs2eks", { policies: [...resourcePolicies, ...stackPolicies] });
