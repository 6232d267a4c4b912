import type { SlackRouter } from '../router.ts';
import type { SlackAppDeps } from '../deps.ts';

/**
 * A person's plain reply in a finding's thread may answer the investigation's questions.
 * Whether it does, and whether its author may, is the investigation service's call: chat
 * is ignored, answers from anyone but a responder are refused privately and audited. The
 * reply's own `ts` goes with it: relative times ("2 hours ago") count from there. A
 * question for sirbot ("what did this key do after 14:00?", or any reply mentioning it)
 * is answered from CloudTrail instead (investigation/follow-ups.ts).
 */
export function register(app: SlackRouter, deps: SlackAppDeps): void {
  const { investigations, jobs } = deps;
  if (!investigations || !jobs) return;
  app.event('message', async ({ message, context }) => {
    const m = message as { subtype?: string; thread_ts?: string; ts: string; text?: string; channel: string; user?: string; bot_id?: string };
    // Edits (`message_changed`) and bots' messages carry a subtype or a bot id: an edited question is not asked again.
    if (m.subtype || m.bot_id || !m.thread_ts || m.thread_ts === m.ts || !m.text || !m.user) return;
    const bot = context.botUserId;
    await jobs.run({
      kind: 'investigation.reply',
      channel: m.channel,
      threadTs: m.thread_ts,
      ts: m.ts,
      text: m.text,
      ...(bot && m.text.includes(`<@${bot}>`) ? { mentionsBot: true } : {}),
      replyTo: { channel: m.channel, threadTs: m.thread_ts, user: m.user },
    });
  });
}
