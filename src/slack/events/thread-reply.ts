import type { App } from '@slack/bolt';
import type { SlackAppDeps } from '../app.ts';

/** A person's plain reply in a finding's thread may answer the investigation's questions. */
export function register(app: App, deps: SlackAppDeps): void {
  const investigations = deps.investigations;
  if (!investigations) return;
  app.message(async ({ message, client }) => {
    const m = message as { subtype?: string; thread_ts?: string; ts: string; text?: string; channel: string; user?: string; bot_id?: string };
    if (m.subtype || m.bot_id || !m.thread_ts || m.thread_ts === m.ts || !m.text || !m.user) return;
    const outcome = await investigations.reply(m.channel, m.thread_ts, m.text);
    if (outcome && !outcome.ok) {
      await client.chat.postEphemeral({ channel: m.channel, user: m.user, thread_ts: m.thread_ts, text: `Not taken: ${outcome.error}` });
    }
  });
}
