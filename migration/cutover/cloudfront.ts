/**
 * cloudfront-staging: a staging distribution that copies the primary's
 * configuration with the EKS ALB as the origin the ECS load balancer was,
 * and a continuous deployment policy that sends it a share of the viewers
 * (at most 15%, sticky) or the requests carrying a header (testers). At 100
 * the staging configuration is promoted onto the primary: an explicit step,
 * since CloudFront cannot send more than 15% to staging. Pure.
 */
import { CLOUDFRONT_MAX_STAGING_WEIGHT, CutoverConfig } from "../../config/types";
import type { DistributionSnapshot, EcsSnapshot } from "../../core/snapshot";
import type { FrontDoorService } from "./strategy";
import { frontDoorConfig } from "./weights";

/** Session stickiness of a weighted policy: a viewer stays on one side for its session (CloudFront allows 300 to 3600 s). */
export const STICKINESS = { idleTtl: 300, maximumTtl: 600 } as const;

export type TrafficConfig =
    | { readonly type: "SingleWeight"; readonly singleWeightConfig: { readonly weight: number; readonly sessionStickinessConfig: typeof STICKINESS } }
    | { readonly type: "SingleHeader"; readonly singleHeaderConfig: { readonly header: string; readonly value: string } };

export interface StagingPlan {
    /** The primary distribution (ECS-owned). */
    readonly distributionId: string;
    readonly distributionDomainName: string;
    readonly services: readonly string[];
    readonly ingressGroup: string;
    readonly eksWeight: number;
    /** Origins (by Id) whose domain becomes the EKS ALB's. */
    readonly eksOrigins: readonly string[];
    readonly policy: { readonly enabled: boolean; readonly trafficConfig: TrafficConfig };
    /** Promotion (at 100) and attaching/detaching the policy on the primary: commands, since this stack does not own the primary. */
    readonly commands: { readonly attach: string; readonly detach: string; readonly promote: string };
    readonly promote: boolean;
    /** The staging distribution as declared, its EKS origin named by a placeholder (the ALB exists once the controller made it). */
    readonly distribution: Record<string, unknown>;
}

type Items<T> = { Items?: T[] } | undefined;
const items = <T>(x: Items<T>): T[] => x?.Items ?? [];
const nonEmpty = (v: string | undefined) => (v !== undefined && v.length > 0 ? v : undefined);

const normalize = (name: string) => name.toLowerCase().replace(/\.$/, "").replace(/^dualstack\./, "");

type Config = DistributionSnapshot["config"];
type Behavior = NonNullable<Config["DefaultCacheBehavior"]>;

function behavior(b: Behavior): Record<string, unknown> {
    const policy = nonEmpty(b.CachePolicyId);
    return {
        targetOriginId: b.TargetOriginId,
        viewerProtocolPolicy: b.ViewerProtocolPolicy,
        allowedMethods: items(b.AllowedMethods),
        cachedMethods: items(b.AllowedMethods?.CachedMethods),
        compress: b.Compress ?? false,
        ...(policy ? { cachePolicyId: policy } : {}),
        ...(nonEmpty(b.OriginRequestPolicyId) ? { originRequestPolicyId: b.OriginRequestPolicyId } : {}),
        ...(nonEmpty(b.ResponseHeadersPolicyId) ? { responseHeadersPolicyId: b.ResponseHeadersPolicyId } : {}),
        ...(nonEmpty(b.RealtimeLogConfigArn) ? { realtimeLogConfigArn: b.RealtimeLogConfigArn } : {}),
        ...(nonEmpty(b.FieldLevelEncryptionId) ? { fieldLevelEncryptionId: b.FieldLevelEncryptionId } : {}),
        functionAssociations: items(b.FunctionAssociations).map((f) => ({ eventType: f.EventType, functionArn: f.FunctionARN })),
        lambdaFunctionAssociations: items(b.LambdaFunctionAssociations).map((f) => ({ eventType: f.EventType, lambdaArn: f.LambdaFunctionARN, includeBody: f.IncludeBody ?? false })),
        trustedKeyGroups: items(b.TrustedKeyGroups),
        trustedSigners: items(b.TrustedSigners),
        // A cache policy replaces the legacy settings; CloudFront refuses both.
        ...(policy
            ? {}
            : {
                  minTtl: b.MinTTL ?? 0,
                  defaultTtl: b.DefaultTTL ?? 86400,
                  maxTtl: b.MaxTTL ?? 31536000,
                  forwardedValues: {
                      queryString: b.ForwardedValues?.QueryString ?? false,
                      queryStringCacheKeys: items(b.ForwardedValues?.QueryStringCacheKeys),
                      headers: items(b.ForwardedValues?.Headers),
                      cookies: { forward: b.ForwardedValues?.Cookies?.Forward ?? "none", whitelistedNames: items(b.ForwardedValues?.Cookies?.WhitelistedNames) },
                  },
              }),
    };
}

/**
 * The staging distribution's arguments (aws.cloudfront.Distribution): the
 * primary's configuration, every origin at the ECS load balancer pointing
 * at `eksDomain` instead, without the primary's aliases (a staging
 * distribution has none: viewers reach it only through the primary).
 */
export function stagingDistributionArgs<T>(d: DistributionSnapshot, eksDomain: T): Record<string, unknown> {
    const c = d.config;
    const lbs = new Set(d.loadBalancerOrigins);
    const cert = c.ViewerCertificate;
    return {
        enabled: true,
        staging: true,
        comment: `ecs2eks staging of ${d.id}: ${c.Comment ?? ""}`.slice(0, 128),
        ...(nonEmpty(c.DefaultRootObject) ? { defaultRootObject: c.DefaultRootObject } : {}),
        ...(c.HttpVersion ? { httpVersion: c.HttpVersion } : {}),
        isIpv6Enabled: c.IsIPV6Enabled ?? false,
        ...(c.PriceClass ? { priceClass: c.PriceClass } : {}),
        ...(nonEmpty(c.WebACLId) ? { webAclId: c.WebACLId } : {}),
        origins: items(c.Origins).map((o) => ({
            originId: o.Id,
            domainName: lbs.has(normalize(o.DomainName ?? "")) ? eksDomain : o.DomainName,
            ...(nonEmpty(o.OriginPath) ? { originPath: o.OriginPath } : {}),
            ...(o.ConnectionAttempts !== undefined ? { connectionAttempts: o.ConnectionAttempts } : {}),
            ...(o.ConnectionTimeout !== undefined ? { connectionTimeout: o.ConnectionTimeout } : {}),
            customHeaders: items(o.CustomHeaders).map((h) => ({ name: h.HeaderName, value: h.HeaderValue })),
            ...(o.CustomOriginConfig
                ? {
                      customOriginConfig: {
                          httpPort: o.CustomOriginConfig.HTTPPort,
                          httpsPort: o.CustomOriginConfig.HTTPSPort,
                          originProtocolPolicy: o.CustomOriginConfig.OriginProtocolPolicy,
                          originSslProtocols: items(o.CustomOriginConfig.OriginSslProtocols),
                          ...(o.CustomOriginConfig.OriginKeepaliveTimeout !== undefined ? { originKeepaliveTimeout: o.CustomOriginConfig.OriginKeepaliveTimeout } : {}),
                          ...(o.CustomOriginConfig.OriginReadTimeout !== undefined ? { originReadTimeout: o.CustomOriginConfig.OriginReadTimeout } : {}),
                      },
                  }
                : {}),
            ...(o.S3OriginConfig ? { s3OriginConfig: { originAccessIdentity: o.S3OriginConfig.OriginAccessIdentity ?? "" } } : {}),
            ...(nonEmpty(o.OriginAccessControlId) ? { originAccessControlId: o.OriginAccessControlId } : {}),
            ...(o.OriginShield?.Enabled ? { originShield: { enabled: true, originShieldRegion: o.OriginShield.OriginShieldRegion } } : {}),
        })),
        defaultCacheBehavior: c.DefaultCacheBehavior ? behavior(c.DefaultCacheBehavior) : {},
        orderedCacheBehaviors: items(c.CacheBehaviors).map((b) => ({ pathPattern: b.PathPattern, ...behavior(b as Behavior) })),
        customErrorResponses: items(c.CustomErrorResponses).map((e) => ({
            errorCode: e.ErrorCode,
            ...(nonEmpty(e.ResponseCode) ? { responseCode: Number(e.ResponseCode) } : {}),
            ...(nonEmpty(e.ResponsePagePath) ? { responsePagePath: e.ResponsePagePath } : {}),
            ...(e.ErrorCachingMinTTL !== undefined ? { errorCachingMinTtl: e.ErrorCachingMinTTL } : {}),
        })),
        restrictions: { geoRestriction: { restrictionType: c.Restrictions?.GeoRestriction?.RestrictionType ?? "none", locations: items(c.Restrictions?.GeoRestriction) } },
        ...(c.Logging?.Enabled ? { loggingConfig: { bucket: c.Logging.Bucket, includeCookies: c.Logging.IncludeCookies ?? false, prefix: c.Logging.Prefix ?? "" } } : {}),
        viewerCertificate:
            cert?.CloudFrontDefaultCertificate !== false && !nonEmpty(cert?.ACMCertificateArn) && !nonEmpty(cert?.IAMCertificateId)
                ? { cloudfrontDefaultCertificate: true }
                : {
                      ...(nonEmpty(cert?.ACMCertificateArn) ? { acmCertificateArn: cert?.ACMCertificateArn } : {}),
                      ...(nonEmpty(cert?.IAMCertificateId) ? { iamCertificateId: cert?.IAMCertificateId } : {}),
                      sslSupportMethod: cert?.SSLSupportMethod ?? "sni-only",
                      minimumProtocolVersion: cert?.MinimumProtocolVersion ?? "TLSv1.2_2021",
                  },
    };
}

/** The distribution's configuration with ContinuousDeploymentPolicyId set to `policy` ("" detaches), as the AWS CLI updates it. */
function setPolicyCommand(id: string, policy: string): string {
    return (
        `aws cloudfront get-distribution-config --id ${id} > primary.json && ` +
        `jq '.DistributionConfig | .ContinuousDeploymentPolicyId = "${policy}"' primary.json > primary-config.json && ` +
        `aws cloudfront update-distribution --id ${id} --if-match "$(jq -r .ETag primary.json)" --distribution-config file://primary-config.json`
    );
}

/** The policy for an EKS share: off at 0 (every viewer on the primary), the share up to 15%, held at 15% once promotion is due. */
export function trafficFor(weight: number, header: { name: string; value: string } | undefined): { enabled: boolean; trafficConfig: TrafficConfig } {
    if (header) {
        return { enabled: true, trafficConfig: { type: "SingleHeader", singleHeaderConfig: { header: header.name, value: header.value } } };
    }
    const share = Math.min(weight, CLOUDFRONT_MAX_STAGING_WEIGHT) / 100;
    return { enabled: weight > 0, trafficConfig: { type: "SingleWeight", singleWeightConfig: { weight: share, sessionStickinessConfig: STICKINESS } } };
}

export function planStaging(snapshot: EcsSnapshot, services: readonly FrontDoorService[], cutover: CutoverConfig): StagingPlan[] {
    const plans: StagingPlan[] = [];
    for (const d of [...(snapshot.loadBalancing.distributions ?? [])].sort((a, b) => a.id.localeCompare(b.id))) {
        const behind = services.filter((s) => s.strategy === "cloudfront-staging" && d.loadBalancerOrigins.includes(s.loadBalancerDnsName));
        if (behind.length === 0) {
            continue;
        }
        const first = behind[0];
        const weight = first.eksWeight;
        const header = frontDoorConfig(cutover, first.ecsService).header;
        const policyRef = "<policy id: pulumi stack output routing>";
        plans.push({
            distributionId: d.id,
            distributionDomainName: d.domainName,
            services: [...new Set(behind.map((s) => s.ecsService))].sort(),
            ingressGroup: first.ingressGroup,
            eksWeight: weight,
            eksOrigins: items(d.config.Origins).filter((o) => d.loadBalancerOrigins.includes(normalize(o.DomainName ?? ""))).map((o) => o.Id ?? ""),
            policy: trafficFor(weight, header),
            commands: {
                attach: setPolicyCommand(d.id, policyRef),
                detach: setPolicyCommand(d.id, ""),
                promote:
                    `aws cloudfront update-distribution-with-staging-config --id ${d.id} --staging-distribution-id <staging id: pulumi stack output routing> ` +
                    `--if-match "$(aws cloudfront get-distribution --id ${d.id} --query ETag --output text),$(aws cloudfront get-distribution --id <staging id> --query ETag --output text)"`,
            },
            promote: weight >= 100,
            distribution: stagingDistributionArgs(d, `<EKS ALB of IngressGroup ${first.ingressGroup}>`),
        });
    }
    return plans;
}
