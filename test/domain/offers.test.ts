import { describe, expect, it } from 'vitest';
import { OfferBook } from '../../src/actions/offers.ts';
import { checkOffer, offerKey, rootOfferKinds } from '../../src/domain/actions/offers.ts';
import { normalizeInput } from '../../src/ingest/normalize.ts';
import { sharedJson } from '../support/fixtures.ts';

/** AWS's published sample of a GuardDuty EC2 finding, for a real finding id. */
const FINDING = normalizeInput(sharedJson('guardduty', 'aws-samples-guardduty-automated-response', 'guardduty_ec2_event.json')).findings[0]!;
const QUARANTINE = { remediationId: 'quarantine-instance', inputs: { account: FINDING.accountId, region: FINDING.region, instanceId: 'i-05746eb48123455e0' } };

describe('offer ids', () => {
  it('are derived from finding, kind and payload, whatever the order of the payload’s keys', () => {
    const reordered = {
      inputs: { instanceId: 'i-05746eb48123455e0', region: FINDING.region, account: FINDING.accountId },
      remediationId: 'quarantine-instance',
    };
    expect(offerKey(FINDING.id, 'remediation', reordered)).toBe(offerKey(FINDING.id, 'remediation', QUARANTINE));
    const id = OfferBook.idOf(FINDING.id, 'remediation', QUARANTINE);
    expect(id).toMatch(/^offer-[0-9a-f]{32}$/);
    expect(OfferBook.idOf(FINDING.id, 'remediation', reordered)).toBe(id);
    const others = [
      OfferBook.idOf(`${FINDING.id}x`, 'remediation', QUARANTINE),
      OfferBook.idOf(FINDING.id, 'remediation', { ...QUARANTINE, remediationId: 'snapshot-instance' }),
      OfferBook.idOf(FINDING.id, 'remediation', { ...QUARANTINE, inputs: { ...QUARANTINE.inputs, instanceId: 'i-0000000000000000f' } }),
      OfferBook.idOf(FINDING.id, 'status'),
      OfferBook.idOf(FINDING.id, 'case'),
    ];
    expect(new Set([id, ...others]).size).toBe(6);
  });

  it('fit a button value many times over', () => {
    expect(OfferBook.idOf('x'.repeat(5000), 'remediation', QUARANTINE).length).toBeLessThan(2000);
  });
});

describe('checking a click against its offer', () => {
  const thread = { channel: 'C0SECURITY1', ts: '1763632800.000100' };
  const here = { channel: thread.channel, threadTs: thread.ts };

  it('accepts an offer of the clicked kind, for a delivered finding, clicked in its thread (or submitted from its modal)', () => {
    expect(checkOffer({ offer: { kind: 'status' }, kinds: ['status'], thread, clickedIn: here })).toEqual({ ok: true });
    expect(checkOffer({ offer: { kind: 'case-cirt' }, kinds: ['case', 'case-cirt'], thread })).toEqual({ ok: true });
  });

  it('refuses, saying why: no such offer, another button, a finding no longer known, another thread', () => {
    const refusal = (o: Parameters<typeof checkOffer>[0]) => {
      const r = checkOffer(o);
      return r.ok ? 'ok' : r.refusal;
    };
    expect(refusal({ offer: null, kinds: ['status'], thread, clickedIn: here })).toBe('unknown-offer');
    expect(refusal({ offer: { kind: 'acknowledge' }, kinds: ['status'], thread, clickedIn: here })).toBe('wrong-kind');
    expect(refusal({ offer: { kind: 'status' }, kinds: ['status'], thread: null, clickedIn: here })).toBe('unknown-finding');
    expect(refusal({ offer: { kind: 'status' }, kinds: ['status'], thread, clickedIn: { channel: 'C0ELSEWHERE', threadTs: thread.ts } })).toBe('other-thread');
    expect(refusal({ offer: { kind: 'status' }, kinds: ['status'], thread, clickedIn: { channel: thread.channel, threadTs: '1763632899.000100' } })).toBe(
      'other-thread',
    );
    expect(refusal({ offer: { kind: 'status' }, kinds: ['status'], thread: { channel: thread.channel, ts: null }, clickedIn: here })).toBe('other-thread');
  });
});

describe('what a root message offers', () => {
  it('Set status and Snooze similar wherever sirbot can act, Acknowledge while one is awaited, Open SIR case until one is open', () => {
    expect(rootOfferKinds({ canAct: false, awaitingAck: true, caseOpen: false })).toEqual([]);
    expect(rootOfferKinds({ canAct: true, awaitingAck: false, caseOpen: false })).toEqual(['status', 'case', 'snooze']);
    expect(rootOfferKinds({ canAct: true, awaitingAck: true, caseOpen: true })).toEqual(['acknowledge', 'status', 'snooze']);
  });
});
