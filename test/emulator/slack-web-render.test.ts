import { describe, expect, it } from 'vitest';
import type { EmulatedMessage } from '../../src/emulator/slack/workspace.ts';
import {
  escapeHtml,
  html,
  renderBlocks,
  renderMessage,
  renderMrkdwn,
  renderView,
  SafeHtml,
  type RenderableMessage,
  type RenderContext,
} from '../../src/emulator/slack/web/render/index.ts';
import { caseDraft } from '../../src/domain/actions/case-draft.ts';
import { REMEDIATIONS } from '../../src/domain/remediation/catalog.ts';
import { defaultDecision } from '../../src/domain/routing/decision.ts';
import { caseModal } from '../../src/slack/views/case.ts';
import { findingMessage } from '../../src/slack/views/finding-message.ts';
import { homeView } from '../../src/slack/views/home.ts';
import { remediationModal } from '../../src/slack/views/remediation.ts';
import { statusModal } from '../../src/slack/views/status.ts';
import { makeFinding } from '../support/findings.ts';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const ctx: RenderContext = {
  userName: (id) => ({ U1: 'alice', U2: 'bob' })[id],
  channelName: (id) => ({ C1: 'security' })[id],
  groupHandle: (id) => ({ S1: 'secops' })[id],
  timeZone: 'UTC',
  now: () => NOW,
};
const md = (text: string, verbatim = false) => renderMrkdwn(text, ctx, { verbatim });
const blocks = (...b: unknown[]) => renderBlocks(b, ctx);
const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text, verbatim: true });
const opt = (text: string, value: string) => ({ text: plain(text), value });

/** What a reader sees: tags dropped, HTML entities decoded. */
function visible(markup: string): string {
  return markup
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

const TAGS = new Set(
  'a article b blockquote br button code div figcaption figure footer form h2 h3 header hr i img input label li ol optgroup option pre s section select span textarea time ul'.split(
    ' ',
  ),
);
const ATTRIBUTES = new Set(
  'alt aria-label checked class datetime disabled href label loading max maxlength method min minlength multiple name placeholder referrerpolicy rel role rows selected src step style target title type value'.split(
    ' ',
  ),
);
const TAG = /<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z][a-z0-9-]*(?:="[^"<>]*")?)*)\s*>/y;

/** Links whose text is not their own address: what a forged `<https://evil|label>` would produce. */
const disguisedLinks = (markup: string) =>
  [...markup.matchAll(/<a [^>]*href="([^"]*)"[^>]*>(.*?)<\/a>/g)].filter((m) => visible(m[2] ?? '') !== visible(m[1] ?? ''));

/**
 * Every `<` in the output opens a tag we emit on purpose: a known name and only well-formed,
 * double-quoted attributes of known names; links and images point only at safe schemes.
 * Returns the tags found, for further checks.
 */
function wellFormed(markup: string): Array<{ name: string; attrs: Record<string, string> }> {
  const tags: Array<{ name: string; attrs: Record<string, string> }> = [];
  for (let i = markup.indexOf('<'); i !== -1; i = markup.indexOf('<', i + 1)) {
    TAG.lastIndex = i;
    const m = TAG.exec(markup);
    expect(m, `malformed tag at ${markup.slice(i, i + 80)}`).not.toBeNull();
    const [, closing, name = '', rawAttrs = ''] = m as RegExpExecArray;
    expect(TAGS.has(name), `unexpected tag <${name}>`).toBe(true);
    if (closing) {
      expect(rawAttrs).toBe('');
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of rawAttrs.matchAll(/([a-z][a-z0-9-]*)(?:="([^"]*)")?/g)) {
      const attr = a[1] as string;
      expect(ATTRIBUTES.has(attr) || attr.startsWith('data-'), `unexpected attribute ${attr} on <${name}>`).toBe(true);
      attrs[attr] = visible(a[2] ?? '');
    }
    if (attrs.href !== undefined) expect(attrs.href).toMatch(/^(https?:\/\/|mailto:)/i);
    if (attrs.src !== undefined) expect(attrs.src).toMatch(/^https?:\/\//i);
    if (attrs.style !== undefined) expect(attrs.style).toMatch(/^border-left-color:#[0-9a-f]{3,6}$/i);
    tags.push({ name, attrs });
  }
  return tags;
}

const tagsNamed = (markup: string, name: string) => wellFormed(markup).filter((t) => t.name === name);

describe('html helpers', () => {
  it('escapes text and attribute values, and inserts only SafeHtml unescaped', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    const evil = '"><img src=x onerror=alert(1)>';
    const out = html`<b title="${evil}">${evil}${new SafeHtml('<i>ok</i>')}${['<', '>']}${null}${undefined}${false}</b>`;
    expect(out.value).toBe('<b title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;<i>ok</i>&lt;&gt;</b>');
  });
});

describe('mrkdwn formatting', () => {
  it('renders bold, italic and strike, but not inside words', () => {
    expect(md('*bold* _italic_ ~strike~')).toBe('<b>bold</b> <i>italic</i> <s>strike</s>');
    expect(md('snake_case_name 2*3*4 a~b~c')).toBe('snake_case_name 2*3*4 a~b~c');
    expect(md('* not bold *')).toBe('* not bold *');
    expect(md('*_both_* (*paren*)')).toBe('<b><i>both</i></b> (<b>paren</b>)');
  });

  it('keeps code spans and pre blocks literal', () => {
    expect(md('`*x* _y_ :x: <@U1>` *z*')).toBe('<code class="sb-code">*x* _y_ :x: @alice</code> <b>z</b>');
    expect(md('before\n```\nline *1*\n  line 2\n```\nafter')).toBe('before<pre class="sb-pre">line *1*\n  line 2</pre>after');
  });

  it('turns > lines (typed or entity-escaped, as Slack does) into one quote, and newlines into breaks', () => {
    expect(md('> one *b*\n&gt; two\nthree\nfour')).toBe('<blockquote class="sb-quote">one <b>b</b><br>two</blockquote>three<br>four');
    expect(md('a > b')).toBe('a &gt; b');
  });

  it('renders links with a label, bare links and mailto, opening in a new tab', () => {
    expect(md('<https://example.com/a?x=1&amp;y=2|the *docs*>')).toBe(
      '<a class="sb-link" href="https://example.com/a?x=1&amp;y=2" target="_blank" rel="noopener noreferrer">the *docs*</a>',
    );
    expect(md('<http://example.com>')).toBe('<a class="sb-link" href="http://example.com" target="_blank" rel="noopener noreferrer">http://example.com</a>');
    expect(md('<mailto:sec@example.com|mail us>')).toContain('href="mailto:sec@example.com"');
  });

  it('shows links with any other scheme as text', () => {
    for (const link of [
      '<javascript:alert(1)|click>',
      '<JavaScript:alert(1)>',
      '<data:text/html,<b>x</b>|x>',
      '<ftp://x.example|ftp>',
      '<vbscript:msgbox|x>',
    ]) {
      const out = md(link);
      expect(tagsNamed(out, 'a')).toEqual([]);
      expect(visible(out)).toContain(link.includes('data:') ? 'data:text/html,' : link);
    }
  });

  it('renders user, channel, group and broadcast mentions', () => {
    expect(md('<@U1> <@U9|carol> <@U8>')).toBe(
      '<span class="sb-mention sb-mention-user" data-user-id="U1">@alice</span> <span class="sb-mention sb-mention-user" data-user-id="U9">@carol</span> <span class="sb-mention sb-mention-user" data-user-id="U8">@U8</span>',
    );
    expect(md('<#C1> <#C9|general>')).toBe(
      '<span class="sb-mention sb-mention-channel" data-channel-id="C1">#security</span> <span class="sb-mention sb-mention-channel" data-channel-id="C9">#general</span>',
    );
    expect(md('<!subteam^S1> <!subteam^S9|@oncall> <!subteam^S8>')).toBe(
      '<span class="sb-mention sb-mention-group" data-group-id="S1">@secops</span> <span class="sb-mention sb-mention-group" data-group-id="S9">@oncall</span> <span class="sb-mention sb-mention-group" data-group-id="S8">@S8</span>',
    );
    for (const b of ['here', 'channel', 'everyone']) expect(md(`<!${b}>`)).toBe(`<span class="sb-mention sb-mention-broadcast">@${b}</span>`);
    expect(md('*<@U1>*')).toBe('<b><span class="sb-mention sb-mention-user" data-user-id="U1">@alice</span></b>');
  });

  it('formats dates in the reader zone, falling back to the fallback text Slack would show', () => {
    const ts = Math.floor(Date.parse('2026-11-20T10:05:00Z') / 1000);
    expect(md(`<!date^${ts}^{date_short_pretty} {time}|2026-11-20T10:05:00.000Z>`)).toBe(
      '<time class="sb-date" datetime="2026-11-20T10:05:00.000Z" title="2026-11-20T10:05:00.000Z">today 10:05</time>',
    );
    expect(visible(md(`<!date^${ts}^{date_num} {time_secs}|x>`))).toBe('2026-11-20 10:05:00');
    expect(visible(md(`<!date^${ts}^{date_long}|x>`))).toBe('Friday, November 20th, 2026');
    expect(visible(md(`<!date^${ts - 86_400 * 400}^{date_short_pretty}|x>`))).toBe('Oct 16, 2025');
    expect(visible(renderMrkdwn(`<!date^${ts}^{time}|x>`, { ...ctx, timeZone: 'Europe/Paris' }))).toBe('11:05');
    expect(visible(md(`<!date^${ts}^{bogus}|fallback &amp; more>`))).toBe('fallback & more');
    expect(visible(md('<!date^soon^{date}|not a time>'))).toBe('not a time');
    expect(md(`<!date^${ts}^{date_num}^https://example.com/t|x>`)).toMatch(/^<a class="sb-link" href="https:\/\/example.com\/t"[^>]*><time /);
  });

  it('maps common emoji shortcodes and leaves others, and ARNs, as text', () => {
    const codes = [
      'red_circle',
      'large_orange_circle',
      'large_yellow_circle',
      'large_blue_circle',
      'white_circle',
      'white_check_mark',
      'x',
      'warning',
      'rotating_light',
      'sos',
      'raised_hand',
      'hourglass_flowing_sand',
      'gear',
      'busts_in_silhouette',
      'no_entry_sign',
      'leftwards_arrow_with_hook',
    ];
    for (const c of codes) expect(md(`:${c}:`), c).not.toContain(':');
    expect(md(':white_check_mark: done')).toBe('\u2705 done');
    expect(md(':not_an_emoji: arn:aws:iam::111122223333:user/x')).toBe(':not_an_emoji: arn:aws:iam::111122223333:user/x');
  });

  it('links bare URLs only when the text is not verbatim', () => {
    expect(md('see https://example.com/x.', false)).toBe(
      'see <a class="sb-link" href="https://example.com/x" target="_blank" rel="noopener noreferrer">https://example.com/x</a>.',
    );
    expect(md('see https://example.com/x.', true)).toBe('see https://example.com/x.');
    expect(md('`https://example.com`', false)).toBe('<code class="sb-code">https://example.com</code>');
  });

  it("decodes Slack's entities once", () => {
    expect(visible(md('a &amp; b &lt;c&gt; &amp;lt;d&amp;gt; &quot;'))).toBe('a & b <c> &lt;d&gt; &quot;');
  });
});

describe('hostile text renders as text', () => {
  const cases: Array<[string, string]> = [
    ['&lt;script&gt;alert(1)&lt;/script&gt;', '<script>alert(1)</script>'],
    ['&lt;@U1&gt;', '<@U1>'],
    ['&lt;!channel&gt; &lt;!here&gt;', '<!channel> <!here>'],
    ['&lt;https://evil.example|click&gt;', '<https://evil.example|click>'],
    ['&lt;!subteam^S1&gt;', '<!subteam^S1>'],
    ['&lt;img src=x onerror=alert(1)&gt;', '<img src=x onerror=alert(1)>'],
    // A careless bot sending raw markup: Slack takes it for a link with no valid URL and shows it.
    ['<script>alert(1)</script>', '<script>alert(1)</script>'],
    ['<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>'],
  ];

  it.each(cases)('%s', (text, shown) => {
    for (const out of [md(text, true), blocks({ type: 'section', text: plain(text) }), blocks({ type: 'header', text: plain(text) })]) {
      expect(visible(out)).toContain(shown);
      const tags = wellFormed(out);
      expect(tags.filter((t) => ['a', 'img', 'script'].includes(t.name))).toEqual([]);
      expect(out).not.toContain('sb-mention');
    }
    // Without verbatim Slack links bare URLs, but only as themselves: nothing else becomes live.
    const loose = md(text, false);
    expect(visible(loose)).toContain(shown);
    expect(wellFormed(loose).filter((t) => ['img', 'script'].includes(t.name))).toEqual([]);
    expect(disguisedLinks(loose)).toEqual([]);
    expect(loose).not.toContain('sb-mention');
  });

  it('cannot forge the placeholders mentions are parsed into', () => {
    const out = md('\uE000\uE010\uE001 <@U1> \uE000\uE011\uE001');
    expect(visible(out)).toBe('\uFFFD\uFFFD\uFFFD @alice \uFFFD\uFFFD\uFFFD');
    expect(out.match(/class="sb-mention /g)).toHaveLength(1);
  });

  it('keeps quotes and markup out of attributes and element values', () => {
    const evil = '"><img src=x onerror=alert(1)>';
    const out = blocks(
      {
        type: 'actions',
        block_id: evil,
        elements: [
          {
            type: 'button',
            text: plain(evil),
            action_id: evil,
            value: evil,
            confirm: { title: plain(evil), text: mrkdwn(evil), confirm: plain('Yes'), deny: plain('No') },
          },
          { type: 'button', text: plain('link'), action_id: 'u', url: 'javascript:alert(1)' },
          { type: 'static_select', action_id: 's', placeholder: plain(evil), options: [opt(evil, evil)], initial_option: opt(evil, evil) },
          { type: 'overflow', action_id: 'o', options: [{ ...opt(evil, evil), url: 'javascript:alert(1)' }] },
        ],
      },
      {
        type: 'input',
        block_id: 'b',
        label: plain(evil),
        element: { type: 'plain_text_input', action_id: evil, initial_value: `</textarea>${evil}`, multiline: true },
      },
      { type: 'input', block_id: 'c', label: plain('x'), element: { type: 'plain_text_input', action_id: 'v', initial_value: evil, placeholder: plain(evil) } },
      { type: 'image', image_url: 'javascript:alert(1)', alt_text: evil },
      { type: 'context', elements: [{ type: 'image', image_url: 'data:image/svg+xml,<svg onload=alert(1)>', alt_text: evil }] },
      { type: evil },
    );
    const tags = wellFormed(out);
    expect(tags.filter((t) => t.name === 'img' || t.name === 'a')).toEqual([]);
    const button = tags.find((t) => t.name === 'button' && t.attrs['data-value'] !== undefined);
    expect(button?.attrs).toMatchObject({ 'data-value': evil, 'data-action-id': evil, 'data-block-id': evil });
    expect(JSON.parse(button?.attrs['data-confirm'] ?? '')).toMatchObject({ title: plain(evil), text: mrkdwn(evil) });
    expect(tags.find((t) => t.name === 'button' && t.attrs['data-action-id'] === 'u')?.attrs.href).toBeUndefined();
    expect(tags.find((t) => t.name === 'option' && t.attrs.value === evil)?.attrs).toHaveProperty('selected');
    expect(tags.find((t) => t.name === 'input' && t.attrs.name === 'c.v')?.attrs).toMatchObject({ value: evil, placeholder: evil });
    expect(visible(out)).toContain(`</textarea>${evil}`);
    expect(visible(out)).toContain(`[unsupported block: ${evil}]`);
  });

  it('renders a finding whose every field is hostile without live markup', () => {
    const hostile = '<script>alert(1)</script> <@U1> <!channel> @here <https://evil.example|click> "><img src=x onerror=alert(1)>';
    const finding = makeFinding({
      title: hostile,
      description: hostile,
      accountId: hostile,
      type: hostile,
      controlId: hostile,
      consoleUrl: 'javascript:alert(1)',
    });
    const message = findingMessage(finding, defaultDecision(finding.id, '#sec', 'HIGH'), { investigate: true, actions: true });
    const out = renderMessage({ ts: '1763632800.000100', user: 'UBOT', bot_id: 'B1', ...message }, ctx);
    const tags = wellFormed(out);
    expect(tags.filter((t) => ['a', 'img', 'script'].includes(t.name))).toEqual([]);
    expect(out).not.toContain('sb-mention');
    expect(visible(out)).toContain('<script>alert(1)</script> <@U1> <!channel>');
    expect(visible(out)).toContain('<https://evil.example|click>');
  });
});

describe('blocks', () => {
  it('header: plain text, entities decoded, emoji mapped', () => {
    expect(blocks({ type: 'header', block_id: 'h', text: plain(':rotating_light: A &amp; B') })).toBe(
      '<div class="sb-blocks"><div class="sb-block sb-header" data-block-id="h"><h3 class="sb-header-text">\u{1F6A8} A &amp; B</h3></div></div>',
    );
    expect(blocks({ type: 'header', text: { type: 'plain_text', text: ':x: *no*', emoji: false } })).toContain('>:x: *no*</h3>');
  });

  it('section: mrkdwn text, plain text with line breaks', () => {
    expect(blocks({ type: 'section', text: mrkdwn('*Hi* <@U1>') })).toContain(
      '<div class="sb-section-text"><b>Hi</b> <span class="sb-mention sb-mention-user" data-user-id="U1">@alice</span></div>',
    );
    expect(blocks({ type: 'section', text: plain('*a*\nb') })).toContain('<div class="sb-section-text">*a*<br>b</div>');
  });

  it('section: fields', () => {
    const out = blocks({ type: 'section', fields: [mrkdwn('*Account*\n`1`'), plain('two')] });
    expect(out).toContain(
      '<div class="sb-fields"><div class="sb-field"><b>Account</b><br><code class="sb-code">1</code></div><div class="sb-field">two</div></div>',
    );
  });

  it('section: accessory elements carry the block id', () => {
    const out = blocks({ type: 'section', block_id: 'q', text: mrkdwn('When?'), accessory: { type: 'datepicker', action_id: 'when' } });
    expect(out).toContain(
      '<div class="sb-accessory"><input type="date" class="sb-datepicker" name="q.when" data-type="datepicker" data-action-id="when" data-block-id="q"></div>',
    );
    const image = blocks({ type: 'section', text: plain('x'), accessory: { type: 'image', image_url: 'https://example.com/a.png', alt_text: 'logo' } });
    expect(tagsNamed(image, 'img')[0]?.attrs).toMatchObject({ src: 'https://example.com/a.png', alt: 'logo' });
  });

  it('context: text and image elements', () => {
    const out = blocks({
      type: 'context',
      elements: [mrkdwn('ID `x`'), plain('plain'), { type: 'image', image_url: 'https://example.com/i.png', alt_text: 'icon' }],
    });
    expect(out).toContain('<span class="sb-context-text">ID <code class="sb-code">x</code></span><span class="sb-context-text">plain</span>');
    expect(tagsNamed(out, 'img')[0]?.attrs).toMatchObject({ class: 'sb-context-image', src: 'https://example.com/i.png', alt: 'icon' });
  });

  it('divider', () => {
    expect(blocks({ type: 'divider', block_id: 'd' })).toBe('<div class="sb-blocks"><hr class="sb-block sb-divider" data-block-id="d"></div>');
  });

  it('actions: buttons with styles, values and confirm dialogs', () => {
    const confirm = { title: plain('Sure?'), text: plain('Really.'), confirm: plain('Yes'), deny: plain('No'), style: 'danger' };
    const out = blocks({
      type: 'actions',
      block_id: 'acts',
      elements: [
        { type: 'button', text: plain('Go'), action_id: 'go', value: 'v1', style: 'primary' },
        { type: 'button', text: plain('Delete'), action_id: 'del', value: 'v2', style: 'danger', confirm },
        { type: 'button', text: plain('Plain'), action_id: 'p', style: 'weird' },
      ],
    });
    const buttons = tagsNamed(out, 'button');
    expect(buttons.map((b) => b.attrs)).toEqual([
      { type: 'button', class: 'sb-button sb-button-primary', 'data-value': 'v1', 'data-type': 'button', 'data-action-id': 'go', 'data-block-id': 'acts' },
      {
        type: 'button',
        class: 'sb-button sb-button-danger',
        'data-value': 'v2',
        'data-type': 'button',
        'data-action-id': 'del',
        'data-block-id': 'acts',
        'data-confirm': JSON.stringify(confirm),
      },
      { type: 'button', class: 'sb-button', 'data-type': 'button', 'data-action-id': 'p', 'data-block-id': 'acts' },
    ]);
    expect(visible(out)).toBe('GoDeletePlain');
  });

  it('actions: url buttons are links that still carry the action', () => {
    const out = blocks({
      type: 'actions',
      elements: [{ type: 'button', text: plain('Console'), action_id: 'open', url: 'https://console.aws.amazon.com/x?a=1&b=2' }],
    });
    expect(tagsNamed(out, 'a')[0]?.attrs).toEqual({
      class: 'sb-button',
      'data-type': 'button',
      'data-action-id': 'open',
      href: 'https://console.aws.amazon.com/x?a=1&b=2',
      'data-url': 'https://console.aws.amazon.com/x?a=1&b=2',
      target: '_blank',
      rel: 'noopener noreferrer',
    });
  });

  it('actions: static_select with a placeholder, options and option groups', () => {
    const out = blocks({
      type: 'actions',
      block_id: 'b',
      elements: [{ type: 'static_select', action_id: 'st', placeholder: plain('Case status'), options: [opt('Open', 'Open'), opt('Closed', 'Closed')] }],
    });
    expect(out).toContain(
      '<select class="sb-select" name="b.st" data-placeholder="Case status" data-type="static_select" data-action-id="st" data-block-id="b"><option value="" disabled selected>Case status</option><option value="Open">Open</option><option value="Closed">Closed</option></select>',
    );
    const grouped = blocks({
      type: 'actions',
      elements: [{ type: 'static_select', action_id: 'g', option_groups: [{ label: plain('G1'), options: [opt('A', 'a')] }] }],
    });
    expect(grouped).toContain('<optgroup label="G1"><option value="a">A</option></optgroup>');
  });

  it('actions: datepicker', () => {
    const out = blocks({
      type: 'actions',
      block_id: 'b',
      elements: [{ type: 'datepicker', action_id: 'd', initial_date: '2026-11-20', placeholder: plain('Pick') }],
    });
    expect(tagsNamed(out, 'input')[0]?.attrs).toEqual({
      type: 'date',
      class: 'sb-datepicker',
      name: 'b.d',
      value: '2026-11-20',
      placeholder: 'Pick',
      'data-type': 'datepicker',
      'data-action-id': 'd',
      'data-block-id': 'b',
    });
    expect(blocks({ type: 'actions', elements: [{ type: 'datepicker', action_id: 'd', initial_date: 'tomorrow' }] })).not.toContain('value=');
  });

  it('actions: overflow menu', () => {
    const out = blocks({
      type: 'actions',
      block_id: 'b',
      elements: [{ type: 'overflow', action_id: 'more', options: [opt('Edit', 'edit'), { ...opt('Docs', 'docs'), url: 'https://example.com' }] }],
    });
    expect(out).toContain(
      '<select class="sb-overflow" aria-label="More actions" data-type="overflow" data-action-id="more" data-block-id="b"><option value="" disabled selected>⋯</option><option value="edit">Edit</option><option value="docs" data-url="https://example.com">Docs</option></select>',
    );
  });

  it('actions: radio_buttons', () => {
    const out = blocks({
      type: 'actions',
      block_id: 'b',
      elements: [
        {
          type: 'radio_buttons',
          action_id: 'r',
          options: [opt('One', '1'), { text: mrkdwn('*Two*'), value: '2', description: plain('second') }],
          initial_option: opt('Two', '2'),
        },
      ],
    });
    expect(out).toContain('<div class="sb-radio-buttons" role="radiogroup" data-type="radio_buttons" data-action-id="r" data-block-id="b">');
    expect(out).toContain('<input type="radio" name="b.r" value="1"> <span class="sb-option-text">One</span>');
    expect(out).toContain(
      '<input type="radio" name="b.r" value="2" checked> <span class="sb-option-text"><b>Two</b></span><span class="sb-option-description">second</span>',
    );
  });

  it('actions: checkboxes', () => {
    const out = blocks({
      type: 'actions',
      block_id: 'b',
      elements: [
        { type: 'checkboxes', action_id: 'c', options: [opt('A', 'a'), opt('B', 'b'), opt('C', 'c')], initial_options: [opt('A', 'a'), opt('C', 'c')] },
      ],
    });
    const boxes = tagsNamed(out, 'input');
    expect(boxes.map((b) => [b.attrs.type, b.attrs.name, b.attrs.value, 'checked' in b.attrs])).toEqual([
      ['checkbox', 'b.c', 'a', true],
      ['checkbox', 'b.c', 'b', false],
      ['checkbox', 'b.c', 'c', true],
    ]);
    expect(out).toContain('role="group" data-type="checkboxes"');
  });

  it('actions: plain_text_input', () => {
    const out = blocks({ type: 'actions', block_id: 'b', elements: [{ type: 'plain_text_input', action_id: 't', placeholder: plain('Type') }] });
    expect(tagsNamed(out, 'input')[0]?.attrs).toEqual({
      type: 'text',
      class: 'sb-text-input',
      name: 'b.t',
      placeholder: 'Type',
      'data-type': 'plain_text_input',
      'data-action-id': 't',
      'data-block-id': 'b',
      value: '',
    });
  });

  it('input: label, optional flag, hint and a single-line plain_text_input with max_length', () => {
    const out = blocks({
      type: 'input',
      block_id: 'title',
      label: plain('Title'),
      optional: true,
      hint: plain('Short'),
      element: { type: 'plain_text_input', action_id: 'value', initial_value: 'Hello & bye', max_length: 300 },
    });
    expect(out).toContain('<div class="sb-block sb-input" data-block-id="title" data-optional>');
    expect(out).toContain('<div class="sb-label">Title<span class="sb-optional"> (optional)</span></div>');
    expect(out).toContain('<div class="sb-hint">Short</div>');
    expect(tagsNamed(out, 'input')[0]?.attrs).toMatchObject({ type: 'text', name: 'title.value', maxlength: '300', value: 'Hello & bye' });
    expect(blocks({ type: 'input', label: plain('L'), element: { type: 'plain_text_input', action_id: 'v' } })).not.toContain('sb-optional');
  });

  it('input: multiline plain_text_input as a textarea', () => {
    const out = blocks({
      type: 'input',
      block_id: 'd',
      label: plain('Description'),
      element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 3000, initial_value: 'line 1\nline <2>' },
    });
    expect(out).toContain(
      '<textarea class="sb-text-input" name="d.value" maxlength="3000" data-type="plain_text_input" data-action-id="value" data-block-id="d" rows="4">line 1\nline &lt;2&gt;</textarea>',
    );
  });

  it('input: static_select with initial_option', () => {
    const out = blocks({
      type: 'input',
      block_id: 'e',
      label: plain('Engagement'),
      element: {
        type: 'static_select',
        action_id: 'value',
        options: [opt('Incident', 'inc'), opt('Investigation', 'inv')],
        initial_option: opt('Investigation', 'inv'),
      },
    });
    expect(out).toContain(
      '<option value="" disabled>Select an item</option><option value="inc">Incident</option><option value="inv" selected>Investigation</option>',
    );
    expect(out).toContain('name="e.value"');
  });

  it('input: datepicker with initial_date', () => {
    const out = blocks({
      type: 'input',
      block_id: 's',
      label: plain('Start'),
      element: { type: 'datepicker', action_id: 'value', initial_date: '2026-11-19' },
    });
    expect(tagsNamed(out, 'input')[0]?.attrs).toMatchObject({ type: 'date', name: 's.value', value: '2026-11-19' });
  });

  it('input: radio_buttons with initial_option', () => {
    const out = blocks({
      type: 'input',
      block_id: 'r',
      label: plain('Resolver'),
      element: { type: 'radio_buttons', action_id: 'value', options: [opt('Self', 'Self'), opt('AWS', 'AWS')], initial_option: opt('AWS', 'AWS') },
    });
    expect(tagsNamed(out, 'input').map((i) => [i.attrs.name, i.attrs.value, 'checked' in i.attrs])).toEqual([
      ['r.value', 'Self', false],
      ['r.value', 'AWS', true],
    ]);
  });

  it('input: checkboxes', () => {
    const out = blocks({
      type: 'input',
      block_id: 'k',
      label: plain('Notify'),
      element: { type: 'checkboxes', action_id: 'value', options: [opt('Owner', 'owner')], initial_options: [opt('Owner', 'owner')] },
    });
    expect(tagsNamed(out, 'input')[0]?.attrs).toEqual({ type: 'checkbox', name: 'k.value', value: 'owner', checked: '' });
  });

  it('image blocks with a title; only web URLs load', () => {
    const out = blocks({ type: 'image', block_id: 'i', image_url: 'https://example.com/graph.png', alt_text: 'graph', title: plain('Traffic') });
    expect(out).toContain(
      '<figure class="sb-block sb-image" data-block-id="i"><figcaption class="sb-image-title">Traffic</figcaption><img class="sb-image-block" src="https://example.com/graph.png" alt="graph" loading="lazy" referrerpolicy="no-referrer"></figure>',
    );
    expect(blocks({ type: 'image', image_url: 'data:image/png;base64,AAAA', alt_text: 'x' })).toContain('<span class="sb-image-missing">[image: x]</span>');
  });

  it('unknown or malformed blocks and elements show a placeholder and never throw', () => {
    const out = blocks(
      { type: 'video', title: plain('v') },
      null,
      'text',
      { type: 'section' },
      { type: 'section', text: 5, fields: 'x', accessory: { type: 'rocket' } },
      { type: 'actions', elements: [null, { type: 'users_select', action_id: 'u', placeholder: plain('Pick someone') }] },
      { type: 'input', label: plain('L') },
      { type: 'context', elements: 'nope' },
      { type: 'header' },
    );
    expect(visible(out)).toContain('[unsupported block: video]');
    expect(visible(out)).toContain('[unsupported block: ?]');
    expect(visible(out)).toContain('[unsupported element: rocket]');
    expect(visible(out)).toContain('[unsupported element: ?]');
    expect(out).toContain('<select class="sb-select sb-select-dynamic" name=".u" disabled');
    wellFormed(out);
    expect(renderBlocks('not an array' as unknown as unknown[], ctx)).toBe('');
  });

  it('rich_text from people: literal text, styles, links and mentions', () => {
    const out = blocks({
      type: 'rich_text',
      elements: [
        {
          type: 'rich_text_section',
          elements: [
            { type: 'text', text: '*not bold* &lt; <b>', style: { bold: true } },
            { type: 'user', user_id: 'U1' },
            { type: 'link', url: 'javascript:alert(1)', text: 'bad' },
            { type: 'link', url: 'https://example.com', text: 'good' },
            { type: 'emoji', name: 'warning' },
          ],
        },
        { type: 'rich_text_list', style: 'ordered', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'item' }] }] },
      ],
    });
    expect(out).toContain(
      '<b>*not bold* &amp;lt; &lt;b&gt;</b><span class="sb-mention sb-mention-user" data-user-id="U1">@alice</span>bad<a class="sb-link" href="https://example.com"',
    );
    expect(out).toContain('<ol class="sb-rich-list"><li>item</li></ol>');
    wellFormed(out);
  });
});

/** What the workbench passes in: the emulator's stored messages must fit the renderer's type. */
const stored = (m: EmulatedMessage): RenderableMessage => m;

describe('messages', () => {
  const base: RenderableMessage = { channel: 'C1', ts: '1763632800.000100', user: 'U1', text: 'hello *world* https://example.com' };

  it('shows author, time and the text as mrkdwn when there are no blocks', () => {
    const out = renderMessage(stored({ channel: 'C1', ...base, user: 'U1' }), ctx);
    expect(out).toBe(
      '<article class="sb-message" data-ts="1763632800.000100" data-user-id="U1"><header class="sb-message-header"><span class="sb-author">alice</span> <time class="sb-ts" datetime="2025-11-20T10:00:00.000Z" title="Nov 20, 2025 10:00:00">10:00</time></header>' +
        '<div class="sb-message-body"><div class="sb-message-text">hello <b>world</b> <a class="sb-link" href="https://example.com" target="_blank" rel="noopener noreferrer">https://example.com</a></div></div></article>',
    );
  });

  it('shows blocks instead of the fallback text, marks the app and edits', () => {
    const out = renderMessage(
      {
        ...base,
        user: 'UBOT',
        bot_id: 'B1',
        text: 'fallback',
        blocks: [{ type: 'section', text: mrkdwn('from blocks') }],
        edited: { user: 'UBOT', ts: '1763632900.000000' },
      },
      ctx,
    );
    expect(visible(out)).toContain('from blocks');
    expect(visible(out)).not.toContain('fallback');
    expect(out).toContain('<span class="sb-author">UBOT</span> <span class="sb-app-badge">APP</span>');
    expect(out).toContain('<span class="sb-edited">(edited)</span>');
    expect(out).toContain('class="sb-message sb-message-bot"');
  });

  it('summarises a thread on its parent, not inside the thread nor on replies', () => {
    const parent = { ...base, thread_ts: base.ts, reply_count: 3, reply_users: ['U2'], latest_reply: '1763633400.000000' };
    expect(renderMessage(parent, ctx)).toContain(
      '<button type="button" class="sb-thread-summary" data-thread-ts="1763632800.000100">3 replies <span class="sb-thread-last">last reply <time class="sb-ts" datetime="2025-11-20T10:10:00.000Z"',
    );
    expect(renderMessage({ ...parent, reply_count: 1 }, ctx)).toContain('>1 reply <');
    expect(renderMessage(parent, ctx, { inThread: true })).not.toContain('sb-thread-summary');
    expect(renderMessage({ ...base, ts: '1763633400.000000', thread_ts: base.ts }, ctx)).not.toContain('sb-thread-summary');
    expect(renderMessage({ ...base, thread_ts: '1.0', subtype: 'thread_broadcast' }, ctx)).toContain(
      '<div class="sb-broadcast-note">replied to a thread</div>',
    );
  });

  it('lists attached files and legacy attachments', () => {
    const out = renderMessage(
      {
        ...base,
        text: '',
        files: [{ id: 'F1', name: 'timeline.csv', title: 'Timeline <1>' }],
        attachments: [
          { color: 'danger', text: '*hi*', fallback: 'fb' },
          { color: 'red;background:url(x)', fallback: 'only fallback' },
        ],
      },
      ctx,
    );
    expect(out).toContain('<ul class="sb-files"><li class="sb-file" data-file-id="F1">Timeline &lt;1&gt;</li></ul>');
    expect(out).toContain('<div class="sb-attachment" style="border-left-color:#a30200"><div class="sb-attachment-text"><b>hi</b></div></div>');
    expect(out).toContain('<div class="sb-attachment"><div class="sb-attachment-text">only fallback</div></div>');
    wellFormed(out);
  });
});

describe('what sirbot really sends', () => {
  const finding = makeFinding();

  it('a finding root message', () => {
    const offers = { acknowledge: `offer-${'a'.repeat(32)}`, status: `offer-${'b'.repeat(32)}`, case: `offer-${'c'.repeat(32)}` };
    const message = findingMessage(
      finding,
      { ...defaultDecision(finding.id, '#sec', 'HIGH'), mentions: ['S1', 'U2'] },
      { investigate: true, actions: true },
      { ack: { by: null, at: null, stage: 'first' } },
      offers,
    );
    const out = renderMessage({ channel: 'C1', ts: '1763632800.000100', user: 'UBOT', bot_id: 'B1', ...message }, ctx);
    wellFormed(out);
    expect(out).toContain(`<h3 class="sb-header-text">${finding.title}</h3>`);
    expect(out).toContain('<div class="sb-field"><b>Severity</b><br>\u{1F7E0} <b>HIGH</b> (raised from MEDIUM by rule <code class="sb-code">?</code>)</div>');
    expect(out).toContain(
      '<div class="sb-field"><b>First seen</b><br><time class="sb-date" datetime="2026-11-20T10:00:00.000Z" title="2026-11-20T10:00:00.000Z">today 10:00</time></div>',
    );
    expect(out).toContain('\u23F3 Waiting for acknowledgement (first)');
    expect(out).toContain('@secops</span> <span class="sb-mention sb-mention-user" data-user-id="U2">@bob</span>');
    const buttons = wellFormed(out).filter((t) => t.attrs['data-type'] === 'button');
    expect(buttons.map((b) => [b.name, b.attrs['data-action-id'], b.attrs['data-value']])).toEqual([
      ['button', 'finding_acknowledge', offers.acknowledge],
      ['button', 'investigation_start', finding.id],
      ['button', 'finding_set_status', offers.status],
      ['button', 'case_open', offers.case],
      ['a', 'open_console', undefined],
    ]);
    expect(buttons[4]?.attrs.href).toBe(finding.consoleUrl);
  });

  it('the case modal', () => {
    const modal = caseModal(finding, caseDraft(finding, null), [{ email: 'secops@example.com' }], true, 'offer-0123456789abcdef0123456789abcdef');
    const out = renderView({ id: 'V1', ...modal }, ctx);
    const tags = wellFormed(out);
    expect(out).toMatch(/^<form class="sb-view sb-modal" method="dialog" data-view-id="V1" data-callback-id="case_modal">/);
    expect(out).toContain('<h2 class="sb-modal-title">Open SIR case</h2>');
    expect(out).toContain(
      '<button type="button" class="sb-button" data-view-action="close">Cancel</button><button type="submit" class="sb-button sb-button-primary" data-view-action="submit">Open case</button>',
    );
    const named = Object.fromEntries(tags.filter((t) => t.attrs.name && t.name !== 'input').map((t) => [t.attrs.name, t.attrs]));
    expect(named['description.value']).toMatchObject({ maxlength: '3000' });
    expect(named['engagement.value']).toBeDefined();
    expect(tags.find((t) => t.name === 'option' && 'selected' in t.attrs)?.attrs.value).toBe('Security Incident');
    const inputs = tags.filter((t) => t.name === 'input');
    expect(inputs.find((t) => t.attrs.name === 'title.value')?.attrs).toMatchObject({ maxlength: '300', value: finding.title.slice(0, 300) });
    expect(inputs.find((t) => t.attrs.name === 'start.value')?.attrs).toMatchObject({ type: 'date', value: '2026-11-20' });
    expect(inputs.find((t) => t.attrs.name === 'accounts.value')?.attrs).toMatchObject({ value: '111122223333', placeholder: '123456789012, …' });
    expect(inputs.find((t) => t.attrs.name === 'watchers.value')?.attrs.value).toBe('secops@example.com');
    expect(inputs.filter((t) => t.attrs.name === 'resolver.value').map((t) => [t.attrs.value, 'checked' in t.attrs])).toEqual([
      ['Self', false],
      ['AWS', true],
    ]);
    expect(out.match(/sb-optional/g)).toHaveLength(3);
  });

  it('the status modal', () => {
    const out = renderView(statusModal(finding, 'offer-0123456789abcdef0123456789abcdef', 'RESOLVED'), ctx);
    const tags = wellFormed(out);
    expect(tags.filter((t) => t.attrs.name === 'status.value').map((t) => [t.attrs.value, 'checked' in t.attrs])).toEqual([
      ['NOTIFIED', false],
      ['RESOLVED', true],
      ['SUPPRESSED', false],
    ]);
    expect(tags.find((t) => t.name === 'textarea')?.attrs).toMatchObject({ name: 'note.value', maxlength: '450' });
    expect(out).toContain('data-view-action="submit">Set status</button>');
  });

  it('the remediation confirmation modal', () => {
    const remediation = REMEDIATIONS.find((r) => r.secondApprover);
    if (!remediation) throw new Error('a destructive remediation is expected in the catalog');
    const plan = {
      calls: [
        { service: 'iam' as const, operation: 'DeleteAccessKey', account: '111122223333', region: 'us-east-1', input: { UserName: '<script>x</script>' } },
      ],
      undo: null,
      notes: ['Note <!here>'],
    };
    const modal = remediationModal({ remediation, plan, planHash: 'h' }, `offer-${'d'.repeat(32)}`);
    const out = renderView(modal, ctx);
    wellFormed(out);
    expect(out).toContain(`<h3 class="sb-header-text">${escapeHtml(remediation.title)}</h3>`);
    expect(out).toContain('<b>Undo</b>: not possible — this cannot be reversed.');
    expect(visible(out)).toContain('Note <!here>');
    expect(out).not.toContain('sb-mention');
    expect(out).toContain('\u{1F465} Destructive');
    expect(out).toContain('data-view-action="submit">Request approval</button>');
    expect(tagsNamed(out, 'input')[0]?.attrs).toMatchObject({ name: 'note.value', maxlength: '500' });
  });

  it('the App Home tab', () => {
    const view = homeView({
      investigations: [],
      cases: [
        {
          caseId: '42',
          findingId: null,
          channel: null,
          threadTs: null,
          title: 'Keys <leaked>',
          status: 'Acknowledged',
          resolverType: 'Self',
          engagementType: null,
          commentsShownThrough: null,
          createdBy: 'U1',
          createdAt: '',
          updatedAt: '',
        },
      ],
      caseUrl: (id) => `https://console.aws.amazon.com/security-ir/cases/${id}`,
      approvals: [
        {
          id: 'a1',
          kind: 'remediation:delete-access-key',
          findingId: null,
          channel: null,
          threadTs: null,
          requestedBy: 'U2',
          approvedBy: null,
          state: 'awaiting_approval',
          input: {
            remediationId: 'delete-access-key',
            inputs: {},
            findingId: null,
            channel: null,
            threadTs: null,
            plan: { calls: [], undo: null, notes: [] },
            note: '',
          },
          result: null,
          messageTs: null,
          createdAt: '2026-11-20T11:00:00Z',
          updatedAt: '',
        },
      ],
      snoozes: [
        {
          id: 'snooze-1',
          criteria: { resource: null, principal: null, type: 'Recon:<probe>', accountId: '111122223333' },
          expiresAt: '2026-11-21T11:00:00Z',
          reason: 'scanner <tuning>',
          createdBy: 'U2',
          createdAt: '2026-11-20T11:00:00Z',
          state: 'active',
          held: 4,
        },
      ],
      roles: ['approver'],
    });
    const out = renderView({ id: 'V2', ...view }, ctx);
    wellFormed(out);
    expect(out).toMatch(/^<section class="sb-view sb-home" data-view-id="V2">/);
    expect(out).toContain('<h3 class="sb-header-text">Open investigations</h3>');
    expect(out).toContain('<i>No investigation is open.</i>');
    expect(out).toContain(
      '<a class="sb-link" href="https://console.aws.amazon.com/security-ir/cases/42" target="_blank" rel="noopener noreferrer">Case 42</a> Keys &lt;leaked&gt;',
    );
    const approve = wellFormed(out).find((t) => t.attrs['data-action-id'] === 'remediation_approve');
    expect(approve?.attrs['data-value']).toBe('a1');
    expect(JSON.parse(approve?.attrs['data-confirm'] ?? '')).toMatchObject({ title: { text: 'Approve and run?' }, confirm: { text: 'Approve' } });
    expect(out).toContain('requested by <span class="sb-mention sb-mention-user" data-user-id="U2">@bob</span> <time class="sb-date"');
    expect(out).toContain('<h3 class="sb-header-text">Snoozed findings</h3>');
    expect(out).toContain('Recon:&lt;probe&gt;');
    expect(out).toContain('4 held back · scanner &lt;tuning&gt;');
    const cancel = wellFormed(out).find((t) => t.attrs['data-action-id'] === 'snooze_cancel');
    expect(cancel?.attrs['data-value']).toBe('snooze-1');
  });
});

describe('views', () => {
  it("a modal without submit or close shows Slack's Cancel only", () => {
    const out = renderView({ type: 'modal', title: plain('Remediation'), blocks: [{ type: 'section', text: plain('Preparing…') }] }, ctx);
    expect(out).toContain('<footer class="sb-modal-footer"><button type="button" class="sb-button" data-view-action="close">Cancel</button></footer>');
  });

  it('unknown views show a placeholder', () => {
    expect(renderView({ type: 'workflow_step' }, ctx)).toContain('[unsupported view: workflow_step]');
    expect(renderView(null, ctx)).toContain('[unsupported view: ?]');
  });
});
