/**
 * Whether an environment variable holds a credential: by the variable's name
 * and by the value's shape. Pure, in the core because the translator, the
 * policy pack and the snapshot command must agree on what a credential is.
 * The reasons it gives name the rule that matched, never the value.
 */
export interface CredentialFinding {
    /** Found by the variable's name or by the shape of its value. */
    readonly by: "name" | "value";
    /** Why, for a person: the rule that matched; never the value. */
    readonly reason: string;
}

/** Last words of a name that make it a credential: DB_PASS, GITHUB_TOKEN, STRIPE_SK, BASIC_AUTH. */
const SECRET_WORDS = new Set(["PASSWORD", "PASSWORDS", "PASSWD", "PASS", "PWD", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "TOKENS", "SK", "APIKEY", "PRIVATEKEY", "ACCESSKEY", "SECRETKEY", "CREDENTIALS", "CREDENTIAL", "CREDS", "AUTH", "AUTHORIZATION", "SALT"]);
/** Words before a final KEY that make it a credential: API_KEY, AWS_SECRET_ACCESS_KEY; not CACHE_KEY or S3_KEY. */
const KEY_QUALIFIERS = new Set(["API", "PRIVATE", "ACCESS", "SECRET", "SIGNING", "ENCRYPTION", "MASTER", "LICENSE", "HMAC", "APP"]);
/** Long secret words recognised at the end of a run-together name: PGPASSWORD, SLACKTOKEN. */
const SECRET_SUFFIXES = ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "CREDENTIALS"];
/** Well-known names the word rules miss (SECRET_KEY_BASE) or would wrongly take (PWD is the working directory). */
const SECRET_NAMES = new Set(["SECRET_KEY_BASE"]);
const NOT_SECRET_NAMES = new Set(["PWD", "OLDPWD", "GOOGLE_APPLICATION_CREDENTIALS"]);

/**
 * Value shapes that are credentials whatever the variable is called. Sources:
 * the providers' documented formats (AWS access key IDs, Stripe, GitHub,
 * Slack, Google API keys, GitLab, npm, SendGrid), RFC 3986 userinfo, RFC 7519.
 */
const VALUE_SHAPES: readonly { readonly pattern: RegExp; readonly reason: string }[] = [
    { pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:[^\s/@]+@/i, reason: "its value is a URL with a password in it (scheme://user:password@host)" },
    { pattern: /(?:^|[?&;\s])(?:password|passwd|pwd)\s*=\s*[^&;\s]/i, reason: "its value sets a password (password=… in a connection string)" },
    { pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/, reason: "its value is a PEM private key" },
    { pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/, reason: "its value has the shape of an AWS access key ID (AKIA…/ASIA…)" },
    { pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{8,}/, reason: "its value has the shape of a Stripe secret or restricted key (sk_live_…, rk_live_…)" },
    { pattern: /\bwhsec_[A-Za-z0-9]{16,}/, reason: "its value has the shape of a Stripe webhook secret (whsec_…)" },
    { pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}|\bgithub_pat_[A-Za-z0-9_]{20,}/, reason: "its value has the shape of a GitHub token (ghp_…, github_pat_…)" },
    { pattern: /\bglpat-[A-Za-z0-9_-]{20,}/, reason: "its value has the shape of a GitLab token (glpat-…)" },
    { pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/, reason: "its value has the shape of a Slack token (xoxb-…)" },
    { pattern: /\bAIza[0-9A-Za-z_-]{35}/, reason: "its value has the shape of a Google API key (AIza…)" },
    { pattern: /\bnpm_[A-Za-z0-9]{36}\b/, reason: "its value has the shape of an npm token (npm_…)" },
    { pattern: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/, reason: "its value has the shape of a SendGrid API key (SG.…)" },
    { pattern: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/, reason: "its value has the shape of a JSON Web Token (eyJ….eyJ….…)" },
    { pattern: /^(?:Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}$/, reason: "its value is an HTTP Authorization header (Bearer/Basic …)" },
];

/** Values that a variable named like a secret holds when it is a switch or a pointer, not the secret itself. */
const NOT_SECRET_VALUES: readonly RegExp[] = [
    /^(?:true|false|yes|no|on|off|enabled|disabled|none|null)$/i,
    /^arn:aws[a-z-]*:/,
    // A URL without a password is an endpoint (a token service, an auth server).
    /^[a-z][a-z0-9+.-]*:\/\/[^\s]*$/i,
    // A file the secret is read from: /var/run/secrets/db/password.txt.
    /^\/(?:[\w.-]+\/)*[\w-]+\.[A-Za-z0-9]{1,5}$/,
];

/** The words of a name, upper case: dbPassword → DB PASSWORD; DB_PASSWORD_2 → DB PASSWORD. */
function words(name: string): string[] {
    const list = name
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .toUpperCase()
        .split(/[^A-Z0-9]+/)
        .filter((w) => w.length > 0);
    while (list.length > 1 && /^\d+$/.test(list[list.length - 1])) {
        list.pop();
    }
    if (list.length > 0) {
        list[list.length - 1] = list[list.length - 1].replace(/(\D)\d+$/, "$1");
    }
    return list;
}

/** Why a variable's name says it holds a credential, or undefined. */
function secretNameReason(name: string): string | undefined {
    const upper = name.toUpperCase();
    if (NOT_SECRET_NAMES.has(upper)) {
        return undefined;
    }
    if (SECRET_NAMES.has(upper)) {
        return `its name is ${upper}, a well-known secret`;
    }
    const w = words(name);
    const last = w[w.length - 1] ?? "";
    const before = w[w.length - 2] ?? "";
    if (SECRET_WORDS.has(last)) {
        return `its name ends in ${last}`;
    }
    if (last === "KEY" && KEY_QUALIFIERS.has(before)) {
        return `its name ends in ${before}_KEY`;
    }
    const suffix = SECRET_SUFFIXES.find((s) => last.length > s.length && last.endsWith(s));
    return suffix ? `its name ends in ${suffix}` : undefined;
}

/** Why a value has the shape of a credential, or undefined. */
function secretValueReason(value: string): string | undefined {
    return VALUE_SHAPES.find((s) => s.pattern.test(value))?.reason;
}

/**
 * Whether an environment variable holds a credential, and why. The value's
 * shape decides first (a password in a URL is one whatever the name); a
 * secret-sounding name decides unless the value is empty, a switch (true),
 * an ARN, an endpoint URL or a file path: SECRET_NAME, TOKEN_URL,
 * PASSWORD_MIN_LENGTH, DB_PASSWORD_FILE, *_ARN never match by name.
 */
export function detectCredential(name: string, value: string | undefined): CredentialFinding | undefined {
    const text = value ?? "";
    const byValue = secretValueReason(text);
    if (byValue) {
        return { by: "value", reason: byValue };
    }
    const byName = secretNameReason(name);
    if (!byName || text.trim() === "" || NOT_SECRET_VALUES.some((p) => p.test(text.trim()))) {
        return undefined;
    }
    return { by: "name", reason: byName };
}
