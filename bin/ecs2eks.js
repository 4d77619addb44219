#!/usr/bin/env node
"use strict";
const path = require("path");
const fs = require("fs");

// The AWS SDK warns on every run that Node.js 20 support ends in 2027; the
// README says so once, and it would otherwise precede every one-line error.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const entry = path.join(__dirname, "..", "dist", "cli", "main.js");
if (!fs.existsSync(entry)) {
    process.stderr.write("error: ecs2eks is not built; run `npm ci` (or `npm run build`) in the project directory\n");
    process.exit(1);
}
require(entry)
    .main(process.argv.slice(2))
    .then((code) => {
        process.exitCode = code;
    });
