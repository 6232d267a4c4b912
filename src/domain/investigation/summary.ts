import type { Finding } from '../finding.ts';
import { POLICY_CHANGES, type Tactic } from './attack.ts';
import type { SubjectState } from './current-state.ts';
import type { LimitingFactor } from './limiting.ts';
import type { CreatedIdentity } from './created-identity.ts';
import { recommendationsFor } from './recommendations.ts';
import { type RegionCoverage, coverageFactors, coverageLine } from './region-coverage.ts';
import { type CostSpike, costLine } from './cost-spikes.ts';

export type { CreatedIdentity };
import type { Searched } from './searched.ts';
import type { Subject } from './subjects.ts';
import { type TimelineEntry, byAwsService, isAwsServiceSource } from './timeline.ts';
import { CLOUDTRAIL_RETENTION_DAYS, type InvestigationWindow } from './window.ts';
import { readableTime, readableWindow } from './words.ts';
import { isNetworkEntry, networkLine } from './network-summary.ts';

export interface InvestigationSummary {
  /** What happened, who and from where, what is at risk now, what to do next: in words. */
  text: string;
  criticalFindings: Array<{ id: string; title: string; severity: string }>;
  /** Every other finding on the same subjects (GuardDuty, Security Hub, failing controls), whatever its severity. */
  relatedFindings: Array<{ id: string; title: string; severity: string }>;
  timeframe: { start: string | null; end: string | null; events: number };
  activity: Array<{ tactic: Tactic; events: number; actions: string[] }>;
  actors: string[];
  /** Each actor's user agents, once per actor (not on every timeline line). */
  actorAgents: Array<{ actor: string; userAgents: string[] }>;
  sourceIps: string[];
  affectedResources: string[];
  createdIdentities: CreatedIdentity[];
  policyChanges: Array<{ action: string; target: string; at: string }>;
  /** How the subjects and what the activity created are now, from the API for each kind. */
  currentState: Array<{ kind: string; id: string; exists: boolean | null; facts: string[] }>;
  /** Every look the investigation made, and what each found. */
  searched: Searched[];
  /** Per account, the regions CloudTrail was searched in against those enabled. */
  regionsSearched?: RegionCoverage[];
  /** Spend that jumped in the window against the period before it, by service and region. */
  costSpikes?: CostSpike[];
  limitingFactors: LimitingFactor[];
  /** What to do next, for what is still so (a key already deactivated is not to be deactivated again). */
  recommendations: string[];
  /** The playbook's general containment steps, beside the specific recommendations. */
  guidance: string[];
}

export interface SummaryInput {
  finding: Finding;
  timeline: TimelineEntry[];
  limitingFactors: LimitingFactor[];
  containment: string[];
  relatedFindings?: Array<{ id: string; title: string; severity: string }>;
  states?: SubjectState[];
  subjects?: Subject[];
  searched?: Searched[];
  window?: InvestigationWindow | null;
  playbook?: string;
  /** The trail's long-term store searched for what event history cannot show (`cloudtrail-lake`, `athena`, `s3-logs`), if one is configured. */
  archive?: string | null;
  /** Where CloudTrail was searched, per account (absent: the regions in `searched`, said to be partial). */
  regionCoverage?: RegionCoverage[];
  costSpikes?: CostSpike[];
}

const TACTIC_ORDER: Tactic[] = [
  'Initial Access',
  'Execution',
  'Persistence',
  'Privilege Escalation',
  'Defense Evasion',
  'Credential Access',
  'Discovery',
  'Lateral Movement',
  'Collection',
  'Exfiltration',
  'Impact',
];

/** How each tactic reads in a sentence. */
const TACTIC_WORDS: Record<Tactic, string> = {
  'Initial Access': 'signed in',
  Execution: 'ran code',
  Persistence: 'set up ways back in',
  'Privilege Escalation': 'raised privileges',
  'Defense Evasion': 'changed logging or detection',
  'Credential Access': 'went after credentials',
  Discovery: 'explored the account',
  'Lateral Movement': 'moved to other roles or hosts',
  Collection: 'gathered data',
  Exfiltration: 'shared or copied data out',
  Impact: 'disrupted or consumed resources',
};

export const succeeded = (e: TimelineEntry): boolean => e.errorCode === null;

/** Users, roles, keys, login profiles and instances the window's events created. */
export function createdIdentities(timeline: TimelineEntry[]): CreatedIdentity[] {
  const out: CreatedIdentity[] = [];
  const add = (kind: CreatedIdentity['kind'], name: string | undefined, e: TimelineEntry) => {
    if (name && !out.some((c) => c.kind === kind && c.name === name)) out.push({ kind, name, by: e.actor, at: e.time, accountId: e.accountId });
  };
  // What AWS services made (Auto Scaling's instances, CloudFormation's users) is not the intruder's.
  for (const e of timeline.filter((x) => succeeded(x) && !byAwsService(x))) {
    switch (e.action) {
      case 'CreateUser':
        add('user', e.resources[0], e);
        break;
      case 'CreateRole':
        add('role', e.resources[0], e);
        break;
      case 'CreateLoginProfile':
        add('login-profile', e.resources[0], e);
        break;
      case 'CreateAccessKey':
        add(
          'access-key',
          e.resources.find((r) => /^(AKIA|ASIA)[A-Z0-9]{12,}$/.test(r)),
          e,
        );
        break;
      case 'RunInstances':
        for (const id of e.resources.filter((r) => /^i-[0-9a-f]+$/.test(r))) add('instance', id, e);
        break;
      default:
        break;
    }
  }
  return out;
}

/** An actor as a person reads it: `role web-app-role (session i-0…)`, `user ci-deployer`, `root`. */
export function actorWords(actor: string): string {
  const assumed = /:assumed-role\/([^/]+)\/(.+)$/.exec(actor);
  if (assumed) return `role ${assumed[1]} (session ${assumed[2]})`;
  const user = /:user\/(?:.*\/)?([^/]+)$/.exec(actor);
  if (user) return `user ${user[1]}`;
  if (actor.startsWith('root')) return 'root';
  return actor;
}

function list(items: string[], max = 4): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** What happened, in one sentence: who, from where, doing what, between when. */
function activitySentence(timeline: TimelineEntry[], activity: InvestigationSummary['activity'], actors: string[], ips: string[]): string {
  const start = timeline[0]?.time ?? null;
  const end = timeline.at(-1)?.time ?? null;
  const services = timeline.filter(byAwsService).length;
  const people = actors.filter((a) => timeline.some((e) => e.actor === a && !byAwsService(e)));
  const who = people.length > 0 ? list(people.map(actorWords), 3) : 'unknown principals';
  const from = ips.length > 0 ? ` from ${list(ips, 3)}` : '';
  const did = activity.filter((a) => a.tactic !== 'Discovery').map((a) => TACTIC_WORDS[a.tactic]);
  const explored = activity.some((a) => a.tactic === 'Discovery') ? ['explored the account'] : [];
  const what = [...did, ...explored];
  const denied = timeline.filter((e) => e.errorCode && /AccessDenied|Unauthorized/i.test(e.errorCode)).length;
  const deniedWords = denied > 0 ? ` (${denied} call${denied === 1 ? ' was' : 's were'} denied)` : '';
  const own = timeline.length - services;
  const alsoServices = services > 0 ? ` AWS services acting for the account made ${services} more.` : '';
  return `${readableWindow(start, end)}, ${who}${from} made ${own} call${own === 1 ? '' : 's'}${what.length ? `: ${list(what, 5)}` : ''}${deniedWords}.${alsoServices}`;
}

/** What was looked for when nothing was found, and why more could still exist. */
function nothingFoundSentence(searched: Searched[], window: InvestigationWindow | null | undefined): string {
  const looks = searched.filter((s) => s.source === 'cloudtrail');
  const where = [...new Set(looks.map((s) => `${s.accountId}/${s.region}`))];
  const when = window ? ` between ${readableTime(window.start)} and ${readableTime(window.end)}` : '';
  if (looks.length === 0)
    return `No activity was searched for: nothing in the finding names a key, user, role, instance or bucket to look up in CloudTrail${when}.`;
  return `CloudTrail event history shows no activity for ${list(
    looks.map((s) => s.what),
    4,
  )} in ${list(where, 2)}${when}.`;
}

/** Why an empty (or thin) result may not mean nothing happened. */
function blindSpots(
  finding: Finding,
  searched: Searched[],
  window: InvestigationWindow | null | undefined,
  subjects: Subject[],
  coverage: RegionCoverage[],
  archive: string | null | undefined,
): LimitingFactor[] {
  const out: LimitingFactor[] = [];
  const regions = [...new Set(searched.filter((s) => s.source === 'cloudtrail').map((s) => s.region))];
  // When the enabled regions are known, coverage says what was missed (summarize adds it); otherwise only these were searched.
  if (coverage.length === 0)
    out.push({
      source: 'cloudtrail',
      reason: 'not-searched',
      detail: `only ${
        list(
          regions.filter((r): r is string => !!r),
          3,
        ) || finding.region
      } ${regions.length > 1 ? 'were' : 'was'} searched; activity in other regions is not in these results`,
    });
  // With a long-term store, the window was searched from its start: older than event history there.
  if (window && Date.parse(window.start) > 0 && !archive) {
    out.push({
      source: 'cloudtrail',
      reason: 'not-searched',
      detail: `event history keeps ${CLOUDTRAIL_RETENTION_DAYS} days and was searched from ${readableTime(window.start)} only; earlier activity needs the trail's S3 logs`,
    });
  }
  if (subjects.some((s) => s.kind === 'ip') && !searched.some((s) => s.look === 'source-ip')) {
    out.push({
      source: 'cloudtrail',
      reason: 'not-searched',
      detail: 'CloudTrail event history cannot be looked up by source IP: only the calls of the identities searched are found',
    });
  }
  return out;
}

/**
 * Object reads and writes (GetObject, PutObject) and Lambda invokes are data events, which
 * event history never holds: wherever a bucket or function is in play, or the activity
 * reached S3, what was read is beyond what this investigation can see, found or not.
 */
function dataEventsBlindSpot(timeline: TimelineEntry[], subjects: Subject[], searched: Searched[], known: LimitingFactor[]): LimitingFactor[] {
  // The long-term store searched them, or already said it does not have them (naming the buckets).
  if (searched.some((s) => s.look === 'data-events') || known.some((l) => l.reason === 'data-events')) return [];
  const buckets = subjects.filter((s) => s.kind === 'bucket').map((s) => s.id);
  const inPlay =
    subjects.some((s) => s.kind === 'bucket' || s.kind === 'lambdaFunction') ||
    timeline.some((e) => e.source === 'cloudtrail' && e.service === 's3.amazonaws.com');
  if (!inPlay) return [];
  return [
    {
      source: 'cloudtrail',
      reason: 'data-events',
      detail: `${buckets.length ? `object reads and writes in ${list(buckets, 3)} are not seen: ` : ''}S3 object reads and writes and Lambda invokes are data events: CloudTrail event history never shows them; only a trail that records data events (its S3 logs or CloudTrail Lake) or S3 server access logs do`,
    },
  ];
}

const STORE_WORDS: Record<string, string> = { 'cloudtrail-lake': 'CloudTrail Lake', athena: 'Athena over the trail', 's3-logs': "the trail's S3 logs" };
const LOOK_WORDS: Record<NonNullable<Searched['look']>, string> = {
  'before-history': 'activity older than event history',
  'source-ip': 'calls from the addresses in play',
  'data-events': 'S3 data events',
};

/** Where the long-term store was searched, what it found, and what it cost. */
function archiveSentence(searched: Searched[]): string {
  const looks = searched.filter((s) => s.via && s.look);
  if (looks.length === 0) return '';
  const via = looks[0]?.via as string;
  const found = looks.reduce((n, s) => n + s.found, 0);
  const bytes = looks.reduce((n, s) => n + (s.cost?.bytesScanned ?? 0), 0);
  const objects = looks.reduce((n, s) => n + (s.cost?.objectsRead ?? 0), 0);
  const cost = [
    ...(objects ? [`${objects.toLocaleString('en')} log object${objects === 1 ? '' : 's'} read`] : []),
    ...(bytes ? [`${bytes < 2 ** 20 ? `${Math.ceil(bytes / 1024)} KiB` : `${Math.round(bytes / 2 ** 20).toLocaleString('en')} MiB`} scanned`] : []),
  ];
  const what = [...new Set(looks.map((s) => LOOK_WORDS[s.look as keyof typeof LOOK_WORDS]))];
  return `Searched ${STORE_WORDS[via] ?? via} for ${list(what, 3)}: ${found} event${found === 1 ? '' : 's'}${cost.length ? ` (${cost.join(', ')})` : ''}.`;
}

/** What is at risk now, from the current state: still-active credentials, admin rights, IMDSv1, exposure, gone. */
function nowSentence(states: SubjectState[]): string {
  const parts: string[] = [];
  for (const s of states) {
    if (s.kind === 'accessKey') {
      if (s.exists === false) parts.push(`key ${s.id} was deleted`);
      else if (s.status === 'Active')
        parts.push(
          `key ${s.id} is still active${s.lastUsedAt ? ` (last used ${readableTime(s.lastUsedAt)}${s.lastUsedWhere ? ` on ${s.lastUsedWhere}` : ''})` : ''}`,
        );
      else if (s.status === 'Inactive') parts.push(`key ${s.id} is inactive`);
    } else if (s.kind === 'iamUser' || s.kind === 'role') {
      const noun = s.kind === 'iamUser' ? 'user' : 'role';
      if (s.exists === false) parts.push(`${noun} ${s.id} no longer exists`);
      else if (s.exists) {
        const admin = s.facts.filter((f) => f.startsWith('has '));
        if (s.createdInWindow) parts.push(`${noun} ${s.id}, created during the activity, still exists${admin.length ? ` and ${admin.join(', ')}` : ''}`);
        else if (admin.length) parts.push(`${noun} ${s.id} ${admin.join(', ')}`);
      }
    } else if (s.kind === 'instance') {
      if (s.exists === false) parts.push(`instance ${s.id} is not found in ${s.region ?? 'its region'}`);
      else if (s.exists) {
        const risks = [
          ...(s.metadataTokens === 'optional' ? ['still allows IMDSv1'] : []),
          ...(s.exposure?.length ? [`is open to the internet (${s.exposure.length} rule${s.exposure.length === 1 ? '' : 's'})`] : []),
        ];
        parts.push(`instance ${s.id} is ${s.status ?? 'in an unknown state'}${risks.length ? ` and ${risks.join(' and ')}` : ''}`);
      }
    }
  }
  return parts.length > 0 ? `Now: ${list(parts, 6)}.` : '';
}

/** The investigation's conclusions, from the finding, the merged timeline, the current state and what could not be seen. */
export function summarize(input: SummaryInput): InvestigationSummary {
  const { finding, containment } = input;
  // Flows and DNS lookups are not calls: they get their own line, and the rest reads the calls alone.
  const timeline = input.timeline.filter((e) => !isNetworkEntry(e));
  const states = input.states ?? [];
  const subjects = input.subjects ?? [];
  const searched = input.searched ?? [];
  const created = createdIdentities(timeline);
  const activity = TACTIC_ORDER.map((tactic) => {
    const hits = timeline.filter((e) => e.tactics.includes(tactic));
    return { tactic, events: hits.length, actions: [...new Set(hits.map((e) => e.action))].slice(0, 10) };
  }).filter((a) => a.events > 0);
  const affected = new Set<string>(finding.resources.map((r) => r.id));
  for (const e of timeline) if (succeeded(e) && e.tactics.some((t) => t !== 'Discovery')) for (const r of e.resources) affected.add(r);
  const critical = [
    { id: finding.id, title: finding.title, severity: finding.severity.label },
    ...(input.relatedFindings ?? []).filter((f) => f.id !== finding.id && (f.severity === 'HIGH' || f.severity === 'CRITICAL')),
  ];
  const actors = [...new Set(timeline.map((e) => e.actor).filter((a): a is string => !!a))];
  const actorAgents = actors.map((actor) => ({
    actor,
    userAgents: [...new Set(timeline.filter((e) => e.actor === actor && e.userAgent).map((e) => e.userAgent as string))].slice(0, 3),
  }));
  const ips = [...new Set(timeline.map((e) => e.sourceIp).filter((ip): ip is string => !!ip && !isAwsServiceSource(ip)))];
  const policyChanges = timeline
    .filter((e) => succeeded(e) && POLICY_CHANGES.has(e.action))
    .map((e) => ({ action: e.action, target: e.resources.join(' '), at: e.time }));
  const coverage = input.regionCoverage ?? [];
  const limitingFactors = [...input.limitingFactors, ...coverage.flatMap(coverageFactors)];
  if (timeline.length === 0) limitingFactors.push(...blindSpots(finding, searched, input.window, subjects, coverage, input.archive));
  limitingFactors.push(...dataEventsBlindSpot(timeline, subjects, searched, input.limitingFactors));
  const recommendations = recommendationsFor({ finding, timeline, created, states, subjects });

  const lines = [
    `${finding.severity.label}: ${(finding.title || finding.type).replace(/[.\s]+$/, '')} (account ${finding.accountId}, ${finding.region}).`,
    timeline.length > 0 ? activitySentence(timeline, activity, actors, ips) : nothingFoundSentence(searched, input.window),
    created.length > 0
      ? `Created during the activity: ${list(
          created.map((c) => `${c.kind} ${c.name}`),
          6,
        )}.`
      : '',
    archiveSentence(searched),
    networkLine(
      input.timeline,
      subjects.map((s) => s.id),
    ),
    nowSentence(states),
    costLine(input.costSpikes ?? []),
    ...coverage.map(coverageLine),
    recommendations.length > 0 ? `Next: ${recommendations[0]}` : '',
    limitingFactors.length > 0
      ? `Could not see: ${list(
          limitingFactors.map((l) => l.detail),
          2,
        )}.`
      : '',
  ].filter(Boolean);
  return {
    text: lines.join(' '),
    criticalFindings: critical,
    relatedFindings: (input.relatedFindings ?? []).filter((f) => f.id !== finding.id),
    timeframe: { start: timeline[0]?.time ?? null, end: timeline.at(-1)?.time ?? null, events: timeline.length },
    activity,
    actors,
    actorAgents,
    sourceIps: ips,
    affectedResources: [...affected],
    createdIdentities: created,
    policyChanges,
    currentState: states.map((s) => ({ kind: s.kind, id: s.id, exists: s.exists, facts: stateFacts(s) })),
    searched,
    ...(coverage.length > 0 ? { regionsSearched: coverage } : {}),
    ...(input.costSpikes?.length ? { costSpikes: input.costSpikes } : {}),
    limitingFactors,
    recommendations,
    guidance: containment,
  };
}

/** A state's facts in words, its status and last use first. */
function stateFacts(s: SubjectState): string[] {
  const head: string[] = [];
  if (s.exists === true && s.status) head.push(s.status);
  if (s.owner)
    head.push(
      s.kind === 'accessKey'
        ? `of ${s.owner}`
        : s.kind === 'instance'
          ? `profile ${s.owner.split('/').pop()}`
          : s.kind === 'instanceProfile'
            ? `role ${s.owner}`
            : s.kind === 'role'
              ? `in instance profile ${s.owner}`
              : `in ${s.owner}`,
    );
  if (s.lastUsedAt) head.push(`last used ${readableTime(s.lastUsedAt)}${s.lastUsedWhere ? ` (${s.lastUsedWhere})` : ''}`);
  if (s.createdInWindow) head.push('created during the activity');
  if (s.publicIp) head.push(`public IP ${s.publicIp}`);
  return [...head, ...s.facts];
}
