import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

let stack: LocalStack;
let browser: Browser;
let page: Page;
let dir: string;

const thread = () => page.locator('#wb-thread');
const fake = () => stack.evidence.fake!;
const modal = () => page.locator('#wb-modal-layer form.sb-modal');
/** The page polls the workbench; give what the bot does in the background time to show. */
const eventually = <T>(read: () => T | Promise<T>, timeout = 20_000) => expect.poll(read, { timeout, interval: 100 });

describe.skipIf(!HAVE_CHROMIUM)('workbench in a browser', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sirbot-e2e-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    const env = parseEnv({ PORT: '0', SIRBOT_EMULATOR_PORT: '0', SIRBOT_DB: path.join(dir, 'sirbot.db'), SIRBOT_SCENARIO: 'exposed-access-key', LOG_LEVEL: 'silent' });
    stack = await startLocalStack(env, silentLogger());
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // Flags for a closed network: without them Chromium keeps trying to reach Google's services.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.setDefaultTimeout(20_000);
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
    await eventually(() => page.locator('#wb-messages .sb-message').first().innerText()).toContain('API ListUsers was invoked from an IP address on a custom threat list.');
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
    await eventually(() => thread().locator('.sb-file').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/timeline.*\.csv$/), expect.stringMatching(/timeline.*\.json$/)]));
    await page.screenshot({ path: path.join(ARTIFACTS, 'thread.png') });
  });

  it('opens a Security IR case through the modal', async () => {
    await thread().locator('.sb-message').first().getByRole('button', { name: 'Open SIR case' }).click();
    await eventually(() => modal().getAttribute('data-callback-id')).toBe('case_modal');
    await eventually(() => modal().locator('[data-view-action="submit"]').count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'case-modal.png') });
    await modal().locator('[data-view-action="submit"]').click();
    await eventually(() => page.locator('#wb-modal-layer').isHidden()).toBe(true);
    await eventually(() => fake().securityIr.cases.size).toBe(1);
    const [caseId] = [...fake().securityIr.cases.keys()];
    await eventually(() => thread().innerText()).toContain(`Case ${caseId}`);
  });

  it('marks the finding RESOLVED', async () => {
    await thread().locator('.sb-message').first().getByRole('button', { name: 'Set status' }).click();
    await eventually(() => modal().getAttribute('data-callback-id')).toBe('status_modal');
    await modal().locator('input[type="radio"][value="RESOLVED"]').check();
    await modal().locator('textarea').fill('key deactivated, attacker identity removed');
    await modal().locator('[data-view-action="submit"]').click();
    await eventually(() => thread().innerText()).toContain('set the workflow status to RESOLVED');
    // A GuardDuty finding is resolved by archiving it (GuardDuty has no workflow status of its own).
    expect(fake().state.findingUpdates.at(-1)).toMatchObject({ operation: 'ArchiveFindings', account: ACCOUNT, findingId: '7ec6f1a2b3c4d5e6f708192a3b4c5d6e', changes: { archived: true } });
  });

  it('deactivates the access key after a confirmation that shows the exact call', async () => {
    await thread().getByRole('button', { name: `Deactivate ${KEY}` }).click();
    await eventually(() => modal().getAttribute('data-callback-id')).toBe('remediation_modal');
    await eventually(() => modal().locator('[data-view-action="submit"]').count()).toBe(1);
    expect(await modal().innerText()).toContain(`iam:UpdateAccessKey in ${ACCOUNT}/us-east-1`);
    const key = () => fake().state.iam.accounts[ACCOUNT]!.users!.find((u) => u.UserName === 'ci-deployer')!.AccessKeys!.find((k) => k.AccessKeyId === KEY)!;
    expect(key().Status).toBe('Active');
    await modal().locator('[data-view-action="submit"]').click();
    await eventually(() => thread().innerText()).toMatch(/Deactivate access key[\s\S]*succeeded/);
    expect(key().Status).toBe('Inactive');
    await eventually(() => page.locator('#wb-aws').innerText()).toContain('UpdateAccessKey');
    await page.screenshot({ path: path.join(ARTIFACTS, 'after-remediation.png') });
  });

  it('deleting the intruder’s key takes a second person: sam approves in the thread, through the confirm dialog', async () => {
    const backupKeys = () => fake().state.iam.accounts[ACCOUNT]!.users!.find((u) => u.UserName === 'backup-svc')!.AccessKeys!.map((k) => k.AccessKeyId);
    await thread().getByRole('button', { name: 'Delete AKIABACKUPSVCKEY0001' }).click();
    await eventually(() => modal().locator('[data-view-action="submit"]').count()).toBe(1);
    await modal().locator('[data-view-action="submit"]').click();
    const request = thread().locator('.sb-message', { hasText: 'asks to run Delete access key' });
    await eventually(() => request.count()).toBe(1);

    await page.locator('#wb-user').selectOption('U0SAM');
    await request.getByRole('button', { name: 'Approve' }).click();
    // Slack's confirm dialog, from the button's `confirm` object: nothing is sent until it is confirmed.
    const dialog = page.locator('#wb-confirm-layer [role="alertdialog"]');
    await eventually(() => dialog.innerText()).toContain('Approve and run?');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await eventually(() => thread().innerText()).toMatch(/Delete access key[\s\S]*approved by @sam/);
    await eventually(() => backupKeys()).not.toContain('AKIABACKUPSVCKEY0001');
  });
});

// Said by name in the run's summary, so a machine without Chromium shows what it did not test.
if (!HAVE_CHROMIUM) {
  describe('workbench in a browser', () => {
    it.skip(SKIPPED, () => {});
  });
}
