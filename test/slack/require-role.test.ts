import { describe, expect, it } from 'vitest';
import type { AccessControl } from '../../src/actions/access.ts';
import type { Auditor } from '../../src/actions/audit.ts';
import type { PendingModal } from '../../src/slack/actions/modal-first.ts';
import { type Guarded, roleGuard } from '../../src/slack/middleware/require-role.ts';
import type { ActionArgs, CommandArgs, ShortcutArgs } from '../../src/slack/router.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { recordingPort } from '../support/recording-port.ts';

const REFUSED = { allowed: false, reason: 'this needs the responder role, which you do not have' } as const;

/** requireRole built on recording ports: the access decision is the test's; audit records and answers are recorded. */
function guard(decision: { allowed: true } | { allowed: false; reason: string }) {
  const access = recordingPort<Pick<AccessControl, 'check'>>({ check: async () => decision });
  const audit = recordingPort<Pick<Auditor, 'record'>>();
  return { requireRole: roleGuard({ access: access.port, audit: audit.port, logger: silentLogger() }), access, audit };
}

/** What a listener chain step sees, and what it did: went on, answered in a modal, ephemerally, or in the acknowledgement. */
function request<A>(shape: Record<string, unknown>, context: Record<string, unknown> = {}) {
  const seen = { next: 0, ephemeral: [] as unknown[], acked: [] as unknown[], modal: [] as Array<[string, string]> };
  const args = {
    ...shape,
    context,
    logger: silentLogger(),
    client: { chat: { postEphemeral: async (m: unknown) => void seen.ephemeral.push(m) } },
    ack: async (m?: unknown) => void seen.acked.push(m),
    next: async () => void seen.next++,
  } as unknown as A;
  return { args, seen };
}

const click = (context: Record<string, unknown>) =>
  request<ActionArgs>(
    {
      body: { type: 'block_actions', user: { id: 'U0EVE' }, channel: { id: 'C0SEC' }, message: { ts: '1795780800.000100' }, trigger_id: 't' },
      action: { action_id: 'finding_set_status', value: 'o-1' },
    },
    context,
  );

/** The context redeemOffer and openModalFirst leave for the steps after them. */
function afterOfferAndModal() {
  const told: Array<[string, string]> = [];
  const modal = { opened: { id: 'V1', hash: 'h' }, show: async () => {}, tell: async (title: string, text: string) => void told.push([title, text]) };
  const context = {
    sirbotRedeemedOffer: { offer: { id: 'o-1', findingId: 'f-1' } },
    sirbotOpenedModal: { modal: modal as PendingModal, title: 'Set workflow status' },
  };
  return { context, told };
}

describe('requireRole middleware', () => {
  it('lets a person with the role go on, and records nothing', async () => {
    const { requireRole, access, audit } = guard({ allowed: true });
    const { context } = afterOfferAndModal();
    const { args, seen } = click(context);

    await requireRole('responder', 'status')(args);

    expect(access.callsTo('check')).toEqual([['U0EVE', 'responder']]);
    expect(seen.next).toBe(1);
    expect(audit.calls).toEqual([]);
  });

  it("refuses anyone else: audits the refusal on the offer's finding, says why in the opened modal, and stops", async () => {
    const { requireRole, audit } = guard(REFUSED);
    const { context, told } = afterOfferAndModal();
    const { args, seen } = click(context);

    await requireRole('responder', 'status')(args);

    expect(seen.next).toBe(0);
    expect(audit.callsTo('record')).toEqual([
      [
        {
          actor: 'U0EVE',
          action: 'status',
          target: 'f-1',
          inputs: {},
          outcome: 'refused',
          result: { reason: REFUSED.reason },
          channel: 'C0SEC',
          ts: '1795780800.000100',
        },
      ],
    ]);
    expect(told).toEqual([['Set workflow status', `Not allowed: ${REFUSED.reason}.`]]);
  });

  it('answers a refused shortcut ephemerally in the thread', async () => {
    const { requireRole, audit } = guard(REFUSED);
    const { args, seen } = request<ShortcutArgs>({
      shortcut: {
        type: 'message_action',
        user: { id: 'U0EVE' },
        channel: { id: 'C0SEC' },
        message: { ts: '1795780900.000200', thread_ts: '1795780800.000100' },
      },
    });
    const what = ({ shortcut }: ShortcutArgs): Guarded => ({
      action: 'investigate',
      target: 'message',
      inputs: { ts: (shortcut as { message: { ts: string } }).message.ts },
    });

    await requireRole('responder', what)(args);

    expect(seen.next).toBe(0);
    expect(audit.callsTo('record')[0]?.[0]).toMatchObject({ action: 'investigate', target: 'message', channel: 'C0SEC', ts: '1795780800.000100' });
    expect(seen.ephemeral).toEqual([{ channel: 'C0SEC', user: 'U0EVE', text: `Not allowed: ${REFUSED.reason}.`, thread_ts: '1795780800.000100' }]);
  });

  it('answers a refused slash command in its acknowledgement; a request that needs no role goes on unchecked', async () => {
    const { requireRole, access, audit } = guard(REFUSED);
    const command = (text: string) => request<CommandArgs>({ command: { command: '/sir', text, user_id: 'U0EVE', channel_id: 'C0SEC', trigger_id: 't' } });
    const acting = ({ command: c }: CommandArgs): Guarded | null =>
      c.text.startsWith('status') ? { action: 'command.status', target: c.text, inputs: {} } : null;

    const refused = command('status f-1 RESOLVED');
    await requireRole('responder', acting)(refused.args);
    const reading = command('cases');
    await requireRole('responder', acting)(reading.args);

    expect(refused.seen).toMatchObject({ next: 0, acked: [{ response_type: 'ephemeral', text: `Not allowed: ${REFUSED.reason}.` }] });
    expect(audit.callsTo('record')[0]?.[0]).toMatchObject({ action: 'command.status', channel: 'C0SEC', ts: null });
    expect(reading.seen).toMatchObject({ next: 1, acked: [] });
    expect(access.callsTo('check')).toHaveLength(1);
  });
});
