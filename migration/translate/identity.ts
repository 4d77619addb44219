/** ECS task role → a role plan for the workload's service account, permissions cloned. Pure. */
import type { EcsSnapshot } from "../../core/snapshot";
import { Diagnostics } from "./diagnostics";
import { RolePlan } from "./types";

export function cloneTaskRole(taskRoleArn: string | undefined, namespace: string, serviceAccount: string, snapshot: EcsSnapshot, d: Diagnostics): RolePlan | undefined {
    if (!taskRoleArn) {
        return undefined;
    }
    const role = snapshot.roles.find((r) => r.arn === taskRoleArn);
    if (!role) {
        d.warn("TASK_ROLE_UNKNOWN", "taskRoleArn", `task role ${taskRoleArn} is not in the snapshot, so its permissions cannot be cloned`, "take a new snapshot with iam:GetRole access, or attach the permissions to the service account's role by hand");
        return { sourceRoleArn: taskRoleArn, namespace, serviceAccount, policies: [] };
    }
    d.map("taskRoleArn");
    const policies = [
        ...role.attachedPolicies.map((p) => (p.awsManaged ? { name: p.name, managedPolicyArn: p.arn } : { name: p.name, document: p.document })),
        ...role.inlinePolicies.map((p) => ({ name: p.name, document: p.document })),
    ];
    if (policies.length === 0) {
        d.info("TASK_ROLE_EMPTY", "taskRoleArn", `task role ${role.name} grants nothing`, "nothing to do: the service account gets an empty role");
    }
    return {
        sourceRoleArn: taskRoleArn,
        namespace,
        serviceAccount,
        policies,
        ...(role.permissionsBoundaryArn ? { permissionsBoundaryArn: role.permissionsBoundaryArn } : {}),
    };
}
