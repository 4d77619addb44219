import { ConfigReader } from "./reader";

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** aws:region belongs to the AWS provider; we read it because controllers must be told it. */
export function readRegion(r: ConfigReader): string {
    const region = r.text("aws:region");
    if (region === undefined) {
        r.fail("aws:region is required; set it with `pulumi config set aws:region us-east-1`");
        return "";
    }
    if (!REGION.test(region)) {
        r.fail(`aws:region ${JSON.stringify(region)} is not an AWS region like us-east-1`);
    }
    return region;
}

/** The AWS partition a region belongs to, for ARNs. */
export function partitionOf(region: string): string {
    if (region.startsWith("cn-")) {
        return "aws-cn";
    }
    return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}
