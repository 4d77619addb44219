#!/usr/bin/env node
"use strict";
const path = require("path");
const fs = require("fs");

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
