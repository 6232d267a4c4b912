import { describe, expect, it } from 'vitest';
import { CaseService } from '../../src/actions/cases.ts';
import { OfferBook } from '../../src/actions/offers.ts';
import { planHashOf, remediationRequestBase } from '../../src/actions/remediations.ts';
import { statusActionId } from '../../src/actions/status.ts';
import type { AwsCall } from '../../src/domain/actions/aws-call.ts';
import { cirtProposalKey, rootPostKey } from '../../src/delivery/post-keys.ts';
import { remediationById } from '../../src/domain/remediation/catalog.ts';
import { adHocFindingId } from '../../src/investigation/ad-hoc.ts';
import { investigationIdFor } from '../../src/investigation/service.ts';
import { hashedId, shortHash } from '../../src/lib/hashed-id.ts';

/**
 * Derived ids are stored (action records, offers, investigations) and sent out (Slack
 * message metadata, Security IR client tokens and tags): these are the ids sirbot gave
 * before they were derived in one place, and must stay so.
 */
const FINDING = 'arn:aws:securityhub:eu-west-1:111122223333:finding/abc';

describe('hashed ids', () => {
  it('keep each prefix, input and length', () => {
    expect(shortHash('abc', 20)).toBe('ba7816bf8f01cfea4141');
    expect(shortHash(['a', 'b'], 24)).toBe(shortHash('a\nb', 24));
    expect(hashedId('x', 'abc', 32)).toBe('x-ba7816bf8f01cfea414140de5dae2223');
  });

  it('are the ids sirbot has always given', () => {
    expect(investigationIdFor(FINDING)).toBe('inv-bff171a7dc319d4be275');
    expect(adHocFindingId('req-1')).toBe('sirbot-adhoc-9456bdfa12ea76959c94a357');
    expect(OfferBook.idOf(FINDING, 'status')).toBe('offer-cef3117c540aa97777e69540ed595a73');
    expect(
      OfferBook.idOf(FINDING, 'remediation', {
        remediationId: 'deactivate-access-key',
        inputs: { account: '111122223333', userName: 'alice', accessKeyId: 'AKIAEXAMPLE000000001' },
      }),
    ).toBe('offer-1b277799b97348271804eca3fa4a4009');
    expect(CaseService.caseActionId(FINDING)).toBe('case-bff171a7dc319d4be27527748f95d8d3');
    expect(rootPostKey(FINDING)).toBe('root:bff171a7dc319d4be27527748f95d8d3');
    expect(cirtProposalKey(FINDING)).toBe('cirt-proposal:bff171a7dc319d4be27527748f95d8d3');
    expect(statusActionId(FINDING, 'RESOLVED', null)).toBe('status-bae4fa982c663e3106e887f6');
    const deactivate = remediationById('deactivate-access-key');
    expect(deactivate).toBeDefined();
    expect(remediationRequestBase(deactivate!, { account: '111122223333', userName: 'alice', accessKeyId: 'AKIAEXAMPLE000000001' })).toBe(
      'rem-12dd7842bf250d04bae60e98',
    );
  });

  it('hash a plan by its calls', () => {
    const calls: AwsCall[] = [{ service: 'iam', operation: 'UpdateAccessKey', account: '111122223333', region: 'us-east-1', input: { Status: 'Inactive' } }];
    expect(planHashOf(calls)).toBe('116585d36774634928984c42ee15978d');
  });
});
