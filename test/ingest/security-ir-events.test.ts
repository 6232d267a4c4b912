import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caseEventDocument, readSecurityIrEvent } from '../../src/ingest/security-ir-events.ts';
import { normalizeInput } from '../../src/ingest/normalize.ts';

/** The user guide's own example events (test/fixtures/security-ir/documented-events.json says where each is from). */
const DOCUMENTED = (
  JSON.parse(readFileSync('test/fixtures/security-ir/documented-events.json', 'utf8')) as {
    events: Array<{ title: string; source: string; event: Record<string, any> }>;
  }
).events;
const byTitle = (title: string) => DOCUMENTED.find((e) => e.title === title)!.event;

describe('Security IR events (source aws.security-ir)', () => {
  it('reads every documented case and comment event: its kind, case, actor, account and region', () => {
    const read = DOCUMENTED.filter((d) => d.event['detail-type'].startsWith('Case')).map((d) => readSecurityIrEvent(d.event, ''));
    expect(read).toHaveLength(13);
    expect(read.every((r) => 'event' in r)).toBe(true);
    expect(readSecurityIrEvent(byTitle('Case Comment Added by AWS Responder'), '')).toEqual({
      event: {
        eventId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
        kind: 'comment-added',
        caseId: '1234567890',
        actor: 'AWS Responder',
        account: '111122223333',
        region: 'us-west-2',
        time: '2023-05-12T04:30:00Z',
      },
    });
    expect(readSecurityIrEvent(byTitle('Case Closed'), '')).toMatchObject({ event: { kind: 'closed', actor: null } });
    expect(readSecurityIrEvent(byTitle('Case Updated by AWS Customer'), '')).toMatchObject({ event: { kind: 'updated', actor: '111122223333' } });
  });

  it('takes the membership events, under both names the guide gives a cancellation, as about no case', () => {
    const memberships = DOCUMENTED.filter((d) => d.event['detail-type'].startsWith('Membership'));
    expect(memberships.map((d) => d.event['detail-type'])).toContain('Membership Closed');
    for (const d of memberships) expect(readSecurityIrEvent(d.event, '')).toEqual({ ignored: d.event['detail-type'] });
    const all = normalizeInput(DOCUMENTED.map((d) => d.event));
    expect({ cases: all.caseEvents.length, ignored: all.ignored.length, errors: all.errors, findings: all.findings }).toEqual({
      cases: 13,
      ignored: 4,
      errors: [],
      findings: [],
    });
  });

  it('names the field of a malformed event, and an unknown detail-type', () => {
    const good = byTitle('Case Updated by AWS Responder');
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...good, detail: { caseId: '12345<@U1>' } }, 'detail.caseId'],
      [{ ...good, detail: { caseId: '1234567890', updatedBy: 'x'.repeat(300) } }, 'detail.updatedBy'],
      [{ ...good, account: 'me' }, 'account'],
      [{ ...good, time: 'yesterday' }, 'time'],
      [{ ...good, 'detail-type': 'Case Deleted' }, 'detail-type'],
      [{ ...good, 'detail-type': 'constructor' }, 'detail-type'],
      [{ ...good, detail: null }, 'detail'],
    ];
    for (const [event, field] of cases) {
      const read = readSecurityIrEvent(event, 'Records[0]');
      expect('message' in read ? read.message : read, field).toContain(field);
    }
    // In a batch, one bad event is its own error and the rest are read.
    const mixed = normalizeInput([good, { ...good, detail: { caseId: 'nope' } }]);
    expect(mixed.caseEvents).toHaveLength(1);
    expect(mixed.errors.map((e) => e.path)).toEqual(['[1]']);
  });

  it('rebuilds the event as received, for a dead letter to be replayed', () => {
    for (const title of ['Case Comment Added by AWS Responder', 'Case Updated by AWS Customer', 'Case Closed']) {
      const read = readSecurityIrEvent(byTitle(title), '');
      if (!('event' in read)) throw new Error(title);
      const again = caseEventDocument(read.event);
      expect(again).toEqual(byTitle(title));
      expect(readSecurityIrEvent(again, '')).toEqual(read);
    }
  });
});
