import type { Finding } from '../finding.ts';
import { type SubjectState, stateOf } from './current-state.ts';
import { POLICY_CHANGES } from './attack.ts';
import { ACCESS_KEY_ID } from './identifiers.ts';
import type { Subject } from './subjects.ts';
import { suspectKeys } from './suspect-keys.ts';
import type { CreatedIdentity } from './created-identity.ts';
import { type TimelineEntry, byAwsService } from './timeline.ts';
import { readableTime } from './words.ts';

/**
 * What to do next, for what is still so: a key is to be deactivated only while it is
 * active (or nobody could tell), something created during the activity only while it
 * still exists, an instance only if it is still there. Each recommendation names the
 * subject and the API that fits it — a root key is deleted from the root user's security
 * credentials, not with UpdateAccessKey; a role's sessions are revoked, not "deactivated".
 * Whatever AWS services did in the window (Auto Scaling launching instances, service-linked
 * roles) is not the intruder's and is left out.
 */
export interface RecommendationInput {
  finding: Finding;
  timeline: TimelineEntry[];
  created: CreatedIdentity[];
  states: SubjectState[];
  subjects: Subject[];
}

const ok = (e: TimelineEntry) => e.errorCode === null;

/** Still there, or nobody could tell: worth acting on. */
const stillThere = (s: SubjectState | undefined) => s?.exists !== false;

/** S3 calls that can open a bucket to the public or other accounts, and what undoes each. */
const S3_EXPOSURES: Record<string, string> = {
  DeletePublicAccessBlock: 'restore its Block Public Access settings',
  DeleteBucketPublicAccessBlock: 'restore its Block Public Access settings',
  PutBucketPolicy: 'remove bucket-policy statements that grant public or outside access',
  PutBucketAcl: 'remove ACL grants to everyone or to other accounts',
};

/**
 * Where the investigated credentials were used from, apart from their own instance and
 * AWS's services: the finding's caller, and every address the subject keys and users
 * called from. A key from elsewhere that shows up at one of these was likely taken too.
 */
function keyRecommendations(input: RecommendationInput): string[] {
  const { states, subjects, timeline } = input;
  const out: string[] = [];
  const keys = new Map<string, Subject | undefined>();
  for (const s of subjects.filter((x) => x.kind === 'accessKey')) keys.set(s.id, s);
  // Long-term keys the activity used (not those of AWS services acting for someone).
  // Keys the activity made itself are deleted (below), not deactivated.
  const made = new Set(input.created.filter((c) => c.kind === 'access-key').map((c) => c.name));
  // Another long-term key is only suspect when it called from where the investigated credentials were misused.
  const sharedIp = new Map(suspectKeys(subjects, timeline, states, made).map((k) => [k.accessKeyId, k]));
  for (const id of sharedIp.keys()) keys.set(id, undefined);
  const rootKeys: string[] = [];
  const toDeactivate: string[] = [];
  const gone: string[] = [];
  for (const [id, subject] of keys) {
    if (!ACCESS_KEY_ID.test(id) || id.startsWith('ASIA')) continue;
    if (subject?.principalType === 'Root' || isRootKey(id, timeline) || timeline.some((e) => e.accessKeyId === id && e.actorType === 'Root')) {
      rootKeys.push(id);
      continue;
    }
    const state = stateOf(states, 'accessKey', id);
    if (state?.exists === false) gone.push(id);
    else if (state?.status !== 'Inactive') {
      const shared = sharedIp.get(id);
      const owner = state?.owner ?? subject?.principal ?? shared?.user;
      const why = [...(owner ? [`user ${owner}`] : []), ...(shared ? [`used from ${shared.sourceIp} like the investigated credentials`] : [])];
      toDeactivate.push(`${id}${why.length ? ` (${why.join(', ')})` : ''}`);
    }
  }
  if (toDeactivate.length)
    out.push(`Deactivate the access key(s) ${toDeactivate.join(', ')} now (UpdateAccessKey Inactive), then delete them once nothing legitimate uses them.`);
  const inactive = [...keys.keys()].filter((id) => stateOf(states, 'accessKey', id)?.status === 'Inactive');
  if (inactive.length) out.push(`Delete the access key(s) ${inactive.join(', ')} (already inactive) once you have confirmed nothing legitimate needs them.`);
  if (rootKeys.length || subjects.some((s) => s.kind === 'root')) {
    out.push(
      `Have the account owner sign in as root and, under the root user's Security credentials, delete any root access keys${rootKeys.length ? ` (${rootKeys.join(', ')})` : ''}, rotate the root password and check its MFA: root keys are not IAM user keys, so UpdateAccessKey cannot touch them.`,
    );
  }
  if (gone.length)
    out.push(`Access key(s) ${gone.join(', ')} no longer exist: nothing to deactivate; look for keys created since (CreateAccessKey in the timeline).`);
  return out;
}

/**
 * Instance role sessions (named after their instance) the timeline shows calling from
 * somewhere other than the instance itself: its credentials were taken and used elsewhere.
 */
function instanceSessionsUsedElsewhere(timeline: TimelineEntry[], states: SubjectState[]): Map<string, { session: string; ips: Set<string> }> {
  const out = new Map<string, { session: string; ips: Set<string> }>();
  for (const e of timeline) {
    const m = /:assumed-role\/([^/]+)\/(i-[0-9a-f]{8,17})$/.exec(e.actor ?? '');
    if (!m || !e.sourceIp || byAwsService(e)) continue;
    const [, role, session] = m as unknown as [string, string, string];
    const home = stateOf(states, 'instance', session)?.publicIp;
    if (home && home === e.sourceIp) continue;
    const entry = out.get(role) ?? { session, ips: new Set<string>() };
    entry.ips.add(e.sourceIp);
    out.set(role, entry);
  }
  return out;
}

function roleAndInstanceRecommendations(input: RecommendationInput): string[] {
  const { states, subjects, timeline } = input;
  const out: string[] = [];
  const roles = new Map<string, string>();
  for (const s of subjects.filter(
    (x) => x.kind === 'role' && (x.sessionName || subjects.some((k) => k.kind === 'accessKey' && k.principal === x.id && k.principalType === 'AssumedRole')),
  )) {
    roles.set(s.id, `the credentials used${s.sessionName ? ` (session ${s.sessionName})` : ''} stay valid until they expire otherwise`);
  }
  for (const [role, used] of instanceSessionsUsedElsewhere(timeline, states)) {
    if (!roles.has(role))
      roles.set(
        role,
        `its instance credentials (session ${used.session}) were used from ${[...used.ips].join(', ')}, and stay valid until they expire otherwise`,
      );
  }
  for (const [role, why] of roles) {
    if (!stillThere(stateOf(states, 'role', role))) continue;
    out.push(`Revoke role ${role}'s active sessions (an inline deny on aws:TokenIssueTime before now): ${why}.`);
  }
  // IMDSv2 where role credentials can be read through the instance: the instance whose role session
  // was used elsewhere, and instances the finding names — not those launched by the activity (they go).
  const launched = new Set(input.created.filter((c) => c.kind === 'instance').map((c) => c.name));
  const candidates = new Map<string, boolean>();
  for (const s of subjects.filter((x) => x.kind === 'instance' && !launched.has(x.id))) candidates.set(s.id, s.via === 'role-session');
  for (const used of instanceSessionsUsedElsewhere(timeline, states).values()) if (!launched.has(used.session)) candidates.set(used.session, true);
  for (const [id, credentialsTaken] of candidates) {
    const state = stateOf(states, 'instance', id);
    if (!stillThere(state) || state?.status === 'terminated') continue;
    if (state?.metadataTokens === 'optional' || (credentialsTaken && state?.metadataTokens !== 'required')) {
      out.push(
        `Require IMDSv2 on instance ${id} (ModifyInstanceMetadataOptions HttpTokens=required): IMDSv1 lets a request forged through the instance read its role credentials.`,
      );
    }
  }
  return out;
}

/** A key root made for itself (CreateAccessKey by root naming no user): only root can delete it. */
function isRootKey(key: string, timeline: TimelineEntry[]): boolean {
  return timeline.some(
    (e) => e.action === 'CreateAccessKey' && e.actorType === 'Root' && e.resources.includes(key) && e.resources.every((r) => r === key || r.startsWith('arn:')),
  );
}

function createdRecommendations(input: RecommendationInput): string[] {
  const { created, states, timeline } = input;
  const out: string[] = [];
  const byService = new Set(timeline.filter(byAwsService).flatMap((e) => e.resources));
  const alive = (kind: SubjectState['kind'], name: string) => stillThere(stateOf(states, kind, name));
  // Root's own keys are in the root recommendation: UpdateAccessKey and DeleteAccessKey as an IAM user cannot reach them.
  const keys = created.filter((c) => c.kind === 'access-key' && alive('accessKey', c.name) && !isRootKey(c.name, timeline)).map((c) => c.name);
  const users = created.filter((c) => c.kind === 'user' && alive('iamUser', c.name)).map((c) => c.name);
  const roles = created.filter((c) => c.kind === 'role' && alive('role', c.name)).map((c) => c.name);
  const instances = created.filter((c) => c.kind === 'instance' && !byService.has(c.name) && alive('instance', c.name)).map((c) => c.name);
  if (keys.length) out.push(`Delete the access key(s) created during the activity: ${keys.join(', ')}.`);
  if (users.length) out.push(`Remove the IAM user(s) created during the activity, after preserving evidence: ${users.join(', ')}.`);
  if (roles.length) out.push(`Remove the IAM role(s) created during the activity: ${roles.join(', ')}.`);
  if (instances.length) out.push(`Snapshot, then terminate, the instance(s) launched during the activity: ${instances.join(', ')}.`);
  return out;
}

/**
 * Per bucket: who opened it, when, and how to close it again, from the calls that
 * succeeded and the bucket as it is now: a grant to a named outside account is said as
 * such (Block Public Access does not stop it), and a bucket S3 now calls neither public nor
 * shared outside the account needs nothing undone.
 */
function s3Recommendations(timeline: TimelineEntry[], states: SubjectState[]): string[] {
  const byBucket = new Map<string, { fixes: Set<string>; who: Set<string>; first: string }>();
  for (const e of timeline) {
    const fix = S3_EXPOSURES[e.action];
    if (!fix || !ok(e)) continue;
    const bucket = e.resources.find((r) => !r.startsWith('arn:')) ?? e.resources[0];
    if (!bucket) continue;
    const b = byBucket.get(bucket) ?? { fixes: new Set<string>(), who: new Set<string>(), first: e.time };
    b.fixes.add(fix);
    if (e.actor) b.who.add(e.actor);
    byBucket.set(bucket, b);
  }
  const out: string[] = [];
  for (const [bucket, b] of byBucket) {
    const state = stateOf(states, 'bucket', bucket);
    if (state?.exists === false) continue;
    const granted = state?.facts.find((f) => f.startsWith('policy grants other account(s) '))?.slice('policy grants other account(s) '.length);
    if (
      state?.exists &&
      state.status === 'not public' &&
      !granted &&
      !state.facts.some((f) => f.startsWith('Block Public Access off') || f === 'no bucket-level Block Public Access')
    )
      continue;
    const fixes = [...b.fixes].map((f) =>
      granted && f.startsWith('remove bucket-policy') ? `remove the bucket-policy grant to account(s) ${granted}, which Block Public Access does not stop` : f,
    );
    out.push(
      `Bucket ${bucket}: ${fixes.join(', and ')} (changed from ${readableTime(b.first)} by ${[...b.who].join(', ') || 'an unknown principal'}); then fix what made the change, or its next run undoes yours.`,
    );
  }
  return out;
}

/** What each logging or detection change turned off, in words, by the call that did it. */
const TURNED_OFF: Record<string, string> = {
  StopLogging: 'CloudTrail logging',
  DeleteTrail: 'the deleted CloudTrail trail',
  UpdateTrail: "the trail's settings",
  PutEventSelectors: "the trail's event selectors",
  DeleteDetector: 'GuardDuty',
  UpdateDetector: "GuardDuty's detector settings",
  DeleteMembers: 'GuardDuty or Security Hub member accounts',
  DisassociateFromMasterAccount: 'the GuardDuty or Security Hub administrator link',
  DisassociateFromAdministratorAccount: 'the GuardDuty or Security Hub administrator link',
  DisableSecurityHub: 'Security Hub',
  BatchDisableStandards: "Security Hub's standards",
  DeleteFlowLogs: 'the deleted VPC flow logs',
  StopConfigurationRecorder: 'the AWS Config recorder',
  DeleteConfigurationRecorder: 'the AWS Config recorder',
  DeleteDeliveryChannel: "AWS Config's delivery channel",
  DeleteConfigRule: 'the deleted AWS Config rules',
  DeleteLogGroup: 'the deleted CloudWatch log groups, whose events are gone',
  DeleteLogStream: 'the deleted CloudWatch log streams, whose events are gone',
};

/**
 * Turn back on exactly what the activity turned off: a bucket's server access logging
 * (while the bucket says it is still off), a trail, a detector… rather than a list of
 * every logging service.
 */
function loggingRecommendations(timeline: TimelineEntry[], states: SubjectState[]): string[] {
  const what = new Map<string, string>();
  for (const e of timeline) {
    if (!ok(e) || byAwsService(e) || !e.tactics.includes('Defense Evasion')) continue;
    if (e.action === 'PutBucketLogging') {
      const bucket = e.resources.find((r) => !r.startsWith('arn:'));
      const state = bucket ? stateOf(states, 'bucket', bucket) : undefined;
      // Only while the bucket itself says logging is off (or nobody could tell): turning it on is a PutBucketLogging too.
      if (!bucket || state?.exists === false || state?.facts.some((f) => f.startsWith('server access logging to '))) continue;
      what.set(`s3:${bucket}`, `S3 server access logging on bucket ${bucket} (PutBucketLogging at ${readableTime(e.time)})`);
      continue;
    }
    const thing = TURNED_OFF[e.action];
    if (thing) what.set(e.action, `${thing} (${e.action} at ${readableTime(e.time)})`);
  }
  if (what.size === 0) return [];
  return [`Turn back on what the activity turned off: ${[...what.values()].join('; ')}; then check what happened while it was off.`];
}

export function recommendationsFor(input: RecommendationInput): string[] {
  const { timeline } = input;
  const recs = [...keyRecommendations(input), ...roleAndInstanceRecommendations(input), ...createdRecommendations(input)];
  const policy = timeline.filter((e) => ok(e) && POLICY_CHANGES.has(e.action) && !byAwsService(e));
  if (policy.length)
    recs.push(`Revert the ${policy.length} policy change(s) made during the activity (${[...new Set(policy.map((p) => p.action))].join(', ')}).`);
  recs.push(...s3Recommendations(timeline, input.states), ...loggingRecommendations(timeline, input.states));
  if (recs.length > 0 && input.subjects.some((s) => s.kind === 'accessKey' || s.kind === 'iamUser'))
    recs.push("Review the other IAM users' access keys and recent activity in the affected account(s).");
  return [...new Set(recs)];
}
