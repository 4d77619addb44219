/** AWS region names: geography, direction/area, number. Anything else is a typo, caught before any call. */
const REGION = /^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov|us-iso|us-isob|eusc)-[a-z]+(-[a-z]+)?-\d+$/;

export function isRegionName(region: string): boolean {
    return REGION.test(region);
}
