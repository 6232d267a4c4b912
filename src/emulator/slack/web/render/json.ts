/** Reading bot-sent JSON without trusting its shape: every accessor tolerates any value. */
export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export const str = (o: Json, key: string): string | undefined => (typeof o[key] === 'string' ? (o[key] as string) : undefined);

export const list = (o: Json, key: string): unknown[] => (Array.isArray(o[key]) ? (o[key] as unknown[]) : []);

export const objects = (o: Json, key: string): Json[] => list(o, key).filter(isObject);

export const obj = (o: Json, key: string): Json | undefined => (isObject(o[key]) ? (o[key] as Json) : undefined);
