import { parseRules } from '../../src/config/rules-file.ts';
import { Deliverer, type DelivererOptions } from '../../src/delivery/deliver.ts';
import { RootFollowUps } from '../../src/delivery/root-follow-ups.ts';
import { RootMessages, type RootMessagesOptions } from '../../src/delivery/root-message.ts';
import type { Finding } from '../../src/domain/finding.ts';
import type { Logger } from '../../src/ports/logger.ts';
import type { DeliveryNotices, MessagePlace, SendOnce } from '../../src/ports/notices/delivery.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { makeFinding } from '../support/findings.ts';
import { type RecordingPort, recordingPort } from '../support/recording-port.ts';

export const CHANNEL = '#security-findings';
/** The channel id Slack answers with once a root is posted. */
export const CHANNEL_ID = 'C0SECURITY';
export const START = Date.parse('2026-12-01T10:00:00.000Z');

/** Informational findings are suppressed; everything else goes to CHANNEL. */
const RULES = parseRules(
  `version: 1
defaults:
  channel: "${CHANNEL}"
rules:
  - RuleName: drop-informational
    RuleOrder: 10
    Criteria:
      SeverityLabel: [{ Value: INFORMATIONAL, Comparison: EQUALS }]
    Actions:
      Suppress: true
`,
  'delivery use-case rules',
  CHANNEL,
).ruleSet;

export const silentLogger: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
  child: () => silentLogger,
  isLevelEnabled: () => false,
};

/** The n-th finding of one control, each in its own account. */
export const findingNo = (n: number, overrides: Partial<Finding> = {}): Finding =>
  makeFinding({ id: `arn:aws:securityhub:us-east-1:1111222233${String(n).padStart(2, '0')}:finding/${n}`, ...overrides });

/**
 * A recording notifier that answers as Slack would: each keyed post runs its
 * `beforeSend` and gets the next timestamp; digest lines name the finding.
 */
export function slackLikeNotices(answers: { [K in keyof DeliveryNotices]?: DeliveryNotices[K] } = {}): RecordingPort<DeliveryNotices> {
  let seq = 0;
  const post = async (once: SendOnce): Promise<MessagePlace> => {
    await once.beforeSend?.();
    seq++;
    return { channel: CHANNEL_ID, ts: `1700000000.${String(seq).padStart(6, '0')}` };
  };
  return recordingPort<DeliveryNotices>({
    postRoot: (_channel, _root, once) => post(once),
    postDigestRoot: (_channel, _digest, _breakdown, once) => post(once),
    postDigestListing: async (_root, _members, _total, once) => {
      await post(once);
    },
    digestLine: async (finding) => `line for ${finding.id}`,
    ...answers,
  });
}

export interface DeliverySetup {
  store: MemoryStore;
  notices: RecordingPort<DeliveryNotices>;
  deliverer: Deliverer;
  followUps: RootFollowUps;
  clock: { now: number };
}

/** A Deliverer over an in-memory store, telling a recording notifier; the clock moves only when a test moves it. */
export function deliverySetup(
  o: {
    notices?: RecordingPort<DeliveryNotices>;
    store?: MemoryStore;
    clock?: { now: number };
    roots?: Omit<RootMessagesOptions, 'notices'>;
    deliverer?: Partial<DelivererOptions>;
    threshold?: number;
  } = {},
): DeliverySetup {
  const store = o.store ?? new MemoryStore();
  const notices = o.notices ?? slackLikeNotices();
  const clock = o.clock ?? { now: START };
  const followUps = new RootFollowUps();
  const deliverer = new Deliverer({
    store,
    notices: notices.port,
    roots: new RootMessages({ notices: notices.port, ...o.roots }),
    rules: () => RULES,
    storm: { threshold: o.threshold ?? 10, windowSeconds: 3600, digestWindowSeconds: 3600 },
    logger: silentLogger,
    clock: () => clock.now,
    digestDebounceMs: 0,
    leaseMs: 60_000,
    onRootPosted: followUps.rootPosted,
    onRootReplaced: followUps.rootReplaced,
    ...o.deliverer,
  });
  return { store, notices, deliverer, followUps, clock };
}
