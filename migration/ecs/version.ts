/** Written into every snapshot so a diff shows which reader produced it. */
export const READER_NAME = "ecs2eks";
// Kept in step with package.json by a test.
export const READER_VERSION = "0.1.0";
