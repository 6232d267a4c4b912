/**
 * What AWS Security Incident Response tells through EventBridge (source `aws.security-ir`)
 * about a case. The events name the case and who acted, nothing more: no status, no
 * comment id, no comment text (the service's user guide, "Detail Fields"). Whoever
 * receives one reads the case (GetCase) or its comments (ListComments) to learn what changed.
 */

export const CASE_EVENT_KINDS = ['created', 'updated', 'closed', 'comment-added', 'comment-updated'] as const;
export type CaseEventKind = (typeof CASE_EVENT_KINDS)[number];

/** The event's `detail-type` for each kind, as the service sends it. */
export const CASE_EVENT_DETAIL_TYPES: Record<string, CaseEventKind> = {
  'Case Created': 'created',
  'Case Updated': 'updated',
  'Case Closed': 'closed',
  'Case Comment Added': 'comment-added',
  'Case Comment Updated': 'comment-updated',
};

/**
 * The membership's events (and API calls recorded by CloudTrail) come from the same source
 * and say nothing about a case: received and left alone. The docs' example of a cancelled
 * membership says "Membership Closed", their reference "Membership Cancelled": both are known.
 */
export const IGNORED_SECURITY_IR_DETAIL_TYPES = [
  'Membership Created',
  'Membership Updated',
  'Membership Cancelled',
  'Membership Closed',
  'Membership Terminated',
  'AWS API Call via CloudTrail',
] as const;

/** Who acted, as the service names them: an AWS responder, the service itself, or the customer's account (its id). */
export const AWS_RESPONDER = 'AWS Responder';
export const SECURITY_IR_SERVICE = 'security-ir.amazonaws.com';

export interface CaseEvent {
  /** EventBridge's event id: the same event delivered twice has the same id. */
  eventId: string;
  kind: CaseEventKind;
  caseId: string;
  /** `createdBy` or `updatedBy`; null when the event names nobody (Case Closed). */
  actor: string | null;
  /** The account holding the Security IR membership, and its region. */
  account: string;
  region: string;
  /** When the service says it happened (ISO 8601). */
  time: string;
}

/** How the thread names who acted. */
export function actorLabel(actor: string | null): string {
  if (actor === null) return 'Security Incident Response';
  if (actor === AWS_RESPONDER) return 'an AWS responder';
  if (actor === SECURITY_IR_SERVICE) return 'Security Incident Response';
  if (/^\d{12}$/.test(actor)) return `account ${actor}`;
  return actor;
}
