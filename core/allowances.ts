/**
 * Tags and annotations that allow, explicitly, what the policy pack refuses
 * by default. The components set them where the stack config allowed it;
 * the rules (policy/) read them. One definition, so the two never drift.
 */

/** Set on the cluster when cluster:allowPublicEndpointFromAnywhere is true. */
export const PUBLIC_ENDPOINT_ALLOWED_TAG = "ecs2eks:public-endpoint-from-anywhere";

/** Set on a cloned task role whose service is listed in migration:allowBroadIam. */
export const BROAD_IAM_ALLOWED_TAG = "ecs2eks:broad-iam-allowed";

/** Set (to "true") on a load balancer's security group, or on its ingress rule: only there may the internet reach 80 and 443. */
export const LOAD_BALANCER_GROUP_TAG = "ecs2eks:load-balancer";

/** Set on a workload whose privileged containers or host access were allowed explicitly. */
export const PRIVILEGED_ALLOWED_ANNOTATION = "ecs2eks.io/privileged-allowed";

/** Set on a Service or Ingress whose internet-facing load balancer was allowed explicitly. */
export const INTERNET_FACING_ALLOWED_ANNOTATION = "ecs2eks.io/internet-facing-allowed";
