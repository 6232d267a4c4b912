import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.ts';
import { asEventBridge, kindOf, scenarioFindings, wrap } from '../../src/emulator/workbench/findings.ts';
import { normalizeInput } from '../../src/ingest/normalize.ts';
import { startLocalStack, type LocalStack } from '../../src/runtime/local/start.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { ownJson, sharedJson } from '../support/fixtures.ts';

const SCENARIO = 'src/scenarios/exposed-access-key';
const ASFF_EVENT = sharedJson<{ detail: { findings: Array<Record<string, unknown>> } }>(
  'securityhub/asr-eventbridge-envelopes',
  'source__playbooks__AFSBP__test__test_data__AFSBP-iam.6.json',
);
const OCSF_EVENT = ownJson<{ detail: { findings: Array<Record<string, unknown>> } }>('ocsf', 'findings-imported-v2-detection.json');

describe('findings panel: what the scenario offers and how it is wrapped', () => {
  it('offers every finding of the scenario once, the headline first', () => {
    const offered = scenarioFindings(SCENARIO);
    expect(offered[0]).toMatchObject({ id: 'finding.json#0', kind: 'guardduty', account: '111122223333' });
    // finding.json is also the first of findings/guardduty.json: offered once.
    expect(new Set(offered.map((f) => f.title)).size).toBe(offered.length);
    expect(offered.map((f) => f.kind)).toEqual(['guardduty', 'guardduty', 'asff']);
  });

  it.each([
    ['GuardDuty', () => scenarioFindings(SCENARIO)[0]!.doc, 'guardduty', 'GuardDuty Finding'],
    ['ASFF', () => ASFF_EVENT.detail.findings[0]!, 'asff', 'Security Hub Findings - Imported'],
    ['OCSF', () => OCSF_EVENT.detail.findings[0]!, 'ocsf', 'Findings Imported V2'],
  ])('%s: bare, as an EventBridge event and inside an SNS notification, sirbot reads the same finding', (_name, doc, kind, detailType) => {
    const finding = doc();
    expect(kindOf(finding)).toBe(kind);
    expect(asEventBridge(finding, new Date())['detail-type']).toBe(detailType);
    const ids = (['none', 'eventbridge', 'sns'] as const).map((how) => {
      const { findings, errors } = normalizeInput(JSON.parse(JSON.stringify(wrap(finding, how))));
      expect(errors).toEqual([]);
      return findings.map((f) => f.id);
    });
    expect(ids[0]).toHaveLength(1);
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[2]).toEqual(ids[0]);
  });
});

describe('workbench over HTTP (what the page calls)', () => {
  let stack: LocalStack;
  let dir: string;
  let base: string;
  const get = async (p: string) => {
    const res = await fetch(`${base}${p}`);
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  const post = async (p: string, body: unknown) => {
    const res = await fetch(`${base}${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as any };
  };
  const screen = async (q: Record<string, string>) => (await get(`/workbench/api/screen?${new URLSearchParams(q)}`)) as { status: number; text: string };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sirbot-workbench-'));
    const env = parseEnv({
      PORT: '0',
      SIRBOT_EMULATOR_PORT: '0',
      SIRBOT_DB: path.join(dir, 'sirbot.db'),
      SIRBOT_SCENARIO: 'exposed-access-key',
      LOG_LEVEL: 'silent',
    });
    stack = await startLocalStack(env, silentLogger());
    base = stack.workbenchUrl!.replace(/\/$/, '');
  });

  afterAll(async () => {
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page, its script and styles; the banner says where everything is', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>sirbot workbench</title>');
    expect(page.text).toContain('scenario: exposed-access-key');
    // Roles are given to the emulated people when none are configured.
    expect(page.text).toContain('alice — responder');
    expect(page.text).toContain('sam — approver');
    expect((await get('/workbench/app.js')).type).toContain('text/javascript');
    expect((await get('/workbench/app.css')).type).toContain('text/css');
    const banner = stack.banner().join('\n');
    expect(banner).toContain(`open http://localhost:${stack.runtime.port}/ in a browser`);
    expect(banner).toContain(`SQLite at ${path.join(dir, 'sirbot.db')}`);
    expect(banner).toContain('scenario exposed-access-key');
    expect(banner).toContain('SLACK_APP_TOKEN (Socket Mode)');
    expect(banner).toContain('SIRBOT_AWS=real');
    // No token configured: the one made for this run is shown, and it opens /dead-letters.
    expect(stack.runtime.admin.from).toBe('generated');
    expect(banner).toContain(`Authorization: Bearer ${stack.runtime.admin.token}`);
    expect((await fetch(`${stack.runtime.url}/dead-letters`)).status).toBe(401);
    expect((await fetch(`${stack.runtime.url}/dead-letters`, { headers: { authorization: `Bearer ${stack.runtime.admin.token}` } })).status).toBe(200);
  });

  it('sends a scenario finding SNS-wrapped; it lands in the channel; sending it again is a duplicate', async () => {
    const first = await post('/workbench/api/findings/send', { id: 'findings/guardduty.json#1', wrap: 'sns' });
    expect(first.status).toBe(200);
    expect(first.json.results).toEqual([expect.objectContaining({ outcome: 'posted', channel: '#security-incidents' })]);
    const again = await post('/workbench/api/findings/send', { id: 'findings/guardduty.json#1', wrap: 'eventbridge' });
    expect(again.json.results).toEqual([expect.objectContaining({ outcome: 'duplicate' })]);
    const conversations = JSON.parse((await get('/api/conversations')).text) as { channels: Array<{ name: string; messages: number }> };
    expect(conversations.channels).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'security-incidents', messages: 1 })]));
    const shown = JSON.parse((await screen({ user: 'U0ALICE', channel: 'security-incidents' })).text);
    expect(shown.messages).toContain('User ci-deployer anomalously created an IAM user and access key.');
  });

  it('pasted JSON: a clear error when it is not JSON; hostile text is shown as text', async () => {
    const bad = await post('/workbench/api/findings/send', { json: '{"oops"', wrap: 'none' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/^the pasted text is not JSON/);

    const hostile = structuredClone(ASFF_EVENT.detail.findings[0]!) as Record<string, any>;
    hostile.Id = 'arn:aws:securityhub:us-east-1:111122223333:finding/hostile-1';
    hostile.Title = '<!channel> <script>alert(1)</script> <https://evil.example|click> & more';
    const sent = await post('/workbench/api/findings/send', { json: JSON.stringify(hostile), wrap: 'eventbridge' });
    const channel = sent.json.results[0].channel.replace('#', '');
    const { messages } = JSON.parse((await screen({ user: 'U0ALICE', channel })).text) as { messages: string };
    expect(messages).not.toContain('<script>');
    expect(messages).not.toContain('href="https://evil.example');
    expect(messages).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('pasted JSON that is no finding: the answer carries /ingest’s own reason for each part', async () => {
    const object = await post('/workbench/api/findings/send', { json: '{"hello":"world"}', wrap: 'none' });
    expect(object.status).toBe(400);
    expect(object.json.error).toBe(
      "sirbot's /ingest refused it (400): (root): not a recognised finding or envelope (expected ASFF, OCSF, GuardDuty, EventBridge or SNS)",
    );
    const numbers = await post('/workbench/api/findings/send', { json: '[1,2,3]', wrap: 'sns' });
    expect(numbers.status).toBe(400);
    expect(numbers.json.error).toBe(
      "sirbot's /ingest refused it (400): Message[0]: expected an object, got number; Message[1]: expected an object, got number; Message[2]: expected an object, got number",
    );
    expect(numbers.json.rejected).toHaveLength(3);
  });

  it('the screen: one element per message, the same text while nothing changes, and the thread in the screen’s channel', async () => {
    const [root] = stack.emulator!.state.messages('security-incidents');
    const query = { user: 'U0ALICE', channel: 'security-incidents', thread: root!.ts };
    const first = JSON.parse((await screen(query)).text);
    const again = JSON.parse((await screen(query)).text);
    // What the page compares to decide whether to redraw: nothing changed, so nothing differs.
    expect(again.messages).toBe(first.messages);
    expect(again.thread).toEqual(first.thread);
    expect(first.channel).toEqual({ id: stack.emulator!.state.channelId('security-incidents'), name: 'security-incidents' });
    const replies = stack.emulator!.state.thread('security-incidents', root!.ts);
    // Each message is one top-level element the page can keep or replace on its own.
    expect([...first.thread.html.matchAll(/<article class="sb-message[^"]*" data-ts="([\d.]+)"/g)].map((m) => m[1])).toEqual(replies.map((m) => m.ts));
    expect(first.thread.html.startsWith('<article')).toBe(true);
  });

  it('/sir typed in the page: the bot’s immediate answer shows to that person only', async () => {
    const answer = await post('/workbench/api/command', { user: 'U0EVE', channel: 'security-incidents', text: 'help' });
    expect(answer.status).toBe(200);
    const eve = JSON.parse((await screen({ user: 'U0EVE', channel: 'security-incidents' })).text);
    expect(eve.messages).toContain('Only visible to you');
    expect(eve.messages).toContain('/sir');
    const alice = JSON.parse((await screen({ user: 'U0ALICE', channel: 'security-incidents' })).text);
    expect(alice.messages).not.toContain('Only visible to you');
  });

  it('a reply typed in a thread is posted as that person and shown in the thread', async () => {
    const [root] = stack.emulator!.state.messages('security-incidents');
    const said = await post('/workbench/api/say', { user: 'U0ALICE', channel: 'security-incidents', text: 'looking at it <@U0SAM>', threadTs: root!.ts });
    expect(said.status).toBe(200);
    const { thread } = JSON.parse((await screen({ user: 'U0ALICE', channel: 'security-incidents', thread: root!.ts })).text);
    expect(thread.html).toContain('looking at it');
    expect(thread.html).toContain('@sam');
  });

  it('a message posted from the page can be investigated with the manifest’s message shortcut', async () => {
    expect((await get('/')).text).toContain('Investigate with sirbot');
    const posted = await post('/workbench/api/say', {
      user: 'U0ALICE',
      channel: 'ops',
      text: 'found AKIAEXPOSEDKEY000001 in a public gist (account 111122223333)',
    });
    expect(posted.status).toBe(200);
    const used = await post('/workbench/api/shortcut', { user: 'U0ALICE', channel: 'ops', ts: posted.json.ts, callbackId: 'investigate_message' });
    expect(used.status).toBe(200);
    await expect
      .poll(async () => JSON.parse((await screen({ user: 'U0ALICE', channel: 'ops', thread: posted.json.ts })).text).thread?.html ?? '', { timeout: 10_000 })
      .toContain('asked sirbot to investigate access key');
    // Only shortcuts the app declares can be used.
    expect((await post('/workbench/api/shortcut', { user: 'U0ALICE', channel: 'ops', ts: posted.json.ts, callbackId: 'delete_everything' })).status).toBe(400);
  });

  it('mentioning the bot in a message sends it app_mention too, and it answers in the thread', async () => {
    const posted = await post('/workbench/api/say', { user: 'U0SAM', channel: 'ops', text: '<@U0SIRBOT> what can you do?' });
    await expect
      .poll(async () => stack.emulator!.state.thread('ops', posted.json.ts).filter((m) => m.user === stack.emulator!.state.botUserId).length, {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
  });

  it('Home: opening it publishes the person’s roles', async () => {
    expect((await post('/workbench/api/home', { user: 'U0SAM' })).status).toBe(200);
    await expect
      .poll(async () => JSON.parse((await screen({ user: 'U0SAM', home: '1' })).text).home?.html ?? '', { timeout: 10_000 })
      .toContain('Your sirbot roles: approver, responder');
  });

  it('refuses malformed requests with a reason, and unknown messages with 404', async () => {
    expect((await post('/workbench/api/act', { user: 'not a user', actionId: 'x' })).status).toBe(400);
    expect((await post('/workbench/api/act', 'not json')).json.error).toBe('the body is not JSON');
    const missing = await post('/workbench/api/act', { user: 'U0ALICE', actionId: 'x', channel: 'security-incidents', ts: '1.000001' });
    expect(missing.status).toBe(404);
    // A button the root does not (or no longer) carry: a stale click, said as such.
    const [root] = stack.emulator!.state.messages('security-incidents');
    const stale = await post('/workbench/api/act', { user: 'U0ALICE', actionId: 'no_such_button', channel: 'security-incidents', ts: root!.ts });
    expect(stale.status).toBe(409);
    expect(stale.json.error).toContain('no longer has no_such_button');
    expect((await post('/workbench/api/submit', { user: 'U0ALICE', viewId: 'V0NOPE', values: {} })).status).toBe(404);
  });

  it("an AWS-supported case: the fake's AWS responder takes it up, and its comment and status reach the thread through /ingest", async () => {
    const [root] = stack.emulator!.state.messages('security-incidents');
    // Opened as the case modal's submission would (the click path is test/integration/sir-case.test.ts's).
    const { findingId } = (await stack.runtime.core.store.findInvestigationByThread(root!.channel, root!.ts))!;
    const cases = stack.runtime.core.actions!.cases;
    const draft = await cases.draft(findingId, 'U0ALICE');
    const opened = await cases.open(findingId, 'U0ALICE', { ...draft!.draft, watchers: [{ email: 'secops@example.com' }], resolverType: 'AWS' });
    expect(opened.ok).toBe(true);
    const thread = async () => JSON.parse((await screen({ user: 'U0ALICE', channel: 'security-incidents', thread: root!.ts })).text).thread?.html ?? '';
    await expect.poll(thread, { timeout: 10_000 }).toContain('an AWS responder commented');
    expect(await thread()).toContain('AWS CIRT here: we have started on this case.');
    // The fake's investigative agent completes its evidence a few seconds after the case opened; the runtime polls for it.
    await expect.poll(thread, { timeout: 20_000 }).toContain('AWS investigative agent');
    expect(await thread()).toContain('Collected CloudTrail activity for the case');
  }, 40_000);

  it('shows uploaded files as plain text, never as a page', async () => {
    const ws = stack.emulator!.state;
    const file = ws.reserveFile('timeline.html', 20);
    file.content = Buffer.from('<script>alert(1)</script>');
    const shown = await get(`/workbench/files/${file.id}`);
    expect(shown.status).toBe(200);
    expect(shown.type).toBe('text/plain; charset=utf-8');
    expect(shown.text).toBe('<script>alert(1)</script>');
    expect((await get('/workbench/files/F0MISSING')).status).toBe(404);
  });
});

describe('findings panel: the issue 12 scenarios', () => {
  const CASES = [
    {
      name: 'instance-credential-exfiltration',
      offered: [
        ['finding.json#0', 'guardduty', 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', 'ASIAREPORTS1AEXAMPLE'],
        ['findings/guardduty-eu-west-1.json#1', 'guardduty', 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', 'ASIAREPORTS1BEXAMPLE'],
        [
          'findings/securityhub-eu-west-1.json#0',
          'asff',
          'Effects/Data Exfiltration/UnauthorizedAccess:IAMUser-InstanceCredentialExfiltration.OutsideAWS',
          'AWS::IAM::AccessKey:ASIAREPORTS1AEXAMPLE',
        ],
      ],
    },
    {
      name: 's3-data-exfiltration',
      offered: [
        ['finding.json#0', 'guardduty', 'Exfiltration:S3/AnomalousBehavior', 'AKIAANALYTICSETL0001'],
        ['findings/guardduty-us-east-2.json#0', 'guardduty', 'Discovery:S3/AnomalousBehavior', 'AKIAANALYTICSETL0001'],
        ['findings/guardduty-us-east-2.json#2', 'guardduty', 'Stealth:S3/ServerAccessLoggingDisabled', 'AKIAANALYTICSETL0001'],
        ['findings/securityhub-us-east-2.json#0', 'asff', 'TTPs/Exfiltration:S3-AnomalousBehavior', 'AWS::IAM::AccessKey:AKIAANALYTICSETL0001'],
      ],
    },
  ];

  it.each(CASES)('$name: offers the headline finding, then every other one once, each readable bare, from EventBridge and from SNS', ({ name, offered }) => {
    const list = scenarioFindings(`src/scenarios/${name}`);
    const read = list.map((f) => {
      const ids = (['none', 'eventbridge', 'sns'] as const).map((how) => {
        const { findings, errors } = normalizeInput(JSON.parse(JSON.stringify(wrap(f.doc, how))));
        expect(errors).toEqual([]);
        return findings[0]!;
      });
      expect(new Set(ids.map((x) => x.id)).size).toBe(1);
      return [f.id, f.kind, ids[0]!.type, ids[0]!.resources.find((r) => r.type === 'AwsIamAccessKey')?.id];
    });
    expect(read).toEqual(offered);
  });

  it.each(CASES.map((c) => c.name))('%s: the page offers them when SIRBOT_SCENARIO names it', async (name) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-workbench-'));
    const env = parseEnv({ PORT: '0', SIRBOT_EMULATOR_PORT: '0', SIRBOT_DB: path.join(dir, 'sirbot.db'), SIRBOT_SCENARIO: name, LOG_LEVEL: 'silent' });
    const stack = await startLocalStack(env, silentLogger());
    try {
      const base = stack.workbenchUrl!.replace(/\/$/, '');
      expect(await (await fetch(`${base}/`)).text()).toContain(`scenario: ${name}`);
      const panel = (await (await fetch(`${base}/workbench/api/findings`)).json()) as { scenario: string; findings: Array<{ id: string; severity: string }> };
      expect(panel.scenario).toBe(name);
      expect(panel.findings.map((f) => f.id)).toEqual(CASES.find((c) => c.name === name)!.offered.map(([id]) => id));
      expect(panel.findings[0]?.severity).toBe('severity 8');
      expect(stack.banner().join('\n')).toContain(`scenario ${name}`);
    } finally {
      await stack.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
