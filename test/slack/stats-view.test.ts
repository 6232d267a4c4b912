import { describe, expect, it } from 'vitest';
import { type StatsFinding, computeStats } from '../../src/domain/stats/stats.ts';
import { statsMessage } from '../../src/slack/views/stats.ts';

const WINDOW = { from: '2026-11-30T00:00:00.000Z', to: '2026-12-07T00:00:00.000Z' };
const finding = (i: number, over: Partial<StatsFinding> = {}): StatsFinding => ({
  findingId: `f${i}`,
  channel: 'C0SECURITY01',
  severity: 'HIGH',
  state: 'posted',
  deliveredAt: '2026-12-01T09:00:00.000Z',
  product: 'GuardDuty',
  type: `Type${i}`,
  rules: [`rule-${i}`],
  ...over,
});

describe('the numbers as a Slack message', () => {
  it('keeps what findings name inert: no mention, no link, no formatting', () => {
    const hostile = finding(1, { type: '<!channel> *urgent* <https://evil.example|click>', product: '@here', channel: '#sec <@U0BOSS>' });
    const message = statsMessage(computeStats({ window: WINDOW, findings: [hostile], events: [] }), 'Findings since 2026-11-30 00:00 UTC');
    const json = JSON.stringify(message);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<https://evil.example');
    expect(json).not.toContain('<@U0BOSS>');
    expect(json).toContain('`&lt;!channel&gt; *urgent* &lt;https://evil.example|click&gt;`');
    expect(message.text).toContain('1 findings');
  });

  it('stays within Block Kit limits however many rules and types there are', () => {
    const many = Array.from({ length: 400 }, (_, i) => finding(i, { type: `${'T'.repeat(300)}${i}`, rules: [`${'r'.repeat(300)}${i}`] }));
    const message = statsMessage(computeStats({ window: WINDOW, findings: many, events: [] }), 'x'.repeat(500));
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    for (const block of message.blocks as Array<{ text?: { text: string }; fields?: Array<{ text: string }> }>) {
      if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
      for (const f of block.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(2000);
      expect((block.fields ?? []).length).toBeLessThanOrEqual(10);
    }
    expect(JSON.stringify(message)).toContain('392 more in 392 others');
  });

  it('says when nobody took a step rather than showing a zero', () => {
    const message = statsMessage(computeStats({ window: WINDOW, findings: [finding(1)], events: [] }), 'Week');
    expect(JSON.stringify(message)).toContain('To acknowledge: nobody yet');
  });
});
