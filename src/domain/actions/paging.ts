import type { Finding, SeverityLabel } from '../finding.ts';
import { neutralizeInvisible } from '../invisible.ts';

/**
 * Paging on-call outside Slack: what a rule asks for and the request bodies the paging
 * services take, built from a finding. No I/O here; the adapters (src/paging/) add the
 * credentials and send them.
 *
 * Sources (read, not copied):
 * - PagerDuty Events API v2 (developer.pagerduty.com, "Send an Alert Event"): POST /v2/enqueue,
 *   `routing_key` (32 characters), `event_action` trigger | acknowledge | resolve, `dedup_key`
 *   (at most 255 characters), and for a trigger `payload` { summary (at most 1024), source,
 *   severity critical | error | warning | info, timestamp?, component?, group?, class?, custom_details? }.
 * - Opsgenie Alert API (docs.opsgenie.com, "Alert API"): POST /v2/alerts { message (at most 130
 *   characters), alias (at most 512, the dedup key), description (at most 15000), priority
 *   P1–P5, source (at most 100), entity (at most 512), tags (at most 20, 50 characters each),
 *   details (string values, at most 8000 characters in all) }; acknowledge and close by alias.
 */

export const PAGERS = ['pagerduty', 'opsgenie'] as const;
export type PagerName = (typeof PAGERS)[number];

/** When the page goes out: with the on-call mention (the first step) or with the CIRT step. */
export const PAGE_STEPS = ['mention', 'cirt'] as const;
export type PageStep = (typeof PAGE_STEPS)[number];

export interface PagePolicy {
  pager: PagerName;
  at: PageStep;
}

/** How the paging services name them, for people reading the thread. */
export const PAGER_LABELS: Record<PagerName, string> = { pagerduty: 'PagerDuty', opsgenie: 'Opsgenie' };

export const PAGERDUTY_LIMITS = { summary: 1024, dedupKey: 255, source: 255, component: 255, group: 255, class: 255 } as const;
export const OPSGENIE_LIMITS = {
  message: 130,
  alias: 512,
  description: 15_000,
  source: 100,
  entity: 512,
  tags: 20,
  tag: 50,
  details: 8000,
  note: 25_000,
  user: 100,
} as const;

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';
export type OpsgeniePriority = 'P1' | 'P2' | 'P3' | 'P4' | 'P5';

const PD_SEVERITY: Record<SeverityLabel, PagerDutySeverity> = {
  CRITICAL: 'critical',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'info',
  INFORMATIONAL: 'info',
};
const OG_PRIORITY: Record<SeverityLabel, OpsgeniePriority> = { CRITICAL: 'P1', HIGH: 'P2', MEDIUM: 'P3', LOW: 'P4', INFORMATIONAL: 'P5' };

/** Cut to `max` UTF-16 units, never splitting a surrogate pair, with an ellipsis when cut. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * Text from the finding is the finding's author's (an attacker can name a resource): it is
 * sent as plain JSON string values, with invisible and control characters made visible so
 * a page cannot hide or reorder what it says. No field is ever interpreted as markup here.
 */
const plain = (text: string, max: number): string => cut(neutralizeInvisible(text), max);

const mainResource = (f: Finding): string => f.resources[0]?.id ?? '';

/** The one-line summary both services show first: severity, title, account, resource. */
function headline(f: Finding): string {
  const resource = mainResource(f);
  return `[${f.severity.label}] ${f.title} — account ${f.accountId}${resource ? `, ${resource}` : ''}`;
}

export interface PagerDutyTriggerBody {
  event_action: 'trigger';
  dedup_key: string;
  payload: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    timestamp?: string;
    component?: string;
    group?: string;
    class?: string;
    custom_details: Record<string, string>;
  };
  client: string;
  links?: Array<{ href: string; text: string }>;
}

export interface PagerDutyFollowUpBody {
  event_action: 'acknowledge' | 'resolve';
  dedup_key: string;
}

export interface PageContext {
  /** The dedup key (PagerDuty) or alias (Opsgenie): one per finding. */
  key: string;
  /** The finding's thread in Slack, when known. */
  threadLink?: string | null;
}

/** A PagerDuty Events API v2 trigger for the finding (without `routing_key`, which the adapter adds). */
export function pagerDutyTrigger(f: Finding, ctx: PageContext): PagerDutyTriggerBody {
  const links = [
    ...(ctx.threadLink ? [{ href: ctx.threadLink, text: 'Slack thread' }] : []),
    ...(f.consoleUrl ? [{ href: f.consoleUrl, text: 'AWS console' }] : []),
  ];
  const timestamp = f.updatedAt ?? f.createdAt;
  const resource = mainResource(f);
  return {
    event_action: 'trigger',
    dedup_key: cut(ctx.key, PAGERDUTY_LIMITS.dedupKey),
    payload: {
      summary: plain(headline(f), PAGERDUTY_LIMITS.summary),
      source: plain(`aws:${f.accountId}:${f.region}`, PAGERDUTY_LIMITS.source),
      severity: PD_SEVERITY[f.severity.label],
      ...(timestamp && !Number.isNaN(Date.parse(timestamp)) ? { timestamp: new Date(Date.parse(timestamp)).toISOString() } : {}),
      ...(resource ? { component: plain(resource, PAGERDUTY_LIMITS.component) } : {}),
      group: plain(f.product, PAGERDUTY_LIMITS.group),
      class: plain(f.type, PAGERDUTY_LIMITS.class),
      custom_details: {
        finding_id: f.id,
        description: plain(f.description, 4000),
        account: f.accountId,
        region: f.region,
        resources: plain(f.resources.map((r) => `${r.type} ${r.id}`).join('\n'), 2000),
      },
    },
    client: 'sirbot',
    ...(links.length > 0 ? { links } : {}),
  };
}

export function pagerDutyFollowUp(action: 'acknowledge' | 'resolve', key: string): PagerDutyFollowUpBody {
  return { event_action: action, dedup_key: cut(key, PAGERDUTY_LIMITS.dedupKey) };
}

export interface OpsgenieAlertBody {
  message: string;
  alias: string;
  description: string;
  priority: OpsgeniePriority;
  source: string;
  entity?: string;
  tags: string[];
  details: Record<string, string>;
}

/** An Opsgenie alert for the finding. */
export function opsgenieAlert(f: Finding, ctx: PageContext): OpsgenieAlertBody {
  const resource = mainResource(f);
  const details: Record<string, string> = {
    findingId: cut(f.id, 1024),
    account: f.accountId,
    region: f.region,
    ...(ctx.threadLink ? { slackThread: cut(ctx.threadLink, 1024) } : {}),
    ...(f.consoleUrl ? { console: cut(f.consoleUrl, 2048) } : {}),
  };
  const description = [
    plain(f.description, 10_000),
    '',
    ...f.resources.slice(0, 20).map((r) => plain(`${r.type} ${r.id}`, 300)),
    ...(ctx.threadLink ? ['', `Slack thread: ${ctx.threadLink}`] : []),
  ].join('\n');
  return {
    message: plain(`[${f.severity.label}] ${f.title}`, OPSGENIE_LIMITS.message),
    alias: cut(ctx.key, OPSGENIE_LIMITS.alias),
    description: cut(description, OPSGENIE_LIMITS.description),
    priority: OG_PRIORITY[f.severity.label],
    source: 'sirbot',
    ...(resource ? { entity: plain(resource, OPSGENIE_LIMITS.entity) } : {}),
    tags: ['sirbot', `severity:${f.severity.label.toLowerCase()}`, `account:${f.accountId}`].map((t) => cut(t, OPSGENIE_LIMITS.tag)),
    details,
  };
}

/** The note and user an acknowledgement or close carries to Opsgenie. */
export function opsgenieFollowUp(note: string, user = 'sirbot'): { user: string; source: string; note: string } {
  return { user: cut(user, OPSGENIE_LIMITS.user), source: 'sirbot', note: cut(note, OPSGENIE_LIMITS.note) };
}

/** How far a finding's page has gone, in order: an acknowledged or resolved page stays so. */
export const PAGE_PROGRESS = ['none', 'triggered', 'acknowledged', 'resolved'] as const;
export type PageProgress = (typeof PAGE_PROGRESS)[number];

/** The further of two progresses: what is wanted never goes back (a resolved finding is not paged again). */
export function furthest(a: PageProgress, b: PageProgress): PageProgress {
  return PAGE_PROGRESS.indexOf(a) >= PAGE_PROGRESS.indexOf(b) ? a : b;
}

export type PageCall = 'trigger' | 'acknowledge' | 'resolve';

/**
 * The call that brings the paging service from `sent` to `want`, or null when there is
 * none to make: nothing goes out for a page that was never triggered (acknowledged in
 * Slack, or resolved, before its step), and nothing twice.
 */
export function pageCallFor(sent: PageProgress, want: PageProgress): PageCall | null {
  if (PAGE_PROGRESS.indexOf(want) <= PAGE_PROGRESS.indexOf(sent)) return null;
  if (want === 'triggered') return 'trigger';
  if (sent === 'none') return null;
  return want === 'acknowledged' ? 'acknowledge' : 'resolve';
}
