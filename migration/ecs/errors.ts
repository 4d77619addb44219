import { ExpectedError } from "../../core/errors";

/**
 * Turns AWS SDK failures into one-line messages that say what failed and
 * what to do. Expected failures become ReaderError; the CLI prints its message
 * without a stack trace.
 */
export class ReaderError extends ExpectedError {
    constructor(
        message: string,
        readonly kind: "not-found" | "access-denied" | "throttled" | "credentials" | "region" | "unreadable" | "network",
    ) {
        super(message);
    }
}

interface SdkErrorLike {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { attempts?: number; httpStatusCode?: number };
}

const ACCESS_DENIED = new Set(["AccessDeniedException", "AccessDenied", "UnauthorizedOperation", "UnauthorizedException", "AuthorizationError"]);
const THROTTLED = new Set(["ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded", "ProvisionedThroughputExceededException"]);
const EXPIRED = new Set(["ExpiredToken", "ExpiredTokenException", "RequestExpired", "InvalidClientTokenId", "UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch"]);

/** "User: arn:… is not authorized to perform: ecs:DescribeServices on resource: arn:…" */
const NOT_AUTHORIZED = /not authorized to perform:?\s+([\w-]+:[\w-]+)(?:\s+on resource:?\s+(\S+))?/i;

/** The IAM action for an SDK operation: "ecs", "DescribeServicesCommand" → "ecs:DescribeServices". */
export function iamAction(servicePrefix: string, operation: string): string {
    return `${servicePrefix}:${operation.replace(/Command$/, "")}`;
}

/** What the caller knows about where calls go, for messages about the endpoint. */
export interface CallContext {
    readonly endpoint?: string;
    readonly requestTimeoutMs?: number;
}

export function describeAwsError(err: unknown, action: string, resource: string, context: CallContext = {}): ReaderError | undefined {
    if (err instanceof ReaderError) {
        return err;
    }
    const e = (typeof err === "object" && err !== null ? err : {}) as SdkErrorLike;
    const name = e.name ?? e.code ?? "";
    const message = (e.message ?? String(err)).split("\n")[0];
    if (ACCESS_DENIED.has(name) || /AccessDenied|not authorized/i.test(name + message)) {
        const m = NOT_AUTHORIZED.exec(message);
        const denied = m?.[1] ?? action;
        const on = m?.[2] ?? resource;
        return new ReaderError(`access denied: ${denied} on ${on}; grant ${denied} on that resource to the identity reading ECS (see the reader policy in README.md)`, "access-denied");
    }
    if (THROTTLED.has(name)) {
        const attempts = e.$metadata?.attempts;
        return new ReaderError(
            `AWS kept throttling ${action}${attempts ? ` after ${attempts} attempts` : ""}; rerun later, or lower --concurrency to make fewer calls at once`,
            "throttled",
        );
    }
    if (EXPIRED.has(name)) {
        return new ReaderError(`the AWS credentials were rejected (${name}): they have expired or are not valid; refresh them (e.g. aws sso login) and rerun`, "credentials");
    }
    // The SDK's message names no profile; a mistyped AWS_PROFILE is the usual cause when one is set.
    const profile = /using profile:?\s*\[?([^\]\s]+)\]?/i.exec(message)?.[1] ?? process.env.AWS_PROFILE;
    if ((name === "CredentialsProviderError" || /Could not load credentials/i.test(message)) && profile) {
        return new ReaderError(`AWS profile ${JSON.stringify(profile)} (AWS_PROFILE) is not in ~/.aws/config or ~/.aws/credentials, or has no credentials; check the name (aws configure list-profiles)`, "credentials");
    }
    if (name === "CredentialsProviderError" || /Could not load credentials/i.test(message)) {
        return new ReaderError("no AWS credentials found; set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or log in with aws sso login", "credentials");
    }
    if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/i.test(message + name)) {
        const host = /(?:ENOTFOUND|EAI_AGAIN)\s+(\S+)/.exec(message)?.[1] ?? "the AWS endpoint";
        return new ReaderError(`cannot resolve ${host} for ${action}; check --region (or --endpoint-url) and the network`, "network");
    }
    const where = context.endpoint ?? process.env.AWS_ENDPOINT_URL ?? "AWS";
    const status = e.$metadata?.httpStatusCode;
    if (name === "TimeoutError" || /exceeded the configured \d+ ms requestTimeout/.test(message)) {
        const seconds = Math.round((context.requestTimeoutMs ?? 0) / 1000);
        const attempts = e.$metadata?.attempts;
        return new ReaderError(`${where} did not answer ${action} within ${seconds} s${attempts && attempts > 1 ? ` (${attempts} attempts)` : ""}; check --endpoint-url and the network, or raise --request-timeout`, "network");
    }
    if (name === "SyntaxError" || /Deserialization error/i.test(message)) {
        return new ReaderError(`${where} answered ${action} with something that is not an AWS response${status ? ` (HTTP ${status})` : ""}; check --endpoint-url (is it an AWS API endpoint?)`, "network");
    }
    if ((name === "Unknown" || name === "UnknownError" || message === "UnknownError") && status !== undefined) {
        return new ReaderError(`${where} answered ${action} with HTTP ${status} and no AWS error in the body; check --endpoint-url (is it an AWS API endpoint?)`, "network");
    }
    if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up/i.test(message + name)) {
        return new ReaderError(`cannot reach AWS for ${action} (${message}); check --endpoint-url and the network`, "network");
    }
    return undefined;
}
