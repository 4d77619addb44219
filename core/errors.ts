/**
 * The one list of expected errors: a failure the user caused and can fix
 * (a bad flag, config, stack file or snapshot, missing AWS access, a file
 * that cannot be written). Every such error class extends ExpectedError, so
 * the CLI prints its message alone (one line per problem, no stack trace)
 * and the Pulumi program stops with it as a RunError, without either
 * keeping a list of classes of its own. Anything else is a bug and keeps
 * its stack trace.
 */
export class ExpectedError extends Error {
    constructor(message: string) {
        super(message);
        this.name = new.target.name;
    }
}
