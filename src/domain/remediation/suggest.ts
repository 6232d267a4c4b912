import type { Finding } from '../finding.ts';
import { type SubjectState, stateOf } from '../investigation/current-state.ts';
import type { Subject } from '../investigation/subjects.ts';
import { suspectKeys } from '../investigation/suspect-keys.ts';
import { type TimelineEntry, byAwsService } from '../investigation/timeline.ts';
import { ACCESS_KEY, BUCKET, INSTANCE, POLICY_ARN, ROLE, USER } from './calls.ts';
import type { RemediationChoice } from './catalog.ts';

/** A remediation offered in a thread, with its inputs already filled from the evidence. */
export interface Suggestion extends RemediationChoice {
  /** Short button label: what and on what. */
  label: string;
}

const MAX_SUGGESTIONS = 12;
/** Temporary credentials (STS): nothing IAM can deactivate or delete. */
const TEMPORARY_KEY = /^ASIA/;
/** Roles IAM will not take a policy on: service-linked ones, and IAM Identity Center's (revoked there). */
const UNREVOCABLE_ROLE = /^(AWSServiceRoleFor|AWSReservedSSO_)/;
/** Instances that are going or gone: nothing to snapshot, contain or reconfigure. */
const GONE = new Set(['shutting-down', 'terminated']);

/** What the current state says is no longer there (the API answered so), or is being terminated. */
function gone(state: SubjectState | undefined): boolean {
  return state?.exists === false || (state?.status !== undefined && GONE.has(state.status));
}

/**
 * The IAM user whose long-term key this is, or null: a root key is the root user's
 * (deleted from its security credentials, not through IAM), and temporary keys
 * (assumed roles, federation) are stopped by revoking their sessions instead.
 */
function keyUser(key: Subject, state: SubjectState | undefined): string | null {
  if (TEMPORARY_KEY.test(key.id)) return null;
  if (key.principalType !== undefined && key.principalType !== 'IAMUser') return null;
  const user = key.principal ?? state?.owner;
  return user && USER.test(user) && user.toLowerCase() !== 'root' ? user : null;
}

/** The roles whose sessions the finding is about: named with a session, or holding one of its keys. */
function rolesWithSessions(subjects: readonly Subject[]): Subject[] {
  const holders = new Set(
    subjects
      .filter((s) => s.kind === 'accessKey' && (s.principalType === 'AssumedRole' || s.principalType === 'Role') && s.principal)
      .map((s) => s.principal as string),
  );
  return subjects.filter((s) => s.kind === 'role' && (s.sessionName !== undefined || s.principalId !== undefined || holders.has(s.id)));
}

/**
 * What to offer once a finding is investigated, from its subjects and what the current
 * state says of them: deactivate the IAM user keys it is about, revoke the sessions of
 * the roles whose credentials it is about, require IMDSv2 on the instance a role session
 * names and on the instances it names; delete keys created and detach policies attached
 * during the activity; snapshot, then quarantine, the instances it names or that were
 * launched; block public access on its buckets. Nothing for what no longer exists or
 * was already done, for root keys, or for what AWS services did in the window.
 */
export function suggestRemediations(
  finding: Finding,
  subjects: readonly Subject[],
  timeline: readonly TimelineEntry[],
  states: readonly SubjectState[],
): Suggestion[] {
  const out: Suggestion[] = [];
  const add = (s: Suggestion) => {
    if (!out.some((o) => o.remediationId === s.remediationId && JSON.stringify(o.inputs) === JSON.stringify(s.inputs))) out.push(s);
  };
  const accountOf = (s: { accountId?: string | null }) => s.accountId ?? finding.accountId;
  const ofKind = (kind: Subject['kind']) => subjects.filter((s) => s.kind === kind);
  const instances = ofKind('instance').filter((s) => INSTANCE.test(s.id) && !gone(stateOf(states, 'instance', s.id)));
  const where = (s: Subject) => ({ account: accountOf(s), region: s.region ?? finding.region });
  const requireTokens = (s: Subject) => {
    if (stateOf(states, 'instance', s.id)?.metadataTokens !== 'required')
      add({ remediationId: 'enforce-imdsv2', inputs: { ...where(s), instanceId: s.id }, label: `Enforce IMDSv2 ${s.id}` });
  };

  for (const key of ofKind('accessKey').filter((s) => ACCESS_KEY.test(s.id))) {
    const state = stateOf(states, 'accessKey', key.id);
    const user = keyUser(key, state);
    if (user && !gone(state) && state?.status !== 'Inactive')
      add({ remediationId: 'deactivate-access-key', inputs: { account: accountOf(key), userName: user, accessKeyId: key.id }, label: `Deactivate ${key.id}` });
  }
  // A key from elsewhere seen at the misuse's addresses was likely taken too.
  for (const key of suspectKeys(subjects, timeline, states)) {
    const state = stateOf(states, 'accessKey', key.accessKeyId);
    const user = state?.owner ?? key.user;
    if (user && !gone(state) && state?.status !== 'Inactive')
      add({
        remediationId: 'deactivate-access-key',
        inputs: { account: key.accountId ?? finding.accountId, userName: user, accessKeyId: key.accessKeyId },
        label: `Deactivate ${key.accessKeyId}`,
      });
  }
  for (const role of rolesWithSessions(subjects)) {
    if (ROLE.test(role.id) && !UNREVOCABLE_ROLE.test(role.id) && !gone(stateOf(states, 'role', role.id))) {
      add({ remediationId: 'revoke-role-sessions', inputs: { account: accountOf(role), roleName: role.id }, label: `Revoke sessions ${role.id}` });
    }
  }
  // The instance whose role credentials were taken: stop them being taken again, first.
  for (const s of instances.filter((i) => i.via === 'role-session')) requireTokens(s);

  const ok = timeline.filter((e) => e.errorCode === null && e.source === 'cloudtrail' && !byAwsService(e));
  for (const e of ok) {
    const account = e.accountId ?? finding.accountId;
    const user = e.resources.find((r) => USER.test(r) && !ACCESS_KEY.test(r) && !INSTANCE.test(r));
    const userState = user ? stateOf(states, 'iamUser', user) : undefined;
    if (e.action === 'CreateAccessKey') {
      const created = e.resources.find((r) => ACCESS_KEY.test(r));
      if (created && user && !gone(stateOf(states, 'accessKey', created)) && !gone(userState)) {
        add({ remediationId: 'delete-access-key', inputs: { account, userName: user, accessKeyId: created }, label: `Delete ${created}` });
      }
    }
    if (e.action === 'AttachUserPolicy') {
      const policy = e.resources.find((r) => POLICY_ARN.test(r));
      const name = policy?.split('/').pop() ?? '';
      const detached = userState?.policies !== undefined && !userState.policies.some((p) => p === policy || p === name);
      if (policy && user && !gone(userState) && !detached)
        add({ remediationId: 'detach-user-policy', inputs: { account, userName: user, policyArn: policy }, label: `Detach ${name}` });
    }
  }

  const launched = ok
    .filter((e) => e.action === 'RunInstances')
    .flatMap((e) =>
      e.resources
        .filter((r) => INSTANCE.test(r))
        .map((id) => ({ kind: 'instance' as const, id, accountId: e.accountId ?? finding.accountId, region: e.region ?? finding.region })),
    )
    .filter((s) => !gone(stateOf(states, 'instance', s.id)));
  for (const s of [...instances, ...launched]) {
    add({ remediationId: 'snapshot-instance', inputs: { ...where(s), instanceId: s.id }, label: `Snapshot ${s.id}` });
    add({ remediationId: 'quarantine-instance', inputs: { ...where(s), instanceId: s.id }, label: `Quarantine ${s.id}` });
  }
  // The instances the finding names are the compromised ones: no IMDSv1 left for their next visitor.
  for (const s of instances) requireTokens(s);

  // Blocking public access again on a bucket that has it all on would change nothing.
  const blocked = (id: string) => stateOf(states, 'bucket', id)?.facts.includes('Block Public Access all on') === true;
  for (const b of ofKind('bucket').filter((s) => BUCKET.test(s.id) && !gone(stateOf(states, 'bucket', s.id)) && !blocked(s.id))) {
    add({ remediationId: 'block-s3-public-access', inputs: { ...where(b), bucket: b.id }, label: `Block public access ${b.id}` });
  }
  return out.slice(0, MAX_SUGGESTIONS);
}
