import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateBlocks } from '../../src/emulator/slack/index.ts';
import { slackError, startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';

let fake: FakeSlack;
beforeAll(async () => {
  fake = await startFakeSlack({ limits: false });
});
afterAll(async () => {
  await fake.emulator.close();
});
beforeEach(() => fake.emulator.reset());

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const plain = (text: string) => ({ type: 'plain_text', text });
const section = (text: string) => ({ type: 'section', text: mrkdwn(text) });
const button = (actionId: string, extra: Record<string, unknown> = {}) => ({ type: 'button', text: plain('Go'), action_id: actionId, ...extra });

async function refusal(blocks: unknown[]) {
  return slackError(fake.webClient().chat.postMessage({ channel: '#v', text: 'fallback', blocks: blocks as never }));
}

describe('Block Kit validation fails like Slack', () => {
  const cases: Array<[string, unknown[], string[]]> = [
    [
      'section text over 3,000 characters',
      [section('x'.repeat(3001))],
      ['failed to match all allowed schemas [json-pointer:/blocks/0/text]', 'must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
    ],
    ['51 blocks', Array.from({ length: 51 }, () => section('x')), ['no more than 50 items allowed [json-pointer:/blocks]']],
    [
      // Slack wants action_ids unique within their block; the same one in two blocks is fine (state.values is keyed by block first).
      'duplicate action_id within a block',
      [
        { type: 'section', text: mrkdwn('x'), accessory: button('ack') },
        { type: 'actions', elements: [button('ack'), button('ack')] },
      ],
      ['`action_id` "ack" already exists [json-pointer:/blocks/1/elements/1/action_id]'],
    ],
    ['header over 150 characters', [{ type: 'header', text: plain('h'.repeat(151)) }], ['must be less than 151 characters [json-pointer:/blocks/0/text/text]']],
    ['header in mrkdwn', [{ type: 'header', text: mrkdwn('h') }], ['must be a valid enum value [json-pointer:/blocks/0/text/type]']],
    [
      'text object of an unknown type',
      [{ type: 'section', text: { type: 'html', text: '<b>x</b>' } }],
      ['failed to match all allowed schemas [json-pointer:/blocks/0/text]', 'must be a valid enum value [json-pointer:/blocks/0/text/type]'],
    ],
    [
      'empty text',
      [{ type: 'context', elements: [plain('')] }],
      ['failed to match all allowed schemas [json-pointer:/blocks/0/elements/0]', 'must be more than 0 characters [json-pointer:/blocks/0/elements/0/text]'],
    ],
    [
      'eleven fields',
      [{ type: 'section', fields: Array.from({ length: 11 }, () => mrkdwn('f')) }],
      ['no more than 10 items allowed [json-pointer:/blocks/0/fields]'],
    ],
    ['section with neither text nor fields', [{ type: 'section' }], ['must define either `text` or `fields` [json-pointer:/blocks/0/type]']],
    ['block_id over 255 characters', [{ ...section('x'), block_id: 'b'.repeat(256) }], ['must be less than 256 characters [json-pointer:/blocks/0/block_id]']],
    [
      'duplicate block_id',
      [
        { ...section('x'), block_id: 'b' },
        { type: 'divider', block_id: 'b' },
      ],
      ['`block_id` "b" already exists [json-pointer:/blocks/1/block_id]'],
    ],
    [
      'button text over 75 characters',
      [{ type: 'actions', elements: [{ type: 'button', text: plain('b'.repeat(76)) }] }],
      ['must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]'],
    ],
    [
      'button style outside primary/danger',
      [{ type: 'actions', elements: [button('a', { style: 'warning' })] }],
      ['must be a valid enum value [json-pointer:/blocks/0/elements/0/style]'],
    ],
    [
      'button value over 2,000 characters',
      [{ type: 'actions', elements: [button('a', { value: 'v'.repeat(2001) })] }],
      ['must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]'],
    ],
    ['actions with no elements', [{ type: 'actions', elements: [] }], ['must provide at least 1 item [json-pointer:/blocks/0/elements]']],
    [
      'context with eleven elements',
      [{ type: 'context', elements: Array.from({ length: 11 }, () => mrkdwn('c')) }],
      ['no more than 10 items allowed [json-pointer:/blocks/0/elements]'],
    ],
    [
      'select option value over 150 characters',
      [{ type: 'actions', elements: [{ type: 'static_select', action_id: 's', options: [{ text: plain('o'), value: 'v'.repeat(151) }] }] }],
      ['must be less than 151 characters [json-pointer:/blocks/0/elements/0/options/0/value]'],
    ],
    ['image without alt_text', [{ type: 'image', image_url: 'https://example.invalid/i.png' }], ['missing required field: alt_text [json-pointer:/blocks/0]']],
    ['unknown block type', [{ type: 'marquee' }], ['unsupported type: marquee [json-pointer:/blocks/0/type]']],
    [
      'unknown element type',
      [{ type: 'actions', elements: [{ type: 'slider', action_id: 's' }] }],
      ['unsupported type: slider [json-pointer:/blocks/0/elements/0/type]'],
    ],
  ];

  for (const [name, blocks, expected] of cases) {
    it(name, async () => {
      const data = await refusal(blocks);
      expect(data.error).toBe('invalid_blocks');
      expect(data.errors).toEqual(expected);
      expect(data.response_metadata?.messages).toEqual(expected.map((m) => `[ERROR] ${m}`));
      expect(fake.emulator.state.allMessages()).toHaveLength(0);
      expect(fake.emulator.state.stats().invalidBlocks).toBe(1);
    });
  }

  it('reports every problem of a message at once', async () => {
    const data = await refusal([{ type: 'header', text: plain('h'.repeat(151)) }, { type: 'marquee' }]);
    expect(data.errors).toEqual([
      'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
      'unsupported type: marquee [json-pointer:/blocks/1/type]',
    ]);
  });

  it('validates the blocks of chat.update too, leaving the message as it was', async () => {
    const client = fake.webClient();
    const root = await client.chat.postMessage({ channel: '#v', text: 'ok', blocks: [section('fine')] as never });
    const data = await slackError(
      client.chat.update({ channel: root.channel as string, ts: root.ts as string, text: 'x', blocks: [section('x'.repeat(3001))] as never }),
    );
    expect(data.error).toBe('invalid_blocks');
    expect(fake.emulator.state.messages('#v')[0]).toMatchObject({ text: 'ok', blocks: [section('fine')] });
  });

  it('answers invalid_blocks_format for blocks that are not a JSON array', async () => {
    for (const blocks of ['not json', '{"type":"divider"}']) {
      const res = await fetch(`${fake.emulator.url}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer xoxb-test' },
        body: new URLSearchParams({ channel: '#v', text: 'x', blocks }).toString(),
      });
      expect(await res.json()).toEqual({ ok: false, error: 'invalid_blocks_format' });
    }
    expect(fake.emulator.state.allMessages()).toHaveLength(0);
  });

  it('accepts a message that uses every rule at its limit', async () => {
    const blocks = [
      { type: 'header', text: plain('h'.repeat(150)), block_id: 'b'.repeat(255) },
      { type: 'section', text: mrkdwn('s'.repeat(3000)), fields: Array.from({ length: 10 }, () => mrkdwn('f'.repeat(2000))) },
      {
        type: 'context',
        elements: [...Array.from({ length: 9 }, () => mrkdwn('c')), { type: 'image', image_url: 'https://example.invalid/i.png', alt_text: 'i' }],
      },
      { type: 'divider' },
      {
        type: 'actions',
        elements: [
          ...Array.from({ length: 22 }, (_, i) => button(`a${i}`, { style: i % 2 ? 'primary' : 'danger', value: 'v'.repeat(2000) })),
          {
            type: 'static_select',
            action_id: 'sel',
            placeholder: plain('Pick'),
            options: Array.from({ length: 100 }, (_, i) => ({ text: plain('o'.repeat(75)), value: `v${i}` })),
          },
          { type: 'overflow', action_id: 'more', options: [{ text: plain('Snooze'), value: 'snooze' }] },
          { type: 'datepicker', action_id: 'when', initial_date: '2024-05-01' },
        ],
      },
      { type: 'image', image_url: 'https://example.invalid/i.png', alt_text: 'a'.repeat(2000) },
      { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'rich' }] }] },
      ...Array.from({ length: 43 }, () => ({ type: 'divider' })),
    ];
    expect(blocks).toHaveLength(50);
    expect(validateBlocks(blocks)).toEqual([]);
    const res = await fake.webClient().chat.postMessage({ channel: '#v', text: 'fallback', blocks: blocks as never });
    expect(res.ok).toBe(true);
    expect(fake.emulator.state.messages('#v')[0]?.blocks).toEqual(blocks);
  });

  it('allows views their 100 blocks', () => {
    const blocks = Array.from({ length: 100 }, () => ({ type: 'divider' }));
    expect(validateBlocks(blocks, 'modal', '/view/blocks')).toEqual([]);
    expect(validateBlocks([...blocks, { type: 'divider' }], 'modal', '/view/blocks')).toEqual(['no more than 100 items allowed [json-pointer:/view/blocks]']);
  });
});
