import * as pulumi from "@pulumi/pulumi";
import { AddonsArgs, deployAddons } from "./context";

/**
 * The registry's core add-ons: the EKS managed add-ons nodes need to become
 * Ready (pod networking, kube-proxy, the Pod Identity agent), installed
 * before any node group.
 */
export class CoreAddons extends pulumi.ComponentResource {
    constructor(name: string, args: AddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("ecs2eks:addons:CoreAddons", name, {}, opts);
        deployAddons("core", this, name, args, []);
        this.registerOutputs({});
    }
}
