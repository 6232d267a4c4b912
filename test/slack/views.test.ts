import { newDigest } from '../../src/store/digest-records.ts';
import { describe, expect, it } from 'vitest';
import { defaultDecision, type RouteDecision } from '../../src/domain/routing/decision.ts';
import type { Block, TextObject } from '../../src/slack/views/blocks.ts';
import { digestLine, digestListingMessage, digestRootMessage } from '../../src/slack/views/digest-message.ts';
import { rootOfferKinds } from '../../src/domain/actions/offers.ts';
import { type RootMarks, findingMessage } from '../../src/slack/views/finding-message.ts';
import { code, escapeText, safeText, truncate } from '../../src/slack/views/text.ts';
import { makeFinding } from '../support/findings.ts';

const decision = (over: Partial<RouteDecision> = {}): RouteDecision => ({ ...defaultDecision('x', '#sec', 'MEDIUM'), ...over });

function texts(blocks: Block[]): string[] {
  const out: string[] = [];
  const add = (t: TextObject | undefined) => t && out.push(t.text);
  for (const b of blocks) {
    if (b.type === 'header') add(b.text);
    if (b.type === 'section') {
      add(b.text);
      b.fields?.forEach(add);
    }
    // Context elements may also be images (Block Kit); sirbot's are text.
    if (b.type === 'context') for (const e of b.elements) if ('text' in e) add(e);
  }
  return out;
}

const HOSTILE = '<!channel> *URGENT* <https://evil.example|click here> & @here `rm -rf` 🚨';

describe('text safety', () => {
  it('escapes Slack control characters and defuses broadcast mentions', () => {
    const s = escapeText(HOSTILE);
    expect(s).not.toMatch(/[<>]/);
    expect(s).toContain('&lt;!channel&gt;');
    expect(s).toContain('&lt;https://evil.example|click here&gt;');
    expect(s).toContain('&amp;');
    expect(s).not.toMatch(/@here\b/);
  });

  it('truncates without splitting an emoji or an entity', () => {
    expect(truncate('ab🚨cd', 4)).toBe('ab…');
    expect(safeText('a&b', 3)).toBe('a…');
    expect(safeText('x'.repeat(100_000), 150)).toHaveLength(150);
  });

  it('code spans keep formatting characters literal and cannot be closed early', () => {
    expect(code('a`b*c*')).toBe('`aˋb*c*`');
    expect(code('<@U123>')).toBe('`&lt;@U123&gt;`');
  });
});

describe('finding message', () => {
  it('renders every finding-supplied string escaped and within Block Kit limits', () => {
    const finding = makeFinding({
      title: HOSTILE + 'x'.repeat(100_000),
      description: HOSTILE.repeat(5000),
      type: HOSTILE,
      types: [HOSTILE],
      accountId: '<@U0ADMIN>',
      resources: Array.from({ length: 30 }, (_, i) => ({
        type: 'AwsS3Bucket',
        id: `${HOSTILE}-${i}-${'y'.repeat(5000)}`,
        region: 'us-east-1',
        tags: { [HOSTILE]: HOSTILE },
      })),
    });
    const message = findingMessage(finding, decision({ matchedRules: [HOSTILE] }));
    const all = [message.text, ...texts(message.blocks)];
    for (const t of all) {
      expect(t).not.toMatch(/<!channel>|<!here>|<@U0ADMIN>|<https:\/\/evil/);
      expect(t).not.toMatch(/(^|[^\u2060])@here/);
    }
    const header = message.blocks.find((b) => b.type === 'header');
    expect(header && header.type === 'header' && header.text.text.length).toBeLessThanOrEqual(150);
    for (const b of message.blocks) {
      if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
      if (b.type === 'section' && b.fields) for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(2000);
    }
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(texts(message.blocks).join('\n')).toContain('and 25 more');
  });

  it('shows a raised severity and mentions only configured ids', () => {
    const message = findingMessage(makeFinding(), decision({ severity: 'CRITICAL', severityOverriddenBy: 'prod', mentions: ['S0ONCALL1'] }));
    const all = texts(message.blocks).join('\n');
    expect(all).toContain('*CRITICAL*');
    expect(all).toContain('raised from MEDIUM');
    expect(all).toContain('<!subteam^S0ONCALL1>');
  });

  it('links to the console only with a URL we built and that fits, and offers Investigate unless a rule already started it', () => {
    const buttons = (m: ReturnType<typeof findingMessage>) =>
      m.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : [])).map((e) => ('action_id' in e ? e.action_id : ''));
    expect(buttons(findingMessage(makeFinding(), decision(), { investigate: true, actions: false }))).toEqual(['investigation_start', 'open_console']);
    const tooLong = findingMessage(makeFinding({ consoleUrl: `https://console.aws.amazon.com/${'a'.repeat(4000)}` }), decision(), {
      investigate: true,
      actions: false,
    });
    expect(buttons(tooLong)).toEqual(['investigation_start']);
    expect(buttons(findingMessage(makeFinding(), decision({ investigate: true }), { investigate: true, actions: false }))).toEqual(['open_console']);
    expect(buttons(findingMessage(makeFinding(), decision(), { investigate: false, actions: false }))).toEqual(['open_console']);
    // Action buttons are the offers the runtime registered for the finding (rootOfferKinds decides which).
    const withActions = { investigate: true, actions: true };
    const offersFor = (marks: RootMarks) =>
      Object.fromEntries(rootOfferKinds({ canAct: true, awaitingAck: !!marks.ack && !marks.ack.by, caseOpen: !!marks.caseId }).map((k) => [k, `offer-${k}`]));
    expect(buttons(findingMessage(makeFinding(), decision(), withActions, {}, offersFor({})))).toEqual([
      'investigation_start',
      'finding_set_status',
      'case_open',
      'finding_snooze',
      'open_console',
    ]);
    const waiting: RootMarks = { ack: { by: null, at: null, stage: 'waiting' }, caseId: '123' };
    const acked = findingMessage(makeFinding(), decision(), withActions, waiting, offersFor(waiting));
    expect(buttons(acked)).toEqual(['finding_acknowledge', 'investigation_start', 'finding_set_status', 'finding_snooze', 'open_console']);
    // Without offers there is nothing to click but Investigate and the console.
    expect(buttons(findingMessage(makeFinding(), decision(), withActions))).toEqual(['investigation_start', 'open_console']);
  });

  it('action buttons carry only the offer id, never the finding id', () => {
    const offers = { status: `offer-${'1'.repeat(32)}`, case: `offer-${'2'.repeat(32)}` };
    const elements = findingMessage(makeFinding(), decision(), { investigate: false, actions: true }, {}, offers).blocks.flatMap((b) =>
      b.type === 'actions' ? b.elements : [],
    );
    expect(elements.map((e) => ('value' in e ? e.value : undefined))).toEqual([offers.status, offers.case, undefined]);
  });
});

describe('digest messages', () => {
  it('lists up to 200 findings per message in sections under 3,000 characters', () => {
    const members = Array.from({ length: 200 }, (_, i) => ({
      digestId: 'd',
      findingId: `f${i}`,
      seq: i + 1,
      line: digestLine(makeFinding({ id: `arn:aws:securityhub:us-east-1:111122223333:finding/${'z'.repeat(300)}${i}` })),
      accountId: '111122223333',
      severity: 'LOW' as const,
      listed: false,
    }));
    const message = digestListingMessage(members, 2000);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    for (const b of message.blocks) if (b.type === 'section') expect(b.text?.text.length).toBeLessThanOrEqual(3000);
    expect(message.text).toBe('Findings 1–200 of 2000');
  });

  it('summarizes counts by severity and account', () => {
    const root = digestRootMessage({ ...newDigest('d', '#a', 'k', 'control <S3.1>', ''), count: 12 }, { byAccount: { a: 7, b: 5 }, bySeverity: { LOW: 12 } });
    const all = texts(root.blocks).join('\n');
    expect(all).toContain('Digest: 12 findings');
    expect(all).toContain('&lt;S3.1&gt;');
    expect(all).toContain('`a` 7');
  });
});
