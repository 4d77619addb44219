/** Reports how far a long read has come: services read / total, and so on per phase. */
export interface Progress {
    start(phase: string, total: number): void;
    advance(phase: string, by: number): void;
}

export const silentProgress: Progress = { start: () => undefined, advance: () => undefined };

/**
 * Progress as lines for a log: one at the start of a phase, then at most one
 * per tenth, so 500 services make a dozen lines, not 500.
 */
export function lineProgress(write: (line: string) => void): Progress {
    const state = new Map<string, { done: number; total: number; lastTenth: number }>();
    return {
        start(phase, total) {
            state.set(phase, { done: 0, total, lastTenth: 0 });
            write(`reading ${phase}: 0/${total}`);
        },
        advance(phase, by) {
            const s = state.get(phase);
            if (!s) {
                return;
            }
            s.done += by;
            const tenth = s.total === 0 ? 10 : Math.floor((s.done * 10) / s.total);
            if (tenth > s.lastTenth) {
                s.lastTenth = tenth;
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
