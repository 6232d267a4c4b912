/**
 * Security Incident Response's case vocabulary, in one place: the statuses a case goes
 * through (the API model's `CaseStatus`), the ones a self-managed case can be set to
 * (`SelfManagedCaseStatus`; closing is CloseCase), the resolvers, and how each is shown.
 * The API's status names are already words people read, so a status is shown as the
 * service names it — in App Home, `/sir` and thread messages alike.
 */

export const CASE_STATUSES = [
  'Submitted',
  'Acknowledged',
  'Detection and Analysis',
  'Containment, Eradication and Recovery',
  'Post-incident Activities',
  'Ready to Close',
  'Closed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** What UpdateCaseStatus accepts. */
export const SELF_MANAGED_CASE_STATUSES = [
  'Submitted',
  'Detection and Analysis',
  'Containment, Eradication and Recovery',
  'Post-incident Activities',
] as const satisfies readonly CaseStatus[];
export type SelfManagedCaseStatus = (typeof SELF_MANAGED_CASE_STATUSES)[number];

/** The status CreateCase gives a new case. */
export const NEW_CASE_STATUS: CaseStatus = 'Submitted';
export const CLOSED_CASE_STATUS: CaseStatus = 'Closed';

export const RESOLVER_TYPES = ['AWS', 'Self'] as const;
export type ResolverType = (typeof RESOLVER_TYPES)[number];

export function isCaseStatus(v: unknown): v is CaseStatus {
  return typeof v === 'string' && (CASE_STATUSES as readonly string[]).includes(v);
}

export function isSelfManagedCaseStatus(v: unknown): v is SelfManagedCaseStatus {
  return typeof v === 'string' && (SELF_MANAGED_CASE_STATUSES as readonly string[]).includes(v);
}

/** A case's status as shown to people; a status this model does not know is shown as the service sent it, or as unknown. */
export function caseStatusLabel(status: string | null | undefined): string {
  if (!status) return 'status unknown';
  return status;
}

/** Who runs the response, as shown to people. */
export function resolverLabel(resolver: string | null | undefined): string {
  return resolver === 'AWS' ? 'AWS-supported (AWS CIRT engaged)' : 'Self-managed';
}

/**
 * What a case's message may still offer: escalation only while self-managed (an
 * AWS-supported case cannot go back), a status only while self-managed (the AWS CIRT
 * moves an AWS-supported case's status), and nothing once closed.
 */
export function caseControls(c: { status: string; resolverType: string }): { escalate: boolean; setStatus: boolean; close: boolean } {
  if (c.status === CLOSED_CASE_STATUS) return { escalate: false, setStatus: false, close: false };
  const self = c.resolverType !== 'AWS';
  return { escalate: self, setStatus: self, close: true };
}
