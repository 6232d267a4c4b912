import { describe, expect, it } from 'vitest';
import { newDigest } from '../../src/store/digest-records.ts';
import { defaultDecision } from '../../src/domain/routing/decision.ts';
import { timelineCsv, timelineJson } from '../../src/domain/investigation/export.ts';
import type { TimelineEntry } from '../../src/domain/investigation/timeline.ts';
import { mrkdwn, plain } from '../../src/slack/views/blocks.ts';
import { caseModal } from '../../src/slack/views/case.ts';
import { digestLine, digestRootMessage } from '../../src/slack/views/digest-message.ts';
import { findingMessage } from '../../src/slack/views/finding-message.ts';
import { timelineLine } from '../../src/slack/views/investigation.ts';
import { sirNoteMessage, sirUsageMessage } from '../../src/slack/views/sir-command.ts';
import { statusModal, statusResultMessage } from '../../src/slack/views/status.ts';
import { timelineFileBase } from '../../src/slack/views/file-names.ts';
import { callListMrkdwn, callListPlain } from '../../src/slack/views/calls.ts';
import { code, escapeText, link, neutralize, safeText, safeUrl, truncate, visibleOnly } from '../../src/slack/views/text.ts';
import { digestMemberUpdateReply } from '../../src/slack/views/update-reply.ts';
import { makeFinding } from '../support/findings.ts';

/** Trojan Source: reads "invoiceexe.pdf" in most renderers. */
const RLO_FILE = 'invoice\u202Efdp.exe';
/** An isolate pair that makes a check read as a comment. */
const ISOLATES = 'if (isAdmin) \u2066// check later\u2069 { grant() }';
const ESC = 'status \u001b[31mCRITICAL\u001b[0m \u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007';
const NUL = 'bucket\u0000name';
const ZW_MENTION = '@chan\u200Bnel @he\u200Cre @every\u200Done @\u2060channel \uFEFFroot';
const MARKS = 'a\u200Eb\u200Fc\u061Cd\u202Ae\u202Bf\u202Cg\u202Dh\u2067i\u2068j';
const C1 = 'csi\u009B2Jnel\u0085del\u007F';
const ALL = [RLO_FILE, ISOLATES, ESC, NUL, ZW_MENTION, MARKS, C1].join(' | ');

/** Every invisible character we neutralize, as a test oracle written out by hand. */
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/u;

/** Fields Slack never shows: they carry the exact finding id back to sirbot. */
const MACHINE_FIELDS = new Set(['value', 'private_metadata', 'action_id', 'block_id', 'callback_id']);

/** Strings shown anywhere in a value (messages, modals), with sirbot's own defused mentions taken out. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value.replace(/@\u2060(?=here|channel|everyone)/gi, '@')];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => (MACHINE_FIELDS.has(k) ? [] : strings(v)));
  return [];
}

const invisibleIn = (value: unknown) => strings(value).filter((s) => INVISIBLE.test(s));

describe('invisible characters in text sent to Slack', () => {
  it('makes bidi overrides, isolates and marks visible instead of letting them reorder the text', () => {
    expect(escapeText(RLO_FILE)).toBe('invoice[U+202E]fdp.exe');
    expect(escapeText(ISOLATES)).toBe('if (isAdmin) [U+2066]// check later[U+2069] { grant() }');
    expect(escapeText(MARKS)).toBe('a[U+200E]b[U+200F]c[U+061C]d[U+202A]e[U+202B]f[U+202C]g[U+202D]h[U+2067]i[U+2068]j');
  });

  it('makes NUL, ESC sequences and other C0/C1 controls visible; tab and newline stay, other line breaks become newlines', () => {
    expect(escapeText(NUL)).toBe('bucket[U+0000]name');
    expect(escapeText(ESC)).toBe('status [U+001B][31mCRITICAL[U+001B][0m [U+001B]]8;;https://evil.example[U+0007]click[U+001B]]8;;[U+0007]');
    expect(escapeText(C1)).toBe('csi[U+009B]2Jnel[U+0085]del[U+007F]');
    expect(escapeText('a\tb\nc\r\nd\re\u2028f\u2029g')).toBe('a\tb\nc\nd\ne\nf\ng');
  });

  it('makes zero-width characters visible, so a split @channel neither hides nor pings; its own word joiner still defuses @channel', () => {
    expect(escapeText(ZW_MENTION)).toBe('@chan[U+200B]nel @he[U+200C]re @every[U+200D]one @[U+2060]channel [U+FEFF]root');
    expect(escapeText('@channel @Here @everyone')).toBe('@\u2060channel @\u2060Here @\u2060everyone');
  });

  it('keeps emoji that need a joiner or tag characters whole', () => {
    const emoji = 'dev 👩‍💻 pride 🏳️‍🌈 family 👨‍👩‍👧 wave 👋🏽‍ flag 🏴󠁧󠁢󠁳󠁣󠁴󠁿';
    expect(neutralize(emoji)).toBe(emoji.replace('👋🏽‍', '👋🏽[U+200D]'));
    // A lone tag character (ASCII smuggling) is not a flag.
    expect(neutralize('hi\u{E0041}\u{E0042}')).toBe('hi[U+E0041][U+E0042]');
  });

  it('holds through code spans, plain text, links and truncation', () => {
    expect(code(RLO_FILE)).toBe('`invoice[U+202E]fdp.exe`');
    expect(code('a\u2028b')).toBe('`a b`');
    const long = safeText('\u202E'.repeat(10_000), 150);
    expect(long.length).toBeLessThanOrEqual(150);
    expect(invisibleIn(long)).toEqual([]);
    expect(truncate(escapeText('x\u0000'.repeat(100)), 50).length).toBeLessThanOrEqual(50);
    expect(link('https://console.aws.amazon.com/x\u202Ey', `Case ${RLO_FILE}`)).toBe(
      '<https://console.aws.amazon.com/x%E2%80%AEy|Case invoice[U+202E]fdp.exe>',
    );
    expect(safeUrl('https://a.example/\u0000\u200B')).toBe('https://a.example/%00%E2%80%8B');
  });

  it('text objects replace whatever a builder let through with U+FFFD, never growing, and keep defused mentions', () => {
    expect(plain(`x${RLO_FILE}`).text).toBe('xinvoice\uFFFDfdp.exe');
    expect(mrkdwn(escapeText('@channel ok')).text).toBe('@\u2060channel ok');
    expect(visibleOnly('\u2060@\u2060x')).toBe('\uFFFD@\uFFFDx');
    expect(visibleOnly(ALL).length).toBeLessThanOrEqual(ALL.length);
  });

  it('upload file names are lower-case letters, digits, dots and dashes, of bounded length, whatever the finding says', () => {
    const hostile = makeFinding({
      title: `../../${RLO_FILE} <@channel> ${'x'.repeat(500)}`,
      type: `${ZW_MENTION}/..`,
      controlId: `S3.8/${NUL}`,
      accountId: `1/../${ESC}`,
    });
    const name = timelineFileBase(hostile);
    expect(name).toMatch(/^timeline-[a-z0-9.-]+$/);
    expect(name).not.toContain('..');
    expect(name.length).toBeLessThanOrEqual(100);
  });
});

describe('every view built from a hostile finding', () => {
  const finding = makeFinding({
    id: `arn:aws:securityhub:us-east-1:111122223333:finding/${RLO_FILE}`,
    title: `${RLO_FILE} ${ESC}`,
    description: `${ISOLATES}\n${ZW_MENTION}`,
    type: MARKS,
    types: [MARKS],
    product: C1,
    accountId: `1111${NUL}`,
    region: `us-east-1${'\u200B'}`,
    controlId: RLO_FILE,
    resources: [{ type: MARKS, id: `arn:aws:s3:::${RLO_FILE}`, region: 'us-east-1', tags: { [ESC]: ZW_MENTION } }],
    consoleUrl: `https://console.aws.amazon.com/securityhub/home#/findings?search=${RLO_FILE}`,
  });

  it('root message (blocks, fallback text, console URL), status modal and result, case modal, digests and updates carry none of them', () => {
    const decision = { ...defaultDecision('x', '#sec', 'MEDIUM'), matchedRules: [RLO_FILE] };
    const timeline: TimelineEntry = {
      id: 'e1',
      time: '2026-11-20T10:00:00Z',
      source: 'cloudtrail',
      action: RLO_FILE,
      service: null,
      actor: ZW_MENTION,
      actorType: null,
      accessKeyId: null,
      sourceIp: NUL,
      userAgent: ESC,
      resources: [MARKS],
      errorCode: C1,
      accountId: null,
      region: null,
      tactics: [],
      highlights: [ISOLATES],
    };
    const built = {
      root: findingMessage(finding, decision, { investigate: true, actions: true }, {}, { status: 'offer-s', case: 'offer-c', acknowledge: 'offer-a' }),
      statusModal: statusModal(finding, 'offer-s'),
      statusResult: statusResultMessage({
        status: 'RESOLVED',
        note: ALL,
        userId: 'U0ALICE',
        calls: [{ service: 'guardduty', operation: 'ArchiveFindings', account: '1', region: 'r', input: { FindingIds: [RLO_FILE] } }],
        error: { name: ESC, message: ALL },
        unprocessed: [{ id: RLO_FILE, reason: ALL }],
      }),
      caseModal: caseModal(
        finding,
        {
          title: ALL,
          description: ALL,
          engagementType: 'Security Incident',
          reportedIncidentStartDate: '2026-11-20T10:00:00Z',
          impactedAccounts: [NUL],
          impactedAwsRegions: [MARKS],
          threatActorIpAddresses: [ESC],
          impactedServices: [C1],
        },
        [{ email: 'a@example.com' }],
        false,
        'offer-c',
      ),
      digestRoot: digestRootMessage({ ...newDigest('d', '#a', 'k', ALL, ''), count: 2 }, { byAccount: { [NUL]: 2 }, bySeverity: { LOW: 2 } }),
      digestLine: digestLine(finding),
      update: digestMemberUpdateReply(finding, [{ field: 'severity', from: 'LOW', to: 'HIGH' }]),
      timeline: timelineLine(timeline),
      sir: [sirUsageMessage(ALL, ALL), sirNoteMessage(ALL, 'https://x.example/\u202E', ALL)],
    };
    expect(invisibleIn(built)).toEqual([]);
    // Visibly, not silently: the responder sees where each one was.
    expect(built.root.blocks[0]).toMatchObject({ type: 'header', text: { text: expect.stringContaining('invoice[U+202E]fdp.exe') } });
    expect(built.root.text).toContain('[U+001B][31mCRITICAL');
    const button = built.root.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : [])).find((e) => 'url' in e && e.url);
    expect(button && 'url' in button && button.url).toContain('invoice%E2%80%AEfdp.exe');
    const titleInput = built.caseModal.blocks.find((b) => b.block_id === 'title');
    expect(titleInput && 'element' in titleInput && 'initial_value' in titleInput.element && titleInput.element.initial_value).toContain(
      'invoice[U+202E]fdp.exe',
    );
  });
});

describe('AWS calls shown to people', () => {
  const hostile = '<!channel> `x` *bold* <https://evil.example|click> & @here';
  const calls = [
    {
      service: 'securityhub' as const,
      operation: 'BatchUpdateFindings',
      account: '1<@U1>',
      region: 'us-east-1\n<!here>',
      input: {
        FindingIdentifiers: [{ Id: hostile, ProductArn: 'arn:p' }],
        Workflow: { Status: 'RESOLVED' },
        Note: { Text: `${hostile} ${'y'.repeat(3000)}`, UpdatedBy: RLO_FILE },
      },
    },
  ];

  it('escape finding and AWS text in mrkdwn (no mention, no link, no markup), mark invisible characters and bound each value', () => {
    const shown = callListMrkdwn(calls);
    expect(shown).not.toMatch(/<!channel>|<!here>|<@U1>|<https:/);
    expect(shown).toContain('&lt;!channel&gt;');
    expect(shown).toContain('@\u2060here');
    expect(shown).toContain('invoice[U+202E]fdp.exe');
    expect(shown).toContain('ˋxˋ');
    expect(shown.length).toBeLessThan(1200);
    expect(invisibleIn(shown.replace(/\u2060/g, ''))).toEqual([]);
  });

  it('in plain text (a confirm dialog) carry no markup at all', () => {
    const shown = callListPlain(calls);
    expect(shown).toMatch(/^1\. securityhub:BatchUpdateFindings in /);
    expect(shown).not.toContain('*securityhub');
  });
});

describe('timeline files', () => {
  const entry = { id: 'e', time: '2026-11-20T10:00:00Z', userAgent: RLO_FILE, actor: ESC, resources: [ZW_MENTION] } as unknown as TimelineEntry;

  it('CSV shows invisible characters as [U+XXXX]; JSON escapes them and parses back to the exact values', () => {
    const csv = timelineCsv([entry]);
    expect(csv).toContain('invoice[U+202E]fdp.exe');
    expect(csv).toContain('[U+001B][31mCRITICAL');
    expect(invisibleIn(csv.replace(/\r\n/g, ''))).toEqual([]);
    const json = timelineJson([entry]);
    expect(invisibleIn(json)).toEqual([]);
    expect(json).toContain('invoice\\u202efdp.exe');
    expect(JSON.parse(json)[0]).toMatchObject({ userAgent: RLO_FILE, actor: ESC, resources: [ZW_MENTION] });
  });
});
