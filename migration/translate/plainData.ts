/** Reading Kubernetes objects as plain data without trusting their shape. */
export type Obj = Record<string, unknown>;

/** The value as an object; {} when it is not one (arrays included). */
export const asObj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});

export const asList = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
