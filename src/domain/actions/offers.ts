import type { RemediationChoice } from '../remediation/remediation.ts';

/**
 * What sirbot offered on a finding's messages, so that a click is honoured only for
 * what was offered. A button carries the id of an offer (never the target itself); the
 * offer, stored before the message went out, says which finding it is about and, for a
 * remediation, which one on which inputs. The id is derived from (finding, kind,
 * payload), so redrawing a message offers the same thing under the same id.
 *
 * A `page` offer is the key of a finding's page in PagerDuty or Opsgenie (its dedup key or
 * alias): an acknowledgement coming back from there carries it, as a click carries an offer
 * id, and is acted on only for the finding the key was issued for.
 */

export const OFFER_KINDS = ['status', 'case', 'case-cirt', 'acknowledge', 'remediation', 'snooze', 'page'] as const;
export type OfferKind = (typeof OFFER_KINDS)[number];

/** The buttons of a finding's root message that are offers (Investigate is bound by its thread instead). */
export type RootOfferKind = Extract<OfferKind, 'status' | 'case' | 'acknowledge' | 'snooze'>;

/** The offer ids of a root message's buttons, by kind; a kind without an id is not offered. */
export type RootOffers = Partial<Record<RootOfferKind, string>>;

/** The root buttons offer nothing beyond the finding; a remediation offer fixes the remediation and every input it runs with. */
export type OfferPayload = Record<string, never> | RemediationChoice;

/** The text an offer id is derived from: canonical, so equal offers give equal ids. */
export function offerKey(findingId: string, kind: OfferKind, payload: OfferPayload): string {
  return `${kind}\n${findingId}\n${canonicalJson(payload)}`;
}

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Which root buttons a finding's message offers: Set status and Snooze similar wherever
 * the runtime can act, Acknowledge while an acknowledgement is awaited, Open SIR case
 * until one is open.
 */
export function rootOfferKinds(o: { canAct: boolean; awaitingAck: boolean; caseOpen: boolean }): RootOfferKind[] {
  if (!o.canAct) return [];
  const kinds: RootOfferKind[] = [];
  if (o.awaitingAck) kinds.push('acknowledge');
  kinds.push('status');
  if (!o.caseOpen) kinds.push('case');
  kinds.push('snooze');
  return kinds;
}

export type OfferRefusal = 'unknown-offer' | 'wrong-kind' | 'unknown-finding' | 'other-thread';

const REASONS: Record<OfferRefusal, string> = {
  'unknown-offer': 'sirbot did not offer this (unknown offer)',
  'wrong-kind': 'this button was offered for another action',
  'unknown-finding': 'sirbot no longer knows this finding',
  'other-thread': "this was offered in another finding's thread",
};

export type OfferCheck = { ok: true } | { ok: false; refusal: OfferRefusal; reason: string };

const refuse = (refusal: OfferRefusal): OfferCheck => ({ ok: false, refusal, reason: REASONS[refusal] });

/**
 * Whether a click (or a modal's submission) may act on an offer: the offer exists, is of
 * a kind the clicked control stands for, its finding is still delivered, and, when the
 * click came from a message, that message is in the finding's own thread.
 */
export function checkOffer(o: {
  offer: { kind: string } | null;
  kinds: readonly OfferKind[];
  /** Where the offer's finding was delivered; null when sirbot no longer knows it. */
  thread: { channel: string; ts: string | null } | null;
  /** Where the click came from; absent for a modal's submission. */
  clickedIn?: { channel: string | undefined; threadTs?: string | undefined };
}): OfferCheck {
  if (!o.offer) return refuse('unknown-offer');
  if (!(o.kinds as readonly string[]).includes(o.offer.kind)) return refuse('wrong-kind');
  if (!o.thread) return refuse('unknown-finding');
  if (o.clickedIn && (o.clickedIn.channel !== o.thread.channel || !o.thread.ts || o.clickedIn.threadTs !== o.thread.ts)) return refuse('other-thread');
  return { ok: true };
}
