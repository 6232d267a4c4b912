import type { Delivery, DeliveryKind } from '../slack/people/delivery.ts';

// biome-ignore lint/suspicious/noExplicitAny: Slack's payloads are read field by field as Slack documents them; each use is shape-checked where it matters.
type Json = Record<string, any>;

/** One request the workbench's people sent to sirbot's receiver, and how it answered. */
export interface SentInteraction {
  at: string;
  kind: DeliveryKind;
  /** `block_actions`, `view_submission`, `view_closed`, `message_action`, `app_home_opened`, `message`, `slash_command`… */
  type: string;
  user: string | null;
  /** The view's or shortcut's callback id, or the slash command. */
  callbackId: string | null;
  actionIds: string[];
  /** sirbot's HTTP status; null while it has not answered, or when it could not be reached. */
  status: number | null;
  error?: string;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function describe(kind: DeliveryKind, p: Json): SentInteraction {
  const base = { at: new Date().toISOString(), kind, status: null };
  if (kind === 'events_api') return { ...base, type: str(p.event?.type) ?? 'event', user: str(p.event?.user), callbackId: null, actionIds: [] };
  if (kind === 'slash_commands') return { ...base, type: 'slash_command', user: str(p.user_id), callbackId: str(p.command), actionIds: [] };
  const actions: unknown[] = Array.isArray(p.actions) ? p.actions : [];
  return {
    ...base,
    type: str(p.type) ?? 'interaction',
    user: str(p.user?.id),
    callbackId: str(p.view?.callback_id) ?? str(p.callback_id),
    actionIds: actions.map((a) => str((a as Json)?.action_id)).filter((id): id is string => id !== null),
  };
}

/**
 * What reached sirbot from the page, newest last: an answer to "did my double-click send
 * twice?" that does not depend on what the bot did with it. Served at
 * `GET /workbench/api/sent`; only the last `limit` are kept.
 */
export class SentLog {
  private readonly entries: SentInteraction[] = [];

  constructor(private readonly limit = 500) {}

  /** `inner`, with every request it sends written down first. */
  recording(inner: Delivery): Delivery {
    return {
      deliver: async (kind, payload) => {
        const entry = describe(kind, payload);
        this.entries.push(entry);
        if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
        try {
          const answer = await inner.deliver(kind, payload);
          entry.status = answer.status;
          return answer;
        } catch (err) {
          entry.error = err instanceof Error ? err.message : String(err);
          throw err;
        }
      },
    };
  }

  list(): SentInteraction[] {
    return this.entries.map((e) => ({ ...e, actionIds: [...e.actionIds] }));
  }
}
