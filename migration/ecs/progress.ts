/** Reports how far a long read has come: services read / total, and so on per phase. */
export interface Progress {
    start(phase: string, total: number): void;
    advance(phase: string, by: number): void;
}

export const silentProgress: Progress = { start: () => undefined, advance: () => undefined };

/**
 * Progress as lines for a CI log: one when a phase starts, one when it ends,
 * and in between at most one per `everyMs` (default 10 s), so a log shows a
 * long read moving without a line per service.
 */
export function lineProgress(write: (line: string) => void, everyMs = 10_000, now: () => number = Date.now): Progress {
    const state = new Map<string, { done: number; total: number; lastAt: number }>();
    return {
        start(phase, total) {
            state.set(phase, { done: 0, total, lastAt: now() });
            write(`reading ${phase}: 0/${total}`);
        },
        advance(phase, by) {
            const s = state.get(phase);
            if (!s) {
                return;
            }
            s.done += by;
            if (s.done >= s.total || now() - s.lastAt >= everyMs) {
                s.lastAt = now();
                write(`reading ${phase}: ${s.done}/${s.total}`);
            }
        },
    };
}

/** Progress on a terminal: one line rewritten in place. */
export function terminalProgress(stream: NodeJS.WriteStream): Progress {
    const totals = new Map<string, { done: number; total: number }>();
    const draw = (phase: string) => {
        const s = totals.get(phase);
        if (s) {
            stream.write(`\r\x1b[Kreading ${phase}: ${s.done}/${s.total}${s.done >= s.total ? "\n" : ""}`);
        }
    };
    return {
        start(phase, total) {
            totals.set(phase, { done: 0, total });
            draw(phase);
        },
        advance(phase, by) {
            const s = totals.get(phase);
            if (s) {
                s.done += by;
                draw(phase);
            }
        },
    };
}
