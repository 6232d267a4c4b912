import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { investigationIdFor } from '../../src/investigation/service.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';

const SCENARIO = 'src/scenarios/exposed-access-key';
const ASFF = (JSON.parse(readFileSync(`${SCENARIO}/findings/securityhub.json`, 'utf8')) as { Findings: Array<Record<string, any>> }).Findings[0]!;
/** The aws-samples exposed-key event as published, for the scenario's account and key. */
const HEALTH = (JSON.parse(readFileSync('test/fixtures/health/published-events.json', 'utf8')) as { events: Array<{ event: Record<string, any> }> }).events[1]!
  .event;

let t: TestRuntime;
let dir: string;

/** Rules that investigate nothing on their own: what happens below is the custom actions' and AWS Health's doing. */
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sirbot-custom-actions-'));
  const rules = path.join(dir, 'rules.yml');
  writeFileSync(rules, 'defaults:\n  channel: "#sec"\nrules: []\n');
  t = await startTestRuntime({ scenario: SCENARIO, env: { SIRBOT_RULES: rules, SIRBOT_RESPONDERS: 'U0ALICE' } });
});

afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A Security Hub custom action event, as the console sends the selected findings (the shape of the ASR samples in ../shared/fixtures). */
const customAction = (actionName: string, finding: Record<string, unknown>) => ({
  version: '0',
  id: crypto.randomUUID(),
  'detail-type': 'Security Hub Findings - Custom Action',
  source: 'aws.securityhub',
  account: '111122223333',
  time: '2026-12-06T10:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:securityhub:us-east-1:111122223333:action/custom/SirbotAction'],
  detail: { actionName, actionDescription: 'Sent from the console', findings: [finding] },
});

const threadOf = (findingId: string) => {
  const root = t.slack.state.messages('#sec').find((m) => JSON.stringify(m.blocks).includes(findingId.slice(-30)));
  return root ? t.slack.state.thread(root.channel, root.ts) : [];
};
const texts = (findingId: string) => threadOf(findingId).map((m) => messageTexts(m).join('\n'));

describe('what a finding asks beyond its delivery', () => {
  it("AWS Health's exposed key: posted, and its investigation started at once whatever the rules say", async () => {
    const event = { ...HEALTH, account: '111122223333', detail: { ...HEALTH.detail, affectedEntities: [{ entityValue: 'AKIAEXPOSEDKEY000001' }] } };
    expect((await t.ingest(event)).json).toMatchObject({ received: 1, accepted: 1 });
    const findingId = `${HEALTH.detail.eventArn}/AKIAEXPOSEDKEY000001`;
    await expect.poll(() => texts(findingId)[0] ?? '', { timeout: 10_000 }).toContain('AKIAEXPOSEDKEY000001');
    await expect.poll(async () => (await t.runtime.core.store.getInvestigation(investigationIdFor(findingId)))?.findingId, { timeout: 10_000 }).toBe(findingId);
    const audit = await t.runtime.core.store.actions.listAudit();
    expect(audit.find((a) => a.target === findingId)).toMatchObject({
      actor: 'sirbot',
      action: 'investigate',
      inputs: { because: 'AWS Health found the key exposed' },
    });
  });

  it('"Investigate in Slack": the finding is posted, the thread says why, and its investigation starts; the same click again does nothing more', async () => {
    const finding = { ...ASFF, Id: `${ASFF.Id}-custom-investigate` };
    await t.ingest(customAction('Investigate in Slack', finding));
    await t.ingest(customAction('investigate in slack', finding));
    await expect.poll(() => texts(finding.Id).filter((m) => m.includes('custom action')).length, { timeout: 10_000 }).toBe(1);
    expect(texts(finding.Id).find((m) => m.includes('custom action'))).toContain(
      '“Investigate in Slack” sent this finding: sirbot is investigating it in this thread.',
    );
    await expect.poll(async () => (await t.runtime.core.store.getInvestigation(investigationIdFor(finding.Id)))?.findingId).toBe(finding.Id);
    const audit = (await t.runtime.core.store.actions.listAudit()).filter((a) => a.target === finding.Id);
    expect(audit.map((a) => `${a.actor} ${a.action}`)).toEqual(['securityhub:custom-action custom-action.investigate']);
  });

  it('"Open SIR case": a button in the thread opens the case form for whoever clicks it', async () => {
    const finding = { ...ASFF, Id: `${ASFF.Id}-custom-case` };
    await t.ingest(customAction('Open SIR case', finding));
    const offered = () => threadOf(finding.Id).find((m) => messageTexts(m).join('\n').includes('custom action'));
    await expect.poll(offered, { timeout: 10_000 }).toBeDefined();
    const alice = t.user('U0ALICE', 'alice');
    await alice.click(offered()!, 'case_open');
    expect((await alice.waitForModal('case_modal')).callback_id).toBe('case_modal');
  });

  it('an action the rules file does not map only posts its finding', async () => {
    const finding = { ...ASFF, Id: `${ASFF.Id}-custom-unmapped` };
    await t.ingest(customAction('Send to Jira', finding));
    await expect.poll(() => texts(finding.Id).length, { timeout: 10_000 }).toBe(1);
    await t.runtime.idle();
    expect(texts(finding.Id)).toHaveLength(1);
    expect(await t.runtime.core.store.getInvestigation(investigationIdFor(finding.Id))).toBeNull();
  });
});
