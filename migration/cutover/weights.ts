import { CutoverConfig } from "../../config";

/** The share of an ECS service's traffic that goes to EKS, in percent. */
export function eksWeight(cutover: CutoverConfig, ecsServiceName: string): number {
    return cutover.services[ecsServiceName] ?? cutover.defaultEksWeight;
}

/** Services named in migration:cutover that the plan does not have: almost always a typo. */
export function unknownCutoverServices(cutover: CutoverConfig, serviceNames: readonly string[]): string[] {
    return Object.keys(cutover.services).filter((name) => !serviceNames.includes(name));
}
