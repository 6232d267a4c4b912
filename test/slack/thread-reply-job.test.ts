import { describe, expect, it } from 'vitest';
import type { WebClient } from '@slack/web-api';
import type { InvestigationService } from '../../src/investigation/service.ts';
import { JobDispatcher } from '../../src/jobs/dispatch.ts';
import { jobSchema } from '../../src/jobs/job.ts';
import type { Replies } from '../../src/ports/replies.ts';
import { SlackTimeZones } from '../../src/slack/time-zones.ts';
import { recordingPort } from '../support/recording-port.ts';

/** The reply job carries the message's own ts, and the writer's Slack time zone is asked of users.info only if the service needs it. */
describe('the thread reply job', () => {
  const job = jobSchema.parse({
    kind: 'investigation.reply',
    channel: 'C0SEC',
    threadTs: '1795780800.000100',
    ts: '1795784400.000200',
    text: 'leaked yesterday at 3pm',
    replyTo: { channel: 'C0SEC', threadTs: '1795780800.000100', user: 'U0ALICE' },
  });

  function run(info: () => Promise<unknown>) {
    const calls: Array<{ ts?: string; zone: string | null }> = [];
    const investigations = {
      reply: async (_c: string, _t: string, _text: string, _u: string, o: { ts?: string; zone?: () => Promise<string | null> }) => {
        calls.push({ ...(o.ts ? { ts: o.ts } : {}), zone: (await o.zone?.()) ?? null });
        return null;
      },
    } as unknown as InvestigationService;
    const client = { users: { info } } as unknown as WebClient;
    const dispatcher = new JobDispatcher({ investigations, replies: recordingPort<Replies>().port, timeZones: new SlackTimeZones(client) });
    return dispatcher.dispatch(job).then(() => calls);
  }

  it("passes the reply's ts and the profile's tz", async () => {
    expect(await run(async () => ({ ok: true, user: { id: 'U0ALICE', tz: 'Europe/Paris' } }))).toEqual([{ ts: '1795784400.000200', zone: 'Europe/Paris' }]);
  });

  it('gives no zone when Slack has none or refuses', async () => {
    expect(await run(async () => ({ ok: true, user: { id: 'U0ALICE' } }))).toEqual([{ ts: '1795784400.000200', zone: null }]);
    expect(
      await run(async () => {
        throw new Error('missing_scope');
      }),
    ).toEqual([{ ts: '1795784400.000200', zone: null }]);
  });

  it('still accepts a queued job from before the ts was carried', () => {
    expect(jobSchema.safeParse({ ...job, ts: undefined }).success).toBe(true);
  });
});
