import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime } from '../../src/runtime/local/server.ts';
import { parseEnv } from '../../src/config/env.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { startSlackEmulator } from '../../src/emulator/slack/index.ts';
import { BOT_TOKEN, SIGNING_SECRET, startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';

const SCENARIO = 'src/scenarios/exposed-access-key';
const FINDING = JSON.parse(readFileSync(`${SCENARIO}/finding.json`, 'utf8')) as Record<string, unknown>;

/**
 * Socket Mode (SLACK_APP_TOKEN): Bolt's own SocketModeReceiver opens its connection through
 * apps.connections.open and takes every event, interaction and command as an envelope it
 * must acknowledge. No public URL: the HTTP receiver is not served at all.
 */
describe('Socket Mode', () => {
  let t: TestRuntime;

  beforeAll(async () => {
    t = await startTestRuntime({ scenario: SCENARIO, socketMode: true, env: { SIRBOT_RESPONDERS: 'U0ALICE' } });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('connects through apps.connections.open with the app-level token; /slack/events is not served', async () => {
    expect(t.slack.socketMode.connected).toBe(true);
    expect(
      t.slack.state
        .calls()
        .filter((c) => c.method === 'apps.connections.open')
        .map((c) => c.ok),
    ).toEqual([true]);
    expect((await fetch(`${t.runtime.url}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('a slash command is acknowledged over the socket, its answer in the acknowledgement', async () => {
    const answer = await t.user('U0ALICE').command('help', '#security-incidents');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(answer.body)).toContain('/sir investigate');
  });

  it('a finding’s thread works end to end: button over the socket, investigation, summary', async () => {
    await t.ingest(FINDING);
    const [root] = t.slack.state.messages('#security-incidents');
    await expect
      .poll(() => t.slack.state.thread(root!.channel, root!.ts).some((m) => JSON.stringify(m.blocks ?? []).includes('investigation_start_now')), {
        timeout: 10_000,
      })
      .toBe(true);
    const questions = t.slack.state.thread(root!.channel, root!.ts).find((m) => JSON.stringify(m.blocks ?? []).includes('investigation_start_now'))!;
    expect((await t.user('U0ALICE').click(questions, 'investigation_start_now')).status).toBe(200);
    await expect
      .poll(
        () =>
          t.slack.state
            .thread(root!.channel, root!.ts)
            .map((m) => messageTexts(m).join('\n'))
            .join('\n'),
        { timeout: 30_000 },
      )
      .toContain('AKIABACKUPSVCKEY0001');
  });

  it('modals open from the socket’s trigger ids, and submissions are answered over it', async () => {
    const alice = t.user('U0ALICE');
    const [root] = t.slack.state.messages('#security-incidents');
    await alice.click(root!, 'finding_set_status');
    await alice.waitForModal('status_modal');
    // A submission without a status: the errors come back in the acknowledgement, and the modal stays.
    const refused = await alice.submit({ status: { option: '' } });
    expect(refused.body).toMatchObject({ response_action: 'errors' });
    expect(alice.modal()?.callback_id).toBe('status_modal');
  });
});

describe('Socket Mode start-up', () => {
  it('a wrong app-level token stops start-up with Slack’s error', async () => {
    const emulator = await startSlackEmulator({ token: BOT_TOKEN, appToken: 'xapp-1-right' });
    try {
      const env = parseEnv({ PORT: '0', SIRBOT_DB: ':memory:', LOG_LEVEL: 'silent' });
      await expect(
        startLocalRuntime({
          env,
          logger: silentLogger(),
          slack: { token: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: emulator.url, appToken: 'xapp-1-wrong' },
        }),
      ).rejects.toThrow(/invalid_auth/);
      expect(emulator.socketMode.connected).toBe(false);
    } finally {
      await emulator.close();
    }
  });
});
