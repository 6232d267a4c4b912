import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatedMessage } from '../../src/emulator/slack/index.ts';
import { TRIGGER_TTL_MS } from '../../src/emulator/slack/views-state.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * A trigger id lives three seconds. Every button that opens a modal must call views.open
 * before anything else that can be slow: here the store is made slower than the
 * trigger's life, responders are a user group (the role check reads it from Slack), and
 * the Slack emulator's log of calls shows views.open first, on time, then the rest.
 */
const SCENARIO = 'src/scenarios/exposed-access-key';
const GUARDDUTY = JSON.parse(readFileSync(`${SCENARIO}/finding.json`, 'utf8')) as Record<string, any>;
const DIRECTORY = { users: { U0ALICE: { name: 'alice', email: 'alice@example.com' }, U0EVE: { name: 'eve' } }, groups: { S0SECOPS: ['U0ALICE'] } };
const SLOWER_THAN_A_TRIGGER = TRIGGER_TTL_MS + 500;

let t: TestRuntime;
const restore: Array<() => void> = [];

const thread = () => {
  const [root] = t.slack.state.messages('#security-incidents');
  if (!root) throw new Error('no root message');
  return { root, messages: t.slack.state.thread(root.channel, root.ts) };
};
const withAction = (re: RegExp) => thread().messages.find((m) => re.test(JSON.stringify(m.blocks ?? [])));

/** The first store read of every button that opens a modal (its offer) now takes longer than a trigger lives. */
function slowStore(): void {
  const store = t.runtime.core.store;
  const slow = <A extends unknown[], R>(target: Record<string, unknown>, name: string) => {
    const original = target[name] as (...a: A) => Promise<R>;
    target[name] = async (...args: A) => {
      await new Promise((r) => setTimeout(r, SLOWER_THAN_A_TRIGGER));
      return original.apply(target, args);
    };
    restore.push(() => (target[name] = original));
  };
  slow(store.actions as unknown as Record<string, unknown>, 'getOffer');
}

/** The Web API calls the bot made after `from`, by method, in order. */
const callsSince = (from: number) =>
  t.slack.state
    .calls()
    .slice(from)
    .map((c) => `${c.method}${c.ok ? '' : ` ${c.error}`}`);

/** Clicks and waits for the modal the click ends with; returns the calls made meanwhile. */
async function clickAndWait(
  who: string,
  message: EmulatedMessage,
  actionId: string | RegExp,
  callback: string,
  ready: (blocks: string) => boolean = () => true,
): Promise<string[]> {
  const from = t.slack.state.calls().length;
  const person = t.user(who);
  await person.click(message, actionId);
  await person.waitForModal(callback, (v) => ready(JSON.stringify(v.blocks)), 20_000);
  return callsSince(from);
}

async function until(condition: () => unknown, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The bot's clock; moved on before each test so the role check's cached group members have expired. */
let skew = 0;

beforeAll(async () => {
  t = await startTestRuntime({
    scenario: SCENARIO,
    directory: DIRECTORY,
    clock: () => Date.now() + skew,
    env: { SIRBOT_RESPONDERS: 'S0SECOPS', SIRBOT_CASE_WATCHERS: 'secops@example.com' },
  });
  await t.ingest(GUARDDUTY);
  await until(() => withAction(/investigation_start_now/), 10_000);
  await t.user('U0ALICE').click(withAction(/investigation_start_now/)!, 'investigation_start_now');
  await until(() => withAction(/remediation_request:/), 30_000);
  await t.runtime.idle();
}, 60_000);

beforeEach(() => {
  skew += 10 * 60_000;
});

afterEach(() => {
  for (const undo of restore.splice(0)) undo();
});

afterAll(async () => {
  await t?.close();
});

describe('modals open before anything else', () => {
  it('Set status: views.open at once, then the role check (usergroups) and the slow store; the form fills the modal in', async () => {
    slowStore();
    const calls = await clickAndWait('U0ALICE', thread().root, 'finding_set_status', 'status_modal');
    // Opened on time (the store alone took longer than the trigger lives), then the group read, then the fill-in.
    expect(calls).toEqual(['views.open', 'usergroups.users.list', 'views.update']);
  });

  it('Open SIR case: views.open at once; the draft (investigation, users.info for the watcher) fills it in', async () => {
    slowStore();
    const calls = await clickAndWait('U0ALICE', thread().root, 'case_open', 'case_modal');
    expect(calls).toEqual(['views.open', 'usergroups.users.list', 'users.info', 'views.update']);
    const modal = t.user('U0ALICE').modal()!;
    expect(JSON.stringify(modal.blocks)).toContain('alice@example.com');
  });

  it('a remediation: views.open at once; the preview (read-only AWS calls) fills it in from a job', async () => {
    slowStore();
    const calls = await clickAndWait('U0ALICE', withAction(/remediation_request:/)!, /remediation_request:/, 'remediation_modal', (b) =>
      b.includes('AWS calls that will be made'),
    );
    expect(calls).toEqual(['views.open', 'usergroups.users.list', 'views.update']);
  });

  it('a refusal replaces the modal opened at once, and is still audited', async () => {
    slowStore();
    const before = (await t.runtime.core.store.actions.listAudit()).length;
    const calls = await clickAndWait('U0EVE', thread().root, 'finding_set_status', 'sirbot_notice');
    // The refusal's audit record asks for a permalink too; the modal was open before any of it.
    expect(calls).toEqual(['views.open', 'usergroups.users.list', 'chat.getPermalink', 'views.update']);
    expect(JSON.stringify(t.user('U0EVE').modal()!.blocks)).toContain('Not allowed: this needs the responder role, which you do not have.');
    const audit = (await t.runtime.core.store.actions.listAudit()).slice(before);
    expect(audit).toEqual([expect.objectContaining({ actor: 'U0EVE', action: 'status', target: GUARDDUTY.id, outcome: 'refused' })]);
  });

  it('without opening first, the same slow store would have cost the trigger (the emulator enforces its 3 s)', async () => {
    const trigger = t.slack.state.surfaces.issueTrigger(Date.now() - SLOWER_THAN_A_TRIGGER, 'U0ALICE');
    const answer = await fetch(`${t.slack.url}views.open`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-test-token', 'content-type': 'application/json' },
      body: JSON.stringify({ trigger_id: trigger, view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] } }),
    });
    expect(await answer.json()).toMatchObject({ ok: false, error: 'expired_trigger_id' });
  });
});
