import { type OfferKind, type OfferPayload, type RootOfferKind, type RootOffers, checkOffer, offerKey } from '../domain/actions/offers.ts';
import type { Finding } from '../domain/finding.ts';
import { type RemediationChoice, isRemediationChoice } from '../domain/remediation/remediation.ts';
import type { OfferRecord } from '../ports/action-store.ts';
import type { FindingRecord, Store } from '../ports/store.ts';
import type { Auditor } from './audit.ts';
import { hashedId } from '../lib/hashed-id.ts';

/** What an accepted click acts on: the stored offer (with what it offered), and its finding's record. */
export interface Redeemed {
  offer: OfferRecord;
  record: FindingRecord;
  /** The finding as it was delivered (the record's snapshot). */
  finding: Finding;
}

export type Redemption = ({ ok: true } & Redeemed) | { ok: false; reason: string };

/** Where a click came from: the message's channel and thread. */
export interface ClickedIn {
  channel: string | undefined;
  threadTs?: string | undefined;
}

const OFFER_ID = /^offer-[0-9a-f]{32}$/;

/** How refusals of each kind are named in the audit log, as the actions themselves are. */
const AUDIT_ACTION: Record<OfferKind, string> = {
  status: 'status',
  case: 'case.create',
  'case-cirt': 'case.create',
  acknowledge: 'acknowledge',
  remediation: 'remediation',
  snooze: 'snooze.create',
  page: 'acknowledge',
};

/**
 * The offers of finding messages: registered (idempotently, before the message is
 * posted) and redeemed when a button carrying one is clicked or its modal submitted.
 * A refused redemption is audited here, so no caller can forget to.
 */
export class OfferBook {
  constructor(
    private readonly store: Store,
    private readonly audit: Auditor,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Deterministic: the same finding, kind and payload give the same id, on every rendering and in every process. */
  static idOf(findingId: string, kind: OfferKind, payload: OfferPayload = {}): string {
    return hashedId('offer', offerKey(findingId, kind, payload), 32);
  }

  /** Stores the offer if it is new, and returns its id for the button. */
  async offer(findingId: string, kind: OfferKind, payload: OfferPayload = {}): Promise<string> {
    const id = OfferBook.idOf(findingId, kind, payload);
    await this.store.actions.insertOffer({ id, findingId, kind, payload, createdAt: new Date(this.clock()).toISOString() });
    return id;
  }

  async offerRoot(findingId: string, kinds: readonly RootOfferKind[]): Promise<RootOffers> {
    const ids = await Promise.all(kinds.map((k) => this.offer(findingId, k)));
    return Object.fromEntries(kinds.map((k, i) => [k, ids[i]]));
  }

  offerRemediations(findingId: string, payloads: readonly RemediationChoice[]): Promise<string[]> {
    return Promise.all(payloads.map((p) => this.offer(findingId, 'remediation', { remediationId: p.remediationId, inputs: p.inputs })));
  }

  /**
   * The offer a click or a submission names, if it may be acted on: it exists, is of one
   * of `kinds`, its finding is still delivered and (for a click) it was clicked in that
   * finding's thread. A refusal is audited with its reason.
   */
  async redeem(o: { offerId: string; kinds: readonly OfferKind[]; userId: string; clickedIn?: ClickedIn }): Promise<Redemption> {
    const offer = OFFER_ID.test(o.offerId) ? await this.store.actions.getOffer(o.offerId) : null;
    const record = offer ? await this.store.getFinding(offer.findingId) : null;
    const thread = record?.snapshot ? { channel: record.channel, ts: record.ts } : null;
    const clickedIn = o.clickedIn ? { channel: o.clickedIn.channel, threadTs: o.clickedIn.threadTs } : undefined;
    const check = checkOffer({ offer, kinds: o.kinds, thread, ...(clickedIn ? { clickedIn } : {}) });
    if (check.ok && offer && record?.snapshot) return { ok: true, offer, record, finding: record.snapshot };
    const reason = check.ok ? 'sirbot no longer knows this finding' : check.reason;
    // Named for what the person tried to do (the control they used), as the action itself would be.
    const tried = o.kinds[0] ?? 'status';
    const payload = offer?.payload;
    const remediationId = offer?.kind === 'remediation' && payload && isRemediationChoice(payload) ? payload.remediationId : undefined;
    await this.audit.record({
      actor: o.userId,
      action: tried === 'remediation' && remediationId ? `remediation:${remediationId}` : AUDIT_ACTION[tried],
      target: offer?.findingId ?? o.offerId.slice(0, 200),
      inputs: { offerId: o.offerId.slice(0, 200), ...(clickedIn ? { clickedIn } : {}), ...(remediationId ? { remediation: payload } : {}) },
      outcome: 'refused',
      result: { reason },
      channel: o.clickedIn?.channel ?? record?.channel ?? null,
      ts: o.clickedIn?.threadTs ?? record?.ts ?? null,
    });
    return { ok: false, reason };
  }
}
