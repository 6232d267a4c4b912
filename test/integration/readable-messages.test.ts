import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatedMessage } from '../../src/emulator/slack/index.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';

/**
 * Every message a person sees is written for people: no request JSON, no markup shown as
 * characters, one label for a case's status wherever it appears, clean file names, and no
 * button that no longer applies. Each walk goes through the real Bolt app, the Slack
 * emulator and the fake AWS, and reads what the person is shown.
 */

const ENV = { SIRBOT_RESPONDERS: 'U0ALICE', SIRBOT_APPROVERS: 'U0BOSS', SIRBOT_CASE_WATCHERS: 'secops@example.com' };
const text = (m: { text?: string; blocks?: unknown } | undefined) => (m ? messageTexts(m).join('\n') : '');

/** expect.poll for hooks, where vitest does not allow it. */
async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A runtime on a scenario whose finding was posted and investigated (Investigate, then Investigate now). */
async function investigated(scenario: string): Promise<{ t: TestRuntime; root: () => EmulatedMessage; thread: () => EmulatedMessage[] }> {
  const t = await startTestRuntime({ scenario, env: ENV });
  await t.ingest(JSON.parse(readFileSync(`${scenario}/finding.json`, 'utf8')));
  await until(() => t.slack.state.channels().some((c) => c.messages > 0), 10_000);
  const channel = t.slack.state.channels().find((c) => c.messages > 0)!.id;
  const root = () => t.slack.state.messages(channel)[0]!;
  const thread = () => t.slack.state.thread(channel, root().ts);
  const withAction = (id: string) => thread().find((m) => JSON.stringify(m.blocks ?? []).includes(id));
  const alice = t.user('U0ALICE', 'alice');
  if (JSON.stringify(root().blocks).includes('"investigation_start"')) await alice.click(root(), 'investigation_start');
  // Questions first, when the playbook has any the finding does not answer: skipped.
  await until(() => withAction('investigation_start_now') !== undefined || t.slack.state.files().length > 0, 10_000);
  const questions = withAction('investigation_start_now');
  if (questions) await alice.click(questions, 'investigation_start_now');
  await until(() => t.slack.state.files().length === 2, 30_000);
  await until(() => withAction('remediation_request') !== undefined, 10_000);
  // The investigation is stored as summarized after its files are up: what a case is drafted from.
  await t.runtime.idle();
  return { t, root, thread };
}

describe('root credentials taken over (root-credential-use)', () => {
  let t: TestRuntime;
  let root: () => EmulatedMessage;
  let thread: () => EmulatedMessage[];
  const alice = () => t.user('U0ALICE', 'alice');
  const caseMessage = () => thread().find((m) => text(m).includes('opened Security Incident Response'));

  beforeAll(async () => {
    ({ t, root, thread } = await investigated('src/scenarios/root-credential-use'));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('names the timeline files for people: the finding in a few words, the account, the day', () => {
    const base = 'timeline-api-getcalleridentity-was-invoked-using-root-444455556666-2026-12-03';
    expect(
      t.slack.state
        .files()
        .map((f) => f.name)
        .sort(),
    ).toEqual([`${base}.csv`, `${base}.json`]);
  });

  it('offers both of the intruder’s addresses and each impacted service once, as Security IR names it', async () => {
    await alice().click(root(), 'case_open');
    const modal = await alice().waitForModal('case_modal');
    const initial = (block: string) => String((modal.blocks as any[]).find((b) => b.block_id === block)?.element.initial_value ?? '');
    const ips = initial('ips').split(', ');
    // The stolen root key's server (named by the finding) first, then the browser of the failed sign-ins and the password
    // reset (before the key existed); not the owner's office, which only signed in and read a contact a week before.
    expect(ips).toEqual(['203.0.113.201', '203.0.113.200']);
    const services = initial('services').split(', ');
    expect(services).toContain('Amazon GuardDuty');
    expect(services).toContain('AWS IAM');
    expect(services).not.toContain('Guardduty');
    expect(new Set(services.map((s) => s.toLowerCase())).size).toBe(services.length);

    await alice().submit();
    await expect.poll(caseMessage, { timeout: 10_000 }).toBeDefined();
    const created = [...t.aws!.securityIr.cases.values()][0]!;
    expect(created.threatActorIpAddresses.map((i: { ipAddress: string }) => i.ipAddress)).toEqual(expect.arrayContaining(['203.0.113.200', '203.0.113.201']));
    // The incident started with the first failed root sign-in from the intruder's browser, not with the stolen key's first call.
    expect(new Date(created.reportedIncidentStartDate * 1000).toISOString()).toBe('2026-12-03T01:58:04.000Z');
    expect(created.impactedServices.filter((s: string) => s.toLowerCase() === 'amazon guardduty')).toEqual(['Amazon GuardDuty']);
  });

  it('after escalating to the AWS CIRT no message offers to escalate, and App Home and /sir cases give the case the same status', async () => {
    const caseId = [...t.aws!.securityIr.cases.keys()][0]!;
    expect(JSON.stringify(caseMessage()!.blocks)).toContain('case_escalate_cirt');
    await alice().click(caseMessage()!, 'case_escalate_cirt');
    await expect.poll(() => thread().some((m) => text(m).includes('escalated the case to the AWS CIRT')), { timeout: 10_000 }).toBe(true);
    // The message that opened the case is redrawn: AWS-supported, its status as the service moved it, no Escalate, no status to pick.
    await expect.poll(() => text(caseMessage())).toContain(`Case ${caseId}> · Detection and Analysis · AWS-supported (AWS CIRT engaged)`);
    for (const m of thread()) {
      expect(JSON.stringify(m.blocks ?? [])).not.toContain('case_escalate_cirt');
      expect(JSON.stringify(m.blocks ?? [])).not.toContain('case_set_status');
    }
    expect(JSON.stringify(caseMessage()!.blocks)).toContain('case_close');

    // App Home first (it reads what sirbot remembers), then /sir cases (which asks Security IR).
    await alice().openHome();
    await expect.poll(() => t.slack.state.surfaces.home('U0ALICE')).toBeDefined();
    const home = text(t.slack.state.surfaces.home('U0ALICE') as never);
    const label = '· Detection and Analysis · AWS-supported (AWS CIRT engaged)';
    expect(home).toContain(`Case ${caseId}>`);
    expect(home).toContain(label);
    expect(home).not.toContain('Submitted');
    const channel = t.slack.state.createChannel('sec-ops');
    const before = t.slack.state.ephemerals().length;
    await alice().command('cases', channel);
    await expect.poll(() => t.slack.state.ephemerals().length, { timeout: 10_000 }).toBeGreaterThan(before);
    const listed = text(t.slack.state.ephemerals().at(-1) as never);
    expect(listed).toContain(`Case ${caseId}>`);
    expect(listed).toContain(label);
  });

  it('when the AWS CIRT moves the case on, what sirbot shows follows as soon as Security IR is asked', async () => {
    const caseId = [...t.aws!.securityIr.cases.keys()][0]!;
    // The CIRT works the case in Security IR, not in Slack.
    t.aws!.securityIr.cases.get(caseId)!.caseStatus = 'Containment, Eradication and Recovery';
    const channel = t.slack.state.createChannel('sec-ops-2');
    const before = t.slack.state.ephemerals().length;
    await alice().command(`case ${caseId}`, channel);
    await expect.poll(() => t.slack.state.ephemerals().length, { timeout: 10_000 }).toBeGreaterThan(before);
    expect(text(t.slack.state.ephemerals().at(-1) as never)).toContain('*Status*\nContainment, Eradication and Recovery');
    await expect.poll(() => text(caseMessage())).toContain(`Case ${caseId}> · Containment, Eradication and Recovery · AWS-supported (AWS CIRT engaged)`);
    await alice().openHome();
    await expect
      .poll(() => text(t.slack.state.surfaces.home('U0ALICE') as never))
      .toContain('· Containment, Eradication and Recovery · AWS-supported (AWS CIRT engaged)');
  });

  it('says a GuardDuty finding suppressed from Slack is archived, and shows the call made in words', async () => {
    const before = thread().length;
    await alice().click(root(), 'finding_set_status');
    await alice().waitForModal('status_modal');
    await alice().submit({ status: { option: 'SUPPRESSED' }, note: 'owner confirmed' });
    await expect.poll(() => thread().length, { timeout: 10_000 }).toBe(before + 1);
    const reply = text(thread().at(-1));
    expect(reply).toContain('set the workflow status to *SUPPRESSED*');
    expect(reply).toMatch(/\*guardduty:ArchiveFindings\* in 444455556666\/us-east-1 on finding `ffd4aa69b4e8ac7affd53f2711f002d3` — DetectorId `[0-9a-f]+`/);
    expect(reply).not.toMatch(/[{}"]/);
    await expect.poll(() => text(root())).toContain('*Status*\nSUPPRESSED — archived in GuardDuty');
    expect(text(root())).not.toMatch(/SUPPRESSED · |ACTIVE/);
  });
});

describe('a public bucket (public-s3-bucket)', () => {
  let t: TestRuntime;
  let thread: () => EmulatedMessage[];

  beforeAll(async () => {
    ({ t, thread } = await investigated('src/scenarios/public-s3-bucket'));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('previews Block Public Access as settings and calls in words, not JSON', async () => {
    const summary = thread().find((m) => JSON.stringify(m.blocks ?? []).includes('remediation_request'))!;
    const button = (summary.blocks as any[]).flatMap((b) => b.elements ?? []).find((e: any) => /^Block public access /.test(e.text?.text ?? ''));
    const bucket = String(button.text.text).replace('Block public access ', '');
    await t.user('U0ALICE').click(summary, button.action_id);
    const modal = await t.user('U0ALICE').waitForModal('remediation_modal', (v) => !!v.submit);
    const shown = messageTexts(modal).join('\n');
    expect(shown).toContain(
      `1. *s3:PutPublicAccessBlock* in 111122223333/us-east-1 on bucket \`${bucket}\` — BlockPublicAcls \`true\` · IgnorePublicAcls \`true\` · BlockPublicPolicy \`true\` · RestrictPublicBuckets \`true\``,
    );
    expect(shown).toMatch(
      /Block Public Access now, restored by undo: BlockPublicAcls (on|off), IgnorePublicAcls (on|off), BlockPublicPolicy (on|off), RestrictPublicBuckets (on|off)\./,
    );
    expect(shown).not.toMatch(/[{}"]/);
    expect(shown).not.toContain('Current settings');
  });
});
