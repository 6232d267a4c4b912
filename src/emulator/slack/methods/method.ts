import type { Workspace } from '../workspace.ts';

/** A call's arguments: form fields (all strings, objects JSON-encoded) or a JSON body. */
export type Args = Record<string, unknown>;
export type Answer = Record<string, unknown> & { ok: boolean };

export interface MethodContext {
  ws: Workspace;
  /** When the call arrived, in ms; timestamps and windows derive from it. */
  now: number;
  /** Base URL of the emulator, for permalinks and upload URLs. */
  origin: string;
}

export type Method = (args: Args, ctx: MethodContext) => Answer;

export const fail = (error: string, extra: Record<string, unknown> = {}): Answer => ({ ok: false, error, ...extra });

/** Slack's refusal of a malformed argument: `invalid_arguments` with `[ERROR] …` messages. */
export const invalidArguments = (problems: string[]): Answer =>
  fail('invalid_arguments', { response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } });

export const isFailure = (value: unknown): value is Answer => typeof value === 'object' && value !== null && (value as Answer).ok === false;

/** A non-empty string argument. */
export function stringArg(args: Args, key: string): string | undefined {
  const value = args[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Booleans arrive as "true"/"1" in forms and as booleans in JSON. */
export function flagArg(args: Args, key: string): boolean {
  const value = args[key];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** Arrays and objects arrive JSON-encoded in form bodies and as themselves in JSON bodies. */
export function jsonArg(args: Args, key: string): { value?: unknown; malformed?: true } {
  const raw = args[key];
  if (raw === undefined || raw === '') return {};
  if (typeof raw !== 'string') return { value: raw };
  try {
    return { value: JSON.parse(raw) as unknown };
  } catch {
    return { malformed: true };
  }
}
