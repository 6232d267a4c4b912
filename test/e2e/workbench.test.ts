import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseEnv } from '../../src/config/env.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { startLocalStack, type LocalStack } from '../../src/runtime/local/start.ts';

/**
 * A person's walk through the workbench in a real browser: what `npm start` serves with no
 * Slack or AWS account. Debian's Chromium drives it (`apt-get install chromium`, as .ci/run does).
 */
const CHROMIUM = process.env.SIRBOT_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SKIPPED = `skipped: no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`;
/** Screenshots for people to look at after a run; CI keeps the folder as an artifact. */
const ARTIFACTS = path.resolve('test-artifacts/e2e');

const KEY = 'AKIAEXPOSEDKEY000001';
const ACCOUNT = '111122223333';
const INCIDENTS = 'security-incidents';

/** The message shortcuts manifest.yml declares: what the ⋮ menu must list. */
const SHORTCUT_NAMES = (
  parseYaml(readFileSync('manifest.yml', 'utf8')) as { features: { shortcuts: Array<{ name: string; type: string }> } }
).features.shortcuts
  .filter((s) => s.type === 'message')
  .map((s) => s.name);

/**
 * A finding a person pastes by hand: critical, so the rules send it to #security-incidents,
 * yet not one they investigate on their own, so its root offers Investigate; it names no
 * key or principal, so sirbot's questions include text fields.
 */
const UNOWNED_KEY_FINDING = {
  SchemaVersion: '2018-10-08',
  Id: 'e2e-unowned-key-1',
  ProductArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`,
  ProductName: 'Default',
  GeneratorId: 'e2e-by-hand',
  AwsAccountId: ACCOUNT,
  Region: 'us-east-1',
  Types: ['TTPs/Initial Access/UnauthorizedAccess:IAMUser-MaliciousIPCaller.Custom'],
  CreatedAt: '2026-11-21T10:07:12.000Z',
  UpdatedAt: '2026-11-21T10:07:12.000Z',
  Severity: { Label: 'CRITICAL', Normalized: 90 },
  Title: 'A key nobody owns called ListUsers',
  Description: 'Reported by hand from a log review.',
  Resources: [{ Type: 'AwsAccount', Id: `AWS::::Account:${ACCOUNT}`, Partition: 'aws', Region: 'us-east-1' }],
  Workflow: { Status: 'NEW' },
  RecordState: 'ACTIVE',
};

let stack: LocalStack;
let browser: Browser;
let page: Page;
let dir: string;

const thread = () => page.locator('#wb-thread');
const fake = () => stack.evidence.fake!;
const modal = () => page.locator('#wb-modal-layer form.sb-modal');
/** The page polls the workbench; give what the bot does in the background time to show. */
const eventually = <T>(read: () => T | Promise<T>, timeout = 20_000) => expect.poll(read, { timeout, interval: 100 });
const base = () => stack.workbenchUrl!.replace(/\/$/, '');
const ws = () => stack.emulator!.state;
const post = (p: string, body: unknown) =>
  fetch(`${base()}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
/** What the workbench sent to sirbot's receiver (its own record, kept as each request leaves). */
const sent = async () =>
  (
    (await (await fetch(`${base()}/workbench/api/sent`)).json()) as {
      sent: Array<{ type: string; callbackId: string | null; actionIds: string[]; user: string }>;
    }
  ).sent;
const submissions = async (callbackId: string) => (await sent()).filter((s) => s.type === 'view_submission' && s.callbackId === callbackId).length;
/** Every error the page has shown in its toast since it loaded (recorded by a script added before the page's own). */
const errorsShown = async () => (await page.evaluate('window.wbErrors.slice()')) as string[];
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A few of the page's polls (every 700 ms). */
const SEVERAL_POLLS_MS = 3_000;

/** Waits until the server's rendering of a thread has not changed for `quietMs`: sirbot is done with it for now. */
async function threadSettled(user: string, channel: string, threadTs: string, quietMs = 2_000): Promise<void> {
  const read = async () =>
    JSON.stringify(
      ((await (await fetch(`${base()}/workbench/api/screen?${new URLSearchParams({ user, channel, thread: threadTs })}`)).json()) as { thread: unknown })
        .thread,
    );
  let last = await read();
  let since = Date.now();
  const end = Date.now() + 30_000;
  while (Date.now() - since < quietMs) {
    if (Date.now() > end) throw new Error('the thread kept changing');
    await pause(200);
    const now = await read();
    if (now !== last) [last, since] = [now, Date.now()];
  }
}

/** Counts every change to an element's subtree from now on, and marks its first child to tell whether it is still the same node later. */
const watchRedraws = (selector: string) =>
  page.evaluate(`(() => {
    const el = document.querySelector(${JSON.stringify(selector)});
    el.firstElementChild.dataset.e2eMark = 'kept';
    window.wbMutations = 0;
    new MutationObserver((records) => (window.wbMutations += records.length)).observe(el, { childList: true, subtree: true, characterData: true, attributes: true });
  })()`);
const redraws = async () => (await page.evaluate('window.wbMutations')) as number;
/** In the browser, before the page's own script: every error toast, however briefly shown, for the tests that say none appeared. */
const RECORD_ERRORS = `
  window.wbErrors = [];
  new MutationObserver(() => {
    const toast = document.getElementById('wb-toast');
    if (toast && !toast.hidden && toast.dataset.kind === 'error' && window.wbErrors.at(-1) !== toast.textContent) window.wbErrors.push(toast.textContent);
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
`;

describe.skipIf(!HAVE_CHROMIUM)('workbench in a browser', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sirbot-e2e-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    // The bundled rules, with on-call paging for the threat detections: PagerDuty is paged at the escalation's first step.
    const rules = path.join(dir, 'rules.yml');
    const bundled = readFileSync('src/rules/default.yml', 'utf8');
    const withPaging = bundled.replace(
      /(RuleName: threat-detections-investigate[\s\S]*?Investigate: true\n)/,
      '$1      Acknowledge: { Within: 1h, Page: pagerduty }\n',
    );
    expect(withPaging).not.toBe(bundled);
    writeFileSync(rules, withPaging);
    const env = parseEnv({
      PORT: '0',
      SIRBOT_EMULATOR_PORT: '0',
      SIRBOT_DB: path.join(dir, 'sirbot.db'),
      SIRBOT_SCENARIO: 'exposed-access-key',
      SIRBOT_RULES: rules,
      LOG_LEVEL: 'silent',
    });
    stack = await startLocalStack(env, silentLogger());
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Flags for a closed network: without them Chromium keeps trying to reach Google's services.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.setDefaultTimeout(20_000);
    await page.addInitScript({ content: RECORD_ERRORS });
    await page.goto(stack.workbenchUrl!);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends the exposed-key finding from the findings panel; sirbot posts it in the channel its rules pick', async () => {
    await expect(page.title()).resolves.toBe('sirbot workbench');
    await page.locator('#wb-wrap').selectOption('sns');
    await page.locator('.wb-finding', { hasText: 'API ListUsers was invoked' }).getByRole('button', { name: 'Send' }).click();
    await eventually(() => page.locator('#wb-ingest-result').innerText()).toContain('posted in #security-incidents');
    await eventually(() => page.locator('#wb-channel-title').innerText()).toBe('# security-incidents');
    await eventually(() => page.locator('#wb-messages .sb-message').first().innerText()).toContain(
      'API ListUsers was invoked from an IP address on a custom threat list.',
    );
  });

  it('lists the channels with their message counts inside the sidebar, none cut off at its edge', async () => {
    const sidebar = page.locator('.wb-sidebar');
    // Nothing wider than the sidebar: an overflowing row is what got its count clipped.
    expect(await sidebar.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
    const box = (await sidebar.boundingBox())!;
    const padding = await sidebar.evaluate((el) => parseFloat(el.ownerDocument.defaultView!.getComputedStyle(el).paddingRight));
    const counts = page.locator('#wb-channels .wb-count');
    expect(await counts.count()).toBeGreaterThanOrEqual(2);
    for (const count of await Promise.all((await counts.all()).map((c) => c.boundingBox()))) {
      expect(count!.x + count!.width).toBeLessThanOrEqual(box.x + box.width - padding);
    }
    expect(await page.locator('#wb-channels .wb-nav-item', { hasText: INCIDENTS }).locator('.wb-count').innerText()).toBe('1');
  });

  it('a pasted body that is no finding: the server’s reason is shown, and the previous result is gone', async () => {
    const result = page.locator('#wb-ingest-result');
    expect(await result.innerText()).toContain('posted in #security-incidents');
    await page.locator('#wb-wrap').selectOption('none');
    await page.locator('.wb-paste summary').click();

    await page.locator('#wb-paste').fill('{"hello":"world"}');
    await page.locator('#wb-paste-send').click();
    await eventually(() => result.innerText()).toContain('not a recognised finding or envelope');
    expect(await result.innerText()).toContain('(400)');
    expect(await result.innerText()).not.toContain('posted in');

    await page.locator('#wb-paste').fill('[1,2,3]');
    await page.locator('#wb-paste-send').click();
    await eventually(() => result.innerText()).toContain('[0]: expected an object, got number');
    const text = await result.innerText();
    expect(text).toContain('[2]: expected an object, got number');
    expect(text).not.toContain('not a recognised finding');
    // Nothing was posted, so the page stays where it was.
    expect(await page.locator('#wb-channel-title').innerText()).toBe('# security-incidents');
  });

  it('asks its questions in the thread; a date picker and a select answer them; the timeline and summary follow', async () => {
    await page.locator('#wb-messages .sb-thread-summary').first().click();
    await eventually(() => thread().innerText()).toContain('Before I look, a few questions.');
    await thread().locator('input[type="date"][data-action-id="investigation_answer_exposedAt"]').fill('2026-11-20');
    await thread().locator('select[data-action-id="investigation_answer_rotated"]').selectOption('no');
    await eventually(() => thread().innerText(), 60_000).toContain('Investigation summary');
    const text = await thread().innerText();
    // What the evidence shows: the identity the intruder created, its key, and the instances it launched.
    expect(text).toContain('backup-svc');
    expect(text).toContain('AKIABACKUPSVCKEY0001');
    expect(text).toContain('i-0a1b2c3d4e5f00001');
    // The timeline files, attached to the thread.
    await eventually(() => thread().locator('.sb-file').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringMatching(/timeline.*\.csv$/), expect.stringMatching(/timeline.*\.json$/)]),
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'thread.png') });
  });

  it('opens a Security IR case through the modal; a double-click on its submit sends it once', async () => {
    await thread().locator('.sb-message').first().getByRole('button', { name: 'Open SIR case' }).click();
    await eventually(() => modal().getAttribute('data-callback-id')).toBe('case_modal');
    await eventually(() => modal().locator('[data-view-action="submit"]').count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'case-modal.png') });
    // AWS-supported: the workbench's AWS responder takes the case up a few seconds later.
    await modal().locator('input[type="radio"][value="AWS"]').check();
    const errorsBefore = (await errorsShown()).length;
    await modal().locator('[data-view-action="submit"]').dblclick();
    await eventually(() => page.locator('#wb-modal-layer').isHidden()).toBe(true);
    await eventually(() => fake().securityIr.cases.size).toBe(1);
    const [caseId] = [...fake().securityIr.cases.keys()];
    await eventually(() => thread().innerText()).toContain(`Case ${caseId}`);
    // Security IR's events reach sirbot (an EventBridge rule's work, here the fake's): the AWS responder's comment shows.
    await eventually(() => thread().innerText(), 20_000).toContain('an AWS responder commented on case');
    expect(await thread().innerText()).toContain('AWS CIRT here: we have started on this case.');
    // The fake's investigative agent works on the new case, seconds apart; sirbot looks for its results every few seconds.
    await eventually(() => thread().innerText(), 30_000).toContain('AWS investigative agent');
    await page.screenshot({ path: path.join(ARTIFACTS, 'case-thread.png') });
    // One view_submission reached sirbot, so it never said a case was already being opened.
    expect(await submissions('case_modal')).toBe(1);
    expect((await errorsShown()).slice(errorsBefore)).toEqual([]);
    expect(await thread().innerText()).not.toContain('being opened');
    expect(
      ws()
        .ephemerals({ user: 'U0ALICE' })
        .map((e) => e.text ?? ''),
    ).not.toEqual(expect.arrayContaining([expect.stringContaining('being opened')]));
  });

  it('"Was this you?": dana, whose CI user the exposed key is, answers No in her direct message (a window of her own); the thread says so, on-call is paged in PagerDuty, and its acknowledgement there shows in the thread', async () => {
    const dana = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    try {
      await dana.goto(`${base()}/`);
      await dana.locator('#wb-user').selectOption('U0DANA');
      const dm = dana.locator('#wb-channels .wb-nav-item', { hasText: 'dm-u0dana' });
      await eventually(() => dm.count()).toBe(1);
      await dm.click();
      const asked = dana.locator('#wb-messages .sb-message', { hasText: 'Was this you?' });
      await eventually(() => asked.count()).toBe(1);
      expect(await asked.innerText()).toContain('ci-deployer');
      await dana.screenshot({ path: path.join(ARTIFACTS, 'was-this-you.png') });
      await asked.getByRole('button', { name: 'No, it was not me' }).click();
      await eventually(() => dana.locator('#wb-messages .sb-message').first().innerText()).toContain('you answered No, it was not me');
    } finally {
      await dana.close();
    }
    const [root] = ws().messages(INCIDENTS);
    await eventually(() =>
      ws()
        .thread(INCIDENTS, root!.ts)
        .some((m) => JSON.stringify(m.blocks ?? []).includes('answered *No, it was not me*')),
    ).toBe(true);
    // "No" hurried the escalation: on-call is paged in the fake PagerDuty, shown on the page; acknowledged there, the thread says so.
    const incident = page.locator('[data-page-service="pagerduty"]');
    await eventually(() => incident.count(), 30_000).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'paged.png') });
    await incident.first().click();
    await eventually(
      () =>
        ws()
          .thread(INCIDENTS, root!.ts)
          .some((m) => JSON.stringify(m.blocks ?? []).includes('Acknowledged in PagerDuty')),
      20_000,
    ).toBe(true);
  });

  it('marks the finding RESOLVED', async () => {
    await thread().locator('.sb-message').first().getByRole('button', { name: 'Set status' }).click();
    await eventually(() => modal().getAttribute('data-callback-id')).toBe('status_modal');
    await modal().locator('input[type="radio"][value="RESOLVED"]').check();
    await modal().locator('textarea').fill('key deactivated, attacker identity removed');
    await modal().locator('[data-view-action="submit"]').click();
    await eventually(() => thread().innerText()).toContain('set the workflow status to RESOLVED');
    // A GuardDuty finding is resolved by archiving it (GuardDuty has no workflow status of its own).
    expect(fake().state.findingUpdates.at(-1)).toMatchObject({
      operation: 'ArchiveFindings',
      account: ACCOUNT,
      findingId: '7ec6f1a2b3c4d5e6f708192a3b4c5d6e',
      changes: { archived: true },
    });
  });

  it('deactivates the access key after a confirmation that shows the exact call', async () => {
    await thread()
      .getByRole('button', { name: `Deactivate ${KEY}` })
      .click();
    await eventually(() => modal().getAttribute('data-callback-id')).toBe('remediation_modal');
    await eventually(() => modal().locator('[data-view-action="submit"]').count()).toBe(1);
    expect(await modal().innerText()).toContain(`iam:UpdateAccessKey in ${ACCOUNT}/us-east-1`);
    const key = () =>
      fake()
        .state.iam.accounts[ACCOUNT]!.users!.find((u) => u.UserName === 'ci-deployer')!
        .AccessKeys!.find((k) => k.AccessKeyId === KEY)!;
    expect(key().Status).toBe('Active');
    await modal().locator('[data-view-action="submit"]').click();
    await eventually(() => thread().innerText()).toMatch(/Deactivate access key[\s\S]*succeeded/);
    expect(key().Status).toBe('Inactive');
    await eventually(() => page.locator('#wb-aws').innerText()).toContain('UpdateAccessKey');
    await page.screenshot({ path: path.join(ARTIFACTS, 'after-remediation.png') });
  });

  it('deleting the intruder’s key takes a second person: sam approves in the thread, through the confirm dialog', async () => {
    const backupKeys = () =>
      fake()
        .state.iam.accounts[ACCOUNT]!.users!.find((u) => u.UserName === 'backup-svc')!
        .AccessKeys!.map((k) => k.AccessKeyId);
    await thread().getByRole('button', { name: 'Delete AKIABACKUPSVCKEY0001' }).click();
    await eventually(() => modal().locator('[data-view-action="submit"]').count()).toBe(1);
    const submitted = await submissions('remediation_modal');
    await modal().locator('[data-view-action="submit"]').dblclick();
    const request = thread().locator('.sb-message', { hasText: 'asks to run Delete access key' });
    await eventually(() => request.count()).toBe(1);
    expect(await submissions('remediation_modal')).toBe(submitted + 1);
    expect(await thread().innerText()).not.toContain('already requested');

    await page.locator('#wb-user').selectOption('U0SAM');
    await request.getByRole('button', { name: 'Approve' }).click();
    // Slack's confirm dialog, from the button's `confirm` object: nothing is sent until it is confirmed.
    const dialog = page.locator('#wb-confirm-layer [role="alertdialog"]');
    await eventually(() => dialog.innerText()).toContain('Approve and run?');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await eventually(() => thread().innerText()).toMatch(/Delete access key[\s\S]*approved by @sam/);
    await eventually(() => backupKeys()).not.toContain('AKIABACKUPSVCKEY0001');
  });

  it('a thread scrolled up stays where the reader left it: polls redraw nothing, and a new reply does not pull them down', async () => {
    const [root] = ws().messages(INCIDENTS);
    // The case opened above: the fake's agent has finished (its summary is its last step) before the thread is watched.
    await eventually(
      () =>
        JSON.stringify(
          ws()
            .thread(INCIDENTS, root!.ts)
            .map((m) => m.blocks),
        ),
      40_000,
    ).toContain('Summary of the investigation');
    await threadSettled('U0SAM', INCIDENTS, root!.ts);
    const pane = thread();
    expect(await pane.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeGreaterThan(500);
    await pane.evaluate((el) => (el.scrollTop = 0));
    await watchRedraws('#wb-thread');
    await pause(SEVERAL_POLLS_MS);
    expect(await pane.evaluate((el) => el.scrollTop)).toBe(0);
    expect(await redraws()).toBe(0);

    // Someone else replies: it is shown, the reader is not moved, the messages above are the same nodes.
    expect(
      (await post('/workbench/api/say', { user: 'U0ALICE', channel: INCIDENTS, text: 'e2e: reading the summary from the top', threadTs: root!.ts })).status,
    ).toBe(200);
    await eventually(() => pane.innerText()).toContain('e2e: reading the summary from the top');
    expect(await pane.evaluate((el) => el.scrollTop)).toBe(0);
    expect(await pane.locator('.sb-message').first().getAttribute('data-e2e-mark')).toBe('kept');
  }, 90_000);

  it('every button on a root message works in #security-incidents, in the channel view, and ⋮ lists the manifest’s shortcuts', async () => {
    await page.locator('#wb-user').selectOption('U0ALICE');
    await page.locator('#wb-thread-close').click();
    await eventually(() => page.locator('#wb-thread-pane').isHidden()).toBe(true);
    const errorsBefore = (await errorsShown()).length;
    await page.locator('#wb-wrap').selectOption('eventbridge');
    await page.locator('#wb-paste').fill(JSON.stringify(UNOWNED_KEY_FINDING));
    await page.locator('#wb-paste-send').click();
    await eventually(() => page.locator('#wb-ingest-result').innerText()).toContain('e2e-unowned-key-1: posted in #security-incidents');
    await eventually(() => page.locator('#wb-channel-title').innerText()).toBe('# security-incidents');
    const root = page.locator('#wb-messages .sb-message', { hasText: 'A key nobody owns called ListUsers' });
    await eventually(() => root.count()).toBe(1);
    const rootTs = (await root.getAttribute('data-ts'))!;

    for (const [button, callbackId] of [
      ['Set status', 'status_modal'],
      ['Open SIR case', 'case_modal'],
      ['Snooze similar', 'snooze_modal'],
    ] as const) {
      await root.getByRole('button', { name: button }).click();
      await eventually(() => modal().getAttribute('data-callback-id')).toBe(callbackId);
      await modal().locator('[data-view-action="close"]').click();
      await eventually(() => page.locator('#wb-modal-layer').isHidden()).toBe(true);
    }

    await root.locator('.wb-more').click();
    const items = root.getByRole('menuitem');
    expect(await items.allInnerTexts()).toEqual(SHORTCUT_NAMES);
    await page.screenshot({ path: path.join(ARTIFACTS, 'shortcut-menu.png') });
    await items.first().click();
    // The message names no key, ARN, instance or IP: sirbot says so, to alice only, in its thread.
    await eventually(() =>
      ws()
        .ephemerals({ channel: INCIDENTS, user: 'U0ALICE' })
        .filter((e) => e.thread_ts === rootTs)
        .map((e) => e.text),
    ).toEqual([expect.stringContaining('names no access key id')]);

    await root.getByRole('button', { name: 'Investigate', exact: true }).click();
    await eventually(() =>
      ws()
        .thread(INCIDENTS, rootTs)
        .map((m) => m.text ?? ''),
    ).toEqual(expect.arrayContaining([expect.stringContaining('a few questions')]));
    expect((await errorsShown()).slice(errorsBefore)).toEqual([]);
    const reached = (await sent()).filter((s) => s.user === 'U0ALICE' && s.callbackId !== null).map((s) => s.callbackId);
    expect(reached).toEqual(expect.arrayContaining(['investigate_message']));
  });

  it('text typed into a question stays while the page polls and while sirbot updates the question; Enter sends it', async () => {
    const root = page.locator('#wb-messages .sb-message', { hasText: 'A key nobody owns called ListUsers' });
    const rootTs = (await root.getAttribute('data-ts'))!;
    await root.locator('.sb-thread-summary').click();
    const principal = thread().locator('input[data-action-id="investigation_answer_principal"]');
    await eventually(() => principal.count()).toBe(1);
    await principal.click();
    await principal.pressSequentially('ci-dep', { delay: 120 });

    // Meanwhile sam answers another question: sirbot rewrites the questions message around alice's half-typed answer.
    const questions = ws()
      .thread(INCIDENTS, rootTs)
      .find((m) => (m.text ?? '').includes('a few questions'))!;
    const answered = await post('/workbench/api/act', {
      user: 'U0SAM',
      channel: INCIDENTS,
      ts: questions.ts,
      actionId: 'investigation_answer_accessKeyId',
      blockId: 'q_accessKeyId',
      value: 'AKIAUNOWNEDKEY000001',
    });
    expect(answered.status).toBe(200);
    await eventually(() => thread().innerText()).toContain('AKIAUNOWNEDKEY000001');
    await principal.pressSequentially('loyer', { delay: 120 });
    await pause(SEVERAL_POLLS_MS);
    expect(await principal.inputValue()).toBe('ci-deployer');
    expect(await principal.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);

    await principal.press('Enter');
    await eventually(() => thread().innerText()).toMatch(/principal: ci-deployer \(@alice\)/);
    expect((await sent()).filter((s) => s.actionIds.includes('investigation_answer_principal'))).toHaveLength(1);
  });

  it('a reload keeps the person, the channel and the open thread', async () => {
    await page.locator('#wb-user').selectOption('U0SAM');
    await eventually(() => new URL(page.url()).searchParams.get('user')).toBe('U0SAM');
    const threadTs = new URL(page.url()).searchParams.get('thread');
    expect(threadTs).toMatch(/^\d+\.\d+$/);
    await page.reload();
    expect(await page.locator('#wb-user').inputValue()).toBe('U0SAM');
    await eventually(() => page.locator('#wb-channel-title').innerText()).toBe('# security-incidents');
    await eventually(() => page.locator('#wb-thread-pane').isVisible()).toBe(true);
    await eventually(() => thread().locator('.sb-message').first().getAttribute('data-ts')).toBe(threadTs);
    expect(await thread().innerText()).toContain('A key nobody owns called ListUsers');
    // Back leaves the thread, as the person went into it.
    await page.locator('#wb-thread-close').click();
    await eventually(() => page.locator('#wb-thread-pane').isHidden()).toBe(true);
    await page.goBack();
    await eventually(() => page.locator('#wb-thread-pane').isVisible()).toBe(true);
  });

  it('after npm start again on the same database, the threads are still there and the same finding is a duplicate of one people can see', async () => {
    const roots = ws()
      .messages(INCIDENTS)
      .map((m) => m.ts);
    const env = { ...stack.env, PORT: stack.runtime.port };
    await stack.close();
    stack = await startLocalStack(env, silentLogger());
    expect(stack.slackState?.restored?.messages).toBeGreaterThan(10);
    expect(
      ws()
        .messages(INCIDENTS)
        .map((m) => m.ts),
    ).toEqual(roots);

    await page.goto(`${base()}/?user=U0ALICE&channel=${INCIDENTS}`);
    await eventually(() => page.locator('#wb-messages .sb-message').count()).toBe(roots.length);
    await page.locator('#wb-wrap').selectOption('sns');
    await page.locator('.wb-finding', { hasText: 'API ListUsers was invoked' }).getByRole('button', { name: 'Send' }).click();
    await eventually(() => page.locator('#wb-ingest-result').innerText()).toContain('duplicate in #security-incidents');
    // Nothing new was posted, and the finding's thread, from before the restart, opens with its summary.
    expect(
      ws()
        .messages(INCIDENTS)
        .map((m) => m.ts),
    ).toEqual(roots);
    await page.locator('#wb-messages .sb-message', { hasText: 'API ListUsers was invoked' }).locator('.sb-thread-summary').click();
    await eventually(() => thread().innerText()).toContain('Investigation summary');
    await page.screenshot({ path: path.join(ARTIFACTS, 'after-restart.png') });
  });
});

// Said by name in the run's summary, so a machine without Chromium shows what it did not test.
if (!HAVE_CHROMIUM) {
  describe('workbench in a browser', () => {
    it.skip(SKIPPED, () => {});
  });
}
