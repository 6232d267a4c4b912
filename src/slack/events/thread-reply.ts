import type { SlackRouter } from '../router.ts';
import type { SlackAppDeps } from '../deps.ts';

/**
 * A person's plain reply in a finding's thread may answer the investigation's questions.
 * Whether it does, and whether its author may, is the investigation service's call: chat
 * is ignored, answers from anyone but a responder are refused privately and audited. The
 * reply's own `ts` goes with it: relative times ("2 hours ago") count from there.
 */
export function register(app: SlackRouter, deps: SlackAppDeps): void {
  const { investigations, jobs } = deps;
  if (!investigations || !jobs) return;
  app.event('message', async ({ message }) => {
    const m = message as { subtype?: string; thread_ts?: string; ts: string; text?: string; channel: string; user?: string; bot_id?: string };
    if (m.subtype || m.bot_id || !m.thread_ts || m.thread_ts === m.ts || !m.text || !m.user) return;
    await jobs.run({
      kind: 'investigation.reply',
      channel: m.channel,
      threadTs: m.thread_ts,
      ts: m.ts,
      text: m.text,
      replyTo: { channel: m.channel, threadTs: m.thread_ts, user: m.user },
    });
  });
}
