import { IDENTITY_CREATIONS } from '../domain/investigation/attack.ts';
import type { LimitingFactor } from '../domain/investigation/limiting.ts';
import { type Answers, type Playbook, playbookFor, prefill } from '../domain/investigation/playbooks.ts';
import { type SearchedAnswers, type StoredAnswers, searchedAnswers } from '../domain/investigation/answer-book.ts';

const NOTHING_ELSE: SearchedAnswers['also'] = { accessKeyIds: [], principals: [], instanceIds: [] };
import { createdIdentities, summarize, type InvestigationSummary } from '../domain/investigation/summary.ts';
import { buildTimeline, type TimelineEntry } from '../domain/investigation/timeline.ts';
import { investigationWindow, type InvestigationWindow } from '../domain/investigation/window.ts';
import type { Finding } from '../domain/finding.ts';
import type { Collector, CollectorProgress, EvidenceScope } from '../evidence/collector.ts';

export interface InvestigationResult {
  findingId: string;
  playbook: Playbook['id'];
  answers: Answers;
  window: InvestigationWindow;
  summary: InvestigationSummary;
  timeline: TimelineEntry[];
  limitingFactors: LimitingFactor[];
}

/** Account-wide calls worth finding whoever made them: new identities, policy changes, logging turned off. */
const WATCHED_EVENTS = [
  ...IDENTITY_CREATIONS,
  'AttachUserPolicy',
  'PutUserPolicy',
  'AttachRolePolicy',
  'PutRolePolicy',
  'CreatePolicyVersion',
  'UpdateAssumeRolePolicy',
  'StopLogging',
  'DeleteTrail',
  'DeleteDetector',
  'RunInstances',
];

/** Sources of events; the others describe the current state of what the events touched. */
const EVENT_SOURCES = new Set<string>(['cloudtrail', 'findings', 'guardduty', 'securityhub']);

/** `arn:aws:iam::1:user/path/alice` → `alice`; a plain name stays as it is. */
function nameOf(principal: string): string {
  const name = principal.includes('/') ? (principal.split('/').pop() as string) : principal;
  // GuardDuty says "Root"; CloudTrail names the root user's events "root".
  return name.toLowerCase() === 'root' ? 'root' : name;
}

/** `also`: identifiers people gave that differ from the kept answers: searched as well (domain/investigation/answer-book.ts). */
export function scopeFor(finding: Finding, answers: Answers, window: InvestigationWindow, playbook: Playbook, also: SearchedAnswers['also'] = NOTHING_ELSE): EvidenceScope {
  const keys = new Set<string>();
  for (const key of [answers.accessKeyId, ...also.accessKeyIds]) if (key) keys.add(key);
  const users = new Set<string>();
  for (const principal of [answers.principal, ...also.principals]) if (principal) users.add(nameOf(principal));
  const resources = new Set<string>();
  for (const instance of [answers.instanceId, ...also.instanceIds]) if (instance) resources.add(instance);
  for (const r of finding.resources) {
    if (r.type === 'AwsEc2Instance' || r.type === 'AwsS3Bucket' || r.type === 'AwsIamRole') resources.add(nameOf(r.id.replace(/^arn:aws:s3:::/, '')));
  }
  return {
    accountId: answers.accountId ?? finding.accountId,
    region: finding.region,
    window,
    accessKeyIds: [...keys],
    usernames: [...users],
    resourceNames: [...resources],
    eventNames: playbook.id === 'generic' ? [] : WATCHED_EVENTS,
  };
}

/**
 * Runs a finding's playbook: fills what the finding answers, sets the window, runs
 * every available collector in parallel, merges one timeline and summarizes. A
 * collector that fails, or is not available, becomes a limiting factor.
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
  const { window, limitingFactors } = investigationWindow(finding, answers, playbook, now);
  const scope = scopeFor(finding, answers, window, playbook, also);
  const wanted = collectors.filter((c) => playbook.collectors.includes(c.id));
  const missing = playbook.collectors.filter((id) => !collectors.some((c) => c.id === id));
  for (const id of missing) limitingFactors.push({ source: id, reason: 'not-configured', detail: `no ${id} collector in this runtime` });
  const items: TimelineEntry[] = [];
  const run = async (batch: Collector[], batchScope: EvidenceScope) => {
    const settled = await Promise.allSettled(batch.map((c) => c.collect(batchScope, onProgress)));
    settled.forEach((s, i) => {
      if (s.status === 'fulfilled') {
        items.push(...s.value.items);
        limitingFactors.push(...s.value.limitingFactors);
      } else {
        limitingFactors.push({ source: batch[i]?.id ?? 'unknown', reason: 'failed', detail: String((s.reason as Error)?.message ?? s.reason) });
      }
    });
  };
  // Activity first; then the current state of what that activity created.
  await run(wanted.filter((c) => EVENT_SOURCES.has(c.id)), scope);
  const created = createdIdentities(buildTimeline(items));
  const pick = (kind: string) => created.filter((c) => c.kind === kind).map((c) => c.name);
  // Instances launched or touched in the window: any instance id the events name.
  const touched = items.flatMap((e) => e.resources.filter((r) => /^i-[0-9a-f]{8,17}$/.test(r)));
  // Users and roles whose policies changed in the window, named first in those events.
  const changed = (suffix: string) =>
    items
      .filter((e) => e.errorCode === null && /^(Attach|Put|Detach|Delete)/.test(e.action) && e.action.endsWith(suffix))
      .map((e) => e.resources[0])
      .filter((r): r is string => !!r && !r.startsWith('arn:'));
  await run(wanted.filter((c) => !EVENT_SOURCES.has(c.id)), {
    ...scope,
    created: { users: pick('user'), roles: pick('role'), accessKeys: pick('access-key'), instances: pick('instance') },
    touched: { users: changed('UserPolicy'), roles: changed('RolePolicy'), instances: touched },
  });
  // The finding under investigation is not evidence about itself.
  const evidence = items.filter((e) => e.id !== `finding:${finding.id}`);
  // State (IAM users and keys as they are now, failing controls) is reported apart from what happened.
  const isEvent = (e: TimelineEntry) => EVENT_SOURCES.has(e.source) && !(e.source === 'securityhub' && e.tactics.length === 0);
  // A finding first seen before the window enters the timeline where the window starts.
  const clamp = (e: TimelineEntry) => (e.source !== 'cloudtrail' && e.time < window.start ? { ...e, time: window.start } : e);
  const timeline = buildTimeline(evidence.filter(isEvent).map(clamp));
  const state = evidence.filter((e) => !isEvent(e));
  const related = timeline
    .filter((e) => e.source === 'guardduty' || e.source === 'securityhub')
    .map((e) => ({
      id: e.id.slice('finding:'.length),
      title: (e.highlights.find((h) => h.startsWith('finding: ')) ?? e.action).replace(/^finding: /, ''),
      severity: (e.highlights.find((h) => h.startsWith('severity ')) ?? '').replace('severity ', ''),
    }));
  const summary = summarize(finding, timeline, limitingFactors, playbook.containment, related, state);
  return { findingId: finding.id, playbook: playbook.id, answers, window, summary, timeline, limitingFactors };
}
