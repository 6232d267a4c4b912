import { afterEach, describe, expect, it } from 'vitest';
import { slackError, startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';

let fake: FakeSlack | undefined;
afterEach(async () => {
  await fake?.emulator.close();
  fake = undefined;
});

async function start(options: Parameters<typeof startFakeSlack>[0] = {}): Promise<FakeSlack> {
  fake = await startFakeSlack({ limits: false, ...options });
  return fake;
}

describe('Slack emulator: people and user groups', () => {
  it('lists the members of the user groups it was given', async () => {
    const client = (
      await start({
        userGroups: { S0ONCALL: ['U1', 'U2'] },
        directory: { users: {}, groups: { S0SECOPS: ['U3'], S0ONCALL: ['U9'] } },
      })
    ).webClient();
    // `userGroups` is merged over `directory.groups`.
    expect(await client.usergroups.users.list({ usergroup: 'S0ONCALL' })).toMatchObject({ ok: true, users: ['U1', 'U2'] });
    expect((await client.usergroups.users.list({ usergroup: 'S0SECOPS' })).users).toEqual(['U3']);
    expect((await slackError(client.usergroups.users.list({ usergroup: 'S0NOSUCH' }))).error).toBe('no_such_subteam');
    expect((await slackError(client.usergroups.users.list({ usergroup: 'toString' }))).error).toBe('no_such_subteam');
  });

  it('describes the people it was given, and the bot itself', async () => {
    const client = (await start({ users: { U0ALICE: { name: 'alice', email: 'alice@example.com', tz: 'Asia/Kolkata' }, U0BOB: { name: 'bob' } } })).webClient();
    const alice = await client.users.info({ user: 'U0ALICE' });
    // A time zone as Slack gives it: the zone, and its offset from UTC in seconds (India keeps no daylight saving).
    expect(alice.user).toMatchObject({ tz: 'Asia/Kolkata', tz_offset: 19_800 });
    expect((await client.users.info({ user: 'U0BOB' })).user).not.toHaveProperty('tz');
    expect(alice.user).toMatchObject({
      id: 'U0ALICE',
      team_id: 'T0EMULATOR',
      name: 'alice',
      is_bot: false,
      deleted: false,
      profile: { email: 'alice@example.com', real_name: 'alice' },
    });
    expect((await client.users.info({ user: 'U0BOB' })).user?.profile).not.toHaveProperty('email');
    expect((await client.users.info({ user: 'U0SIRBOT' })).user).toMatchObject({ id: 'U0SIRBOT', is_bot: true });
    expect((await slackError(client.users.info({ user: 'U0NOBODY' }))).error).toBe('user_not_found');
  });
});

describe('Slack emulator: ephemeral messages', () => {
  it('keeps them per channel and per person, for tests and over HTTP', async () => {
    const { webClient, emulator } = await start();
    const client = webClient();
    const alerts = (await client.chat.postMessage({ channel: '#alerts', text: 'root' })).channel as string;
    const chat = (await client.chat.postMessage({ channel: '#chat', text: 'root' })).channel as string;
    await client.chat.postEphemeral({ channel: alerts, user: 'U0ALICE', text: 'a1' });
    await client.chat.postEphemeral({ channel: alerts, user: 'U0BOB', text: 'b1' });
    await client.chat.postEphemeral({ channel: chat, user: 'U0ALICE', text: 'a2' });

    const texts = (list: Array<{ text?: string }>) => list.map((e) => e.text);
    expect(texts(emulator.state.ephemerals())).toEqual(['a1', 'b1', 'a2']);
    expect(texts(emulator.state.ephemerals({ user: 'U0ALICE' }))).toEqual(['a1', 'a2']);
    expect(texts(emulator.state.ephemerals({ channel: '#alerts' }))).toEqual(['a1', 'b1']);
    expect(texts(emulator.state.ephemerals({ channel: chat, user: 'U0ALICE' }))).toEqual(['a2']);
    // Ephemerals are no channel messages.
    expect(emulator.state.messages(alerts)).toHaveLength(1);

    const base = emulator.url.replace(/\/api\/$/, '');
    const get = async (query: string) => ((await (await fetch(`${base}/api/ephemerals${query}`)).json()) as { ephemerals: Array<{ text: string }> }).ephemerals;
    expect(texts(await get(''))).toEqual(['a1', 'b1', 'a2']);
    expect(texts(await get('?user=U0BOB'))).toEqual(['b1']);
    expect(texts(await get(`?channel=${alerts}&user=U0ALICE`))).toEqual(['a1']);
  });
});
