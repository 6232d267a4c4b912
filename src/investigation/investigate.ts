import type { SubjectState } from '../domain/investigation/current-state.ts';
import type { LimitingFactor } from '../domain/investigation/limiting.ts';
import { type Answers, type Playbook, playbookFor, prefill } from '../domain/investigation/playbooks.ts';
import { type SearchedAnswers, type StoredAnswers, searchedAnswers } from '../domain/investigation/answer-book.ts';
import type { Searched } from '../domain/investigation/searched.ts';
import { type Subject, subjectsOf } from '../domain/investigation/subjects.ts';
import { readIdentifier } from '../domain/investigation/identifiers.ts';
import { createdIdentities, summarize, type InvestigationSummary } from '../domain/investigation/summary.ts';
import { buildTimeline, type TimelineEntry } from '../domain/investigation/timeline.ts';
import { investigationWindow, type InvestigationWindow } from '../domain/investigation/window.ts';
import { historyStart } from '../domain/investigation/archive-query.ts';
import type { Finding } from '../domain/finding.ts';
import type { Collector, CollectorProgress, CollectorResult, EvidenceScope } from '../ports/collector.ts';

const NOTHING_ELSE: SearchedAnswers['also'] = { accessKeyIds: [], principals: [], instanceIds: [] };

export interface InvestigationResult {
  findingId: string;
  playbook: Playbook['id'];
  answers: Answers;
  /** What the investigation is about, typed (from the finding, then the answers). */
  subjects: Subject[];
  window: InvestigationWindow;
  summary: InvestigationSummary;
  timeline: TimelineEntry[];
  /** How the subjects and what the activity touched are now. */
  states: SubjectState[];
  /** Every look the collectors made, with what each found. */
  searched: Searched[];
  limitingFactors: LimitingFactor[];
}

/** Why an instance's or address's traffic is not in the timeline when Security Lake is not configured. */
const NETWORK_NEEDS_SECURITY_LAKE =
  'network evidence (VPC flow logs, Route 53 resolver queries) needs Security Lake: set SIRBOT_SECURITY_LAKE_DATABASE to search the traffic of the instances and addresses in play';

/** Sources of events; the others describe the current state of what the events touched. */
const EVENT_SOURCES = new Set<string>(['cloudtrail', 'archive', 'findings', 'guardduty', 'securityhub']);

/**
 * The subjects of the investigation: the finding's, then what people answered (a key, a
 * principal, an instance — kept or disputed), each read the same way as the finding's
 * identifiers, so an answer `arn:aws:iam::…:role/x` is a role and `AKIA…` a key.
 */
export function subjectsFor(finding: Finding, answers: Answers, also: SearchedAnswers['also'] = NOTHING_ELSE): Subject[] {
  const subjects = subjectsOf(finding);
  const has = (kind: Subject['kind'], id: string) => subjects.some((s) => s.kind === kind && s.id === id);
  const add = (text: string | undefined, hint: string) => {
    const named = readIdentifier(text, hint);
    if (named && !has(named.kind, named.id))
      subjects.push({ ...named, ...(named.kind === 'ip' || named.kind === 'bucket' ? {} : { accountId: answers.accountId ?? finding.accountId }) } as Subject);
  };
  const principal = answers.principal;
  for (const key of [answers.accessKeyId, ...also.accessKeyIds]) {
    const named = readIdentifier(key, 'AwsIamAccessKey');
    if (named && !has('accessKey', named.id))
      subjects.push({
        kind: 'accessKey',
        id: named.id,
        accountId: answers.accountId ?? finding.accountId,
        ...(principal && !principal.startsWith('arn:') ? { principal } : {}),
      });
  }
  const principalKinds = new Set<Subject['kind']>(['iamUser', 'role', 'federatedUser']);
  for (const p of [principal, ...also.principals]) {
    if (!p || p === 'unknown') continue;
    // A name the finding already gives a kind (a role whose session was used) is not also taken for a user.
    if (subjects.some((s) => principalKinds.has(s.kind) && s.id === p)) continue;
    if (p.toLowerCase() === 'root') {
      if (!has('root', answers.accountId ?? finding.accountId))
        subjects.push({ kind: 'root', id: answers.accountId ?? finding.accountId, accountId: answers.accountId ?? finding.accountId });
      continue;
    }
    add(p, p.startsWith('arn:') ? '' : 'AwsIamUser');
  }
  for (const instance of [answers.instanceId, ...also.instanceIds]) add(instance, 'AwsEc2Instance');
  return subjects;
}

/**
 * Where and what the collectors look for, from the subjects of the kinds the playbook
 * searches by (and what people answered), and the calls it watches account-wide.
 */
export function scopeFor(finding: Finding, answers: Answers, window: InvestigationWindow, playbook: Playbook, all: Subject[]): EvidenceScope {
  const searchBy = new Set(playbook.searchBy);
  const subjects = all.filter((s) => searchBy.has(s.kind));
  const ids = (kind: Subject['kind']) => subjects.filter((s) => s.kind === kind).map((s) => s.id);
  const roles = subjects.filter((s) => s.kind === 'role');
  // CloudTrail's event history names an IAM user's events by the user, root's by `root`, and an assumed role's by its session.
  const usernames = new Set<string>([
    ...ids('iamUser'),
    ...(ids('root').length > 0 ? ['root'] : []),
    ...roles.map((r) => r.sessionName).filter((s): s is string => !!s),
  ]);
  // CloudTrail's ResourceName lookup finds calls naming an instance, bucket, role, cluster, database or function.
  const resources = new Set<string>([
    ...ids('instance'),
    ...ids('bucket'),
    ...roles.map((r) => r.id),
    ...ids('eksCluster'),
    ...ids('ecsCluster'),
    ...ids('rdsInstance'),
    ...ids('lambdaFunction'),
  ]);
  return {
    accountId: answers.accountId ?? finding.accountId,
    region: finding.region,
    window,
    accessKeyIds: ids('accessKey'),
    usernames: [...usernames],
    roleNames: roles.map((r) => r.id),
    // Current-state collectors describe every subject, searched by or not.
    subjects: all,
    resourceNames: [...resources],
    eventNames: playbook.watchedEvents,
    instanceEvents: playbook.instanceEvents,
  };
}

/** Buckets whose policy, ACL, access block or logging a successful call in the window changed. */
function changedBuckets(items: TimelineEntry[]): string[] {
  const changes = /^(Put|Delete)(Bucket(Policy|Acl|Logging|Replication)|PublicAccessBlock|BucketPublicAccessBlock)$/;
  return [
    ...new Set(
      items
        .filter((e) => e.errorCode === null && e.service === 's3.amazonaws.com' && changes.test(e.action))
        .map((e) => e.resources.find((r) => !r.startsWith('arn:')))
        .filter((b): b is string => !!b),
    ),
  ];
}

/**
 * Runs a finding's playbook: fills what the finding answers, sets the window, runs
 * every available collector in parallel (what happened first, then how the subjects and
 * what the activity created are now), merges one timeline and summarizes. A collector
 * that fails, or is not available, becomes a limiting factor.
 */
export async function investigate(
  finding: Finding,
  given: StoredAnswers,
  collectors: Collector[],
  now: number,
  onProgress?: (p: CollectorProgress) => void,
): Promise<InvestigationResult> {
  const playbook = playbookFor(finding);
  // Disputed answers widen the search (earliest exposure, every key, user and instance named); they never narrow it.
  const { answers, also } = searchedAnswers({ ...prefill(finding), ...given });
  // The trail's long-term store goes wherever event history does: it answers what event history cannot.
  const wanted = collectors.filter((c) => playbook.collectors.includes(c.id) || (c.id === 'archive' && playbook.collectors.includes('cloudtrail')));
  const archive = wanted.some((c) => c.id === 'archive');
  const { window, limitingFactors } = investigationWindow(finding, answers, playbook, now, { archive });
  const subjects = subjectsFor(finding, answers, also);
  const historyFrom = new Date(historyStart(now)).toISOString();
  const scope = { ...scopeFor(finding, answers, window, playbook, subjects), ...(archive ? { eventHistoryFrom: historyFrom } : {}) };
  // Event history answers for its own 90 days; the archive collector for what is older.
  const atLeast = (iso: string) => new Date(Math.max(Date.parse(iso), historyStart(now))).toISOString();
  const historyWindow = { start: atLeast(window.start), end: atLeast(window.end) };
  const scopeOf = (c: Collector, s: EvidenceScope) => (c.id === 'cloudtrail' && archive ? { ...s, window: historyWindow } : s);
  const missing = playbook.collectors.filter((id) => !collectors.some((c) => c.id === id));
  for (const id of missing)
    limitingFactors.push({
      source: id,
      reason: 'not-configured',
      detail: id === 'network' ? NETWORK_NEEDS_SECURITY_LAKE : `no ${id} collector in this runtime`,
    });
  const results: CollectorResult[] = [];
  const run = async (batch: Collector[], batchScope: EvidenceScope) => {
    const settled = await Promise.allSettled(batch.map((c) => c.collect(scopeOf(c, batchScope), onProgress)));
    settled.forEach((s, i) => {
      if (s.status === 'fulfilled') results.push(s.value);
      else limitingFactors.push({ source: batch[i]?.id ?? 'unknown', reason: 'failed', detail: String((s.reason as Error)?.message ?? s.reason) });
    });
  };
  // Activity first; then the current state of what that activity created or changed.
  await run(
    wanted.filter((c) => EVENT_SOURCES.has(c.id)),
    scope,
  );
  const items = results.flatMap((r) => r.items);
  const created = createdIdentities(buildTimeline(items));
  const pick = (kind: string) => created.filter((c) => c.kind === kind).map((c) => c.name);
  // Instances launched or touched in the window: any instance id the events name, and the region those events were in.
  const isInstance = (r: string) => /^i-[0-9a-f]{8,17}$/.test(r);
  const touched = items.flatMap((e) => e.resources.filter(isInstance));
  const instanceRegions: Record<string, string> = {};
  for (const e of items)
    if (e.source === 'cloudtrail' && e.region && e.region !== scope.region) for (const r of e.resources.filter(isInstance)) instanceRegions[r] ??= e.region;
  // Users and roles whose policies changed in the window, named first in those events.
  const changed = (suffix: string) =>
    items
      .filter((e) => e.errorCode === null && /^(Attach|Put|Detach|Delete)/.test(e.action) && e.action.endsWith(suffix))
      .map((e) => e.resources[0])
      .filter((r): r is string => !!r && !r.startsWith('arn:'));
  await run(
    wanted.filter((c) => !EVENT_SOURCES.has(c.id)),
    {
      ...scope,
      created: { users: pick('user'), roles: pick('role'), accessKeys: pick('access-key'), instances: pick('instance') },
      touched: { users: changed('UserPolicy'), roles: changed('RolePolicy'), instances: touched, buckets: changedBuckets(items) },
      instanceRegions,
    },
  );
  for (const r of results) limitingFactors.push(...r.limitingFactors);
  // The finding under investigation is not evidence about itself, whether GuardDuty names it by id or Security Hub by its ARN.
  const itself = new Set([`finding:${finding.id}`, `finding:${finding.id.split('/').pop()}`]);
  const evidence = results.flatMap((r) => r.items).filter((e) => !itself.has(e.id) && !itself.has(`finding:${e.id.split('/').pop()}`));
  // Failing controls without a tactic describe a configuration, not an event.
  const isEvent = (e: TimelineEntry) => !(e.source === 'securityhub' && e.tactics.length === 0);
  // A finding first seen before the window enters the timeline where the window starts.
  const clamp = (e: TimelineEntry) => (e.source !== 'cloudtrail' && e.time < window.start ? { ...e, time: window.start } : e);
  const timeline = buildTimeline(evidence.filter(isEvent).map(clamp));
  const states = results.flatMap((r) => r.states);
  const searched = results.flatMap((r) => r.searched);
  // Other findings on the same subjects: those in the timeline, and failing controls (a configuration, not an event).
  const related = [...timeline.filter((e) => e.source === 'guardduty' || e.source === 'securityhub'), ...evidence.filter((e) => !isEvent(e))].map((e) => {
    const title = (e.highlights.find((h) => h.startsWith('finding: ')) ?? e.action).replace(/^finding: /, '');
    // A failing control is known by its id (S3.2): say it first when its title does not.
    const control = e.action.startsWith('control ') ? e.action.slice('control '.length) : null;
    return {
      id: e.id.slice('finding:'.length),
      title: control && !title.startsWith(control) ? `${control} ${title}` : title,
      severity: (e.highlights.find((h) => h.startsWith('severity ')) ?? '').replace('severity ', ''),
    };
  });
  const summary = summarize({
    finding,
    timeline,
    limitingFactors,
    containment: playbook.containment,
    relatedFindings: related,
    states,
    subjects,
    searched,
    window,
    playbook: playbook.id,
    archive: wanted.find((c) => c.id === 'archive') ? (searched.find((s) => s.via)?.via ?? 'archive') : null,
    regionCoverage: results.flatMap((r) => (r.regionCoverage ? [r.regionCoverage] : [])),
    costSpikes: results.flatMap((r) => r.costSpikes ?? []),
  });
  // The summary adds what an empty search could not see (other regions, older events, data events).
  return {
    findingId: finding.id,
    playbook: playbook.id,
    answers,
    subjects,
    window,
    summary,
    timeline,
    states,
    searched,
    limitingFactors: summary.limitingFactors,
  };
}
