import { describe, expect, it } from 'vitest';
import type { Snooze } from '../../src/domain/actions/snooze.ts';
import { entitiesOf } from '../../src/domain/actions/snooze.ts';
import { snoozeCreatedMessage, snoozeEndedMessage, snoozeHomeBlocks, snoozeModal } from '../../src/slack/views/snooze.ts';
import { makeFinding } from '../support/findings.ts';

/** A finding type and a reason written to break out: a broadcast, a forged link, a code span closed early, a bidi override. */
const HOSTILE_TYPE = 'TTPs/<!channel> <https://evil.example|click> `x` \u202Egnp.exe';
const HOSTILE_REASON = 'pen test <!here> @everyone <@U0BOSS> *approved*';

const snooze: Snooze = {
  id: 'snooze-0123456789abcdef01234567',
  criteria: { resource: null, principal: null, type: HOSTILE_TYPE, accountId: '111122223333' },
  expiresAt: '2026-12-07T12:00:00.000Z',
  reason: HOSTILE_REASON,
  createdBy: 'U0ALICE',
  createdAt: '2026-12-06T12:00:00.000Z',
  state: 'active',
};

const shown = (value: unknown) => JSON.stringify(value);

describe('snooze views', () => {
  it('escape what the finding and the person wrote: no broadcast, no link, no mention, no bidi override', () => {
    for (const view of [
      snoozeCreatedMessage(snooze),
      snoozeEndedMessage(snooze, 3, 'expired', 'sirbot'),
      { blocks: snoozeHomeBlocks([{ ...snooze, held: 3 }]) },
    ]) {
      const text = shown(view);
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<!here>');
      expect(text).not.toContain('<https://evil');
      expect(text).not.toContain('<@U0BOSS>');
      expect(text).not.toContain('\u202E');
      expect(text).toContain('<@U0ALICE>');
    }
    expect(shown(snoozeEndedMessage(snooze, 3, 'expired', 'sirbot'))).toContain('3 findings were held back');
  });

  it('proposes, when a snooze expires, a disabled automation rule as JSON that cannot break out of its code block', () => {
    const ended = shown(snoozeEndedMessage({ ...snooze, criteria: { ...snooze.criteria, principal: 'ci-deployer' } }, 0, 'expired', 'sirbot'));
    expect(ended).toContain('create-automation-rule-v2 --cli-input-json');
    expect(ended).toContain('\\"RuleStatus\\": \\"DISABLED\\"');
    expect(ended).toContain('cannot match the principal');
    // The type's backticks would close the code block: look-alikes instead; its markup is escaped.
    const block = /```([^`]*)```/.exec(JSON.parse(ended).blocks[1].text.text as string)?.[1] ?? '';
    expect(block).toContain('TTPs/&lt;!channel&gt;');
    expect(block).toContain('ˋxˋ');
    expect(shown(snoozeEndedMessage(snooze, 0, 'cancelled', 'U0SAM'))).not.toContain('automation rule');
  });

  it('offers the finding’s entities in the modal, all ticked, carrying only the offer id', () => {
    const finding = makeFinding({ type: HOSTILE_TYPE });
    const modal = snoozeModal(finding, entitiesOf(finding), 'offer-0123');
    expect(JSON.parse(modal.private_metadata ?? '{}')).toEqual({ offerId: 'offer-0123' });
    const entities = modal.blocks.find((b) => b.block_id === 'entities') as { element: { options: Array<{ value: string }>; initial_options: unknown[] } };
    expect(entities.element.options.map((o) => o.value)).toEqual(['resource', 'type', 'accountId']);
    expect(entities.element.initial_options).toHaveLength(3);
    expect(shown(modal)).not.toContain('<!channel>');
  });

  it('lists active snoozes on App Home with a Cancel button carrying the snooze id', () => {
    const blocks = snoozeHomeBlocks([{ ...snooze, held: 0 }]);
    expect(shown(blocks)).toContain('"action_id":"snooze_cancel","value":"snooze-0123456789abcdef01234567"');
    expect(shown(snoozeHomeBlocks([]))).toContain('Nothing is snoozed');
  });
});
