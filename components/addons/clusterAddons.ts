import * as pulumi from "@pulumi/pulumi";
import { AddonRoles, AddonsArgs, deployAddons } from "./context";

export interface ClusterAddonsArgs extends AddonsArgs {
    /** Controllers need somewhere to run: releases and EKS add-ons wait for these. */
    readonly nodeGroups: readonly pulumi.Resource[];
}

/**
 * The registry's cluster add-ons that config leaves on: CoreDNS and the
 * controllers a migration needs, each with a role that can do its job and
 * nothing else. Installed after the node groups exist.
 */
export class ClusterAddons extends pulumi.ComponentResource {
    /** The add-ons' roles by key (the log pipeline's is a stack output). */
    readonly roles: AddonRoles;

    constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs2eks:addons:ClusterAddons", name, {}, opts);
        this.roles = deployAddons("cluster", this, name, args, args.nodeGroups);
        this.registerOutputs({});
    }
}
