import { describe, expect, it } from 'vitest';
import type { SubjectState } from '../../src/domain/investigation/current-state.ts';
import { recommendationsFor } from '../../src/domain/investigation/recommendations.ts';
import { summarize } from '../../src/domain/investigation/summary.ts';
import { buildTimeline, type TimelineEntry } from '../../src/domain/investigation/timeline.ts';
import { makeFinding } from '../support/findings.ts';

const WINDOW = { start: '2026-11-14T10:00:00.000Z', end: '2026-11-21T11:00:00.000Z' };
const KEY = 'AKIAEXPOSEDKEY000001';

function event(over: Partial<TimelineEntry>): TimelineEntry {
  return {
    id: over.id ?? 'e1',
    time: '2026-11-21T10:00:00.000Z',
    source: 'cloudtrail',
    action: 'ListBuckets',
    service: 's3.amazonaws.com',
    actor: 'arn:aws:iam::111122223333:user/ci-deployer',
    actorType: 'IAMUser',
    accessKeyId: KEY,
    sourceIp: '203.0.113.9',
    userAgent: 'aws-cli/2.15',
    resources: [],
    errorCode: null,
    accountId: '111122223333',
    region: 'us-east-1',
    tactics: ['Discovery'],
    highlights: [],
    ...over,
  };
}

const keyState = (over: Partial<SubjectState>): SubjectState => ({
  kind: 'accessKey',
  id: KEY,
  accountId: '111122223333',
  region: null,
  exists: true,
  status: 'Active',
  owner: 'ci-deployer',
  facts: [],
  ...over,
});
const subjects = [{ kind: 'accessKey' as const, id: KEY, principal: 'ci-deployer', principalType: 'IAMUser' as const, accountId: '111122223333' }];

describe('an investigation that finds nothing says where it looked and what it could not see', () => {
  it('names the lookups, the window, the account and region, and the blind spots', () => {
    const finding = makeFinding({ resources: [{ type: 'AwsS3Bucket', id: 'arn:aws:s3:::acme-build-artifacts', region: 'us-east-1', tags: {} }] });
    const searched = [
      { source: 'cloudtrail', what: `events by access key ${KEY}`, accountId: '111122223333', region: 'us-east-1', window: WINDOW, found: 0 },
      { source: 'cloudtrail', what: 'events naming acme-build-artifacts', accountId: '111122223333', region: 'us-east-1', window: WINDOW, found: 0 },
    ];
    const s = summarize({
      finding,
      timeline: [],
      limitingFactors: [],
      containment: [],
      searched,
      window: WINDOW,
      subjects: [...subjects, { kind: 'bucket', id: 'acme-build-artifacts' }],
    });
    expect(s.text).not.toContain('No activity was found in the investigation window');
    expect(s.text).toContain(
      `CloudTrail event history shows no activity for events by access key ${KEY}, events naming acme-build-artifacts in 111122223333/us-east-1 between 14 Nov 2026 10:00 UTC and 21 Nov 2026 11:00 UTC.`,
    );
    expect(s.limitingFactors.map((l) => l.reason)).toEqual(['not-searched', 'not-searched', 'data-events']);
    expect(s.limitingFactors[0]?.detail).toContain('only us-east-1 was searched');
    expect(s.limitingFactors[1]?.detail).toContain('keeps 90 days');
    expect(s.limitingFactors[2]?.detail).toContain('S3 object');
    expect(s.searched).toEqual(searched);
  });
});

describe('where CloudTrail was searched, per account', () => {
  const finding = makeFinding({ resources: [{ type: 'AwsIamAccessKey', id: KEY, region: 'us-east-1', tags: {} }] });
  const searched = [{ source: 'cloudtrail', what: `events by access key ${KEY}`, accountId: '111122223333', region: 'us-east-1', window: WINDOW, found: 0 }];
  const summary = (regionCoverage: Parameters<typeof summarize>[0]['regionCoverage']) =>
    summarize({
      finding,
      timeline: [],
      limitingFactors: [],
      containment: [],
      searched,
      window: WINDOW,
      subjects,
      ...(regionCoverage ? { regionCoverage } : {}),
    });

  it('every enabled region searched: said in a line, and no "only … was searched" blind spot', () => {
    const s = summary([
      { accountId: '111122223333', enabled: ['eu-west-1', 'us-east-1'], via: 'account:ListRegions', searched: ['us-east-1', 'eu-west-1'], failed: [] },
    ]);
    expect(s.text).toContain('CloudTrail was searched in every enabled region of 111122223333 (us-east-1, eu-west-1).');
    expect(s.limitingFactors.map((l) => l.detail).join('\n')).not.toMatch(/other regions|were searched|was searched;/);
    expect(s.regionsSearched).toHaveLength(1);
    // Eight regions: six named in the sentence, all in `regionsSearched`.
    const many = ['us-east-1', 'eu-west-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2'];
    const wide = summary([{ accountId: '111122223333', enabled: many, via: 'account:ListRegions', searched: many, failed: [] }]);
    expect(wide.text).toContain(
      'CloudTrail was searched in every enabled region of 111122223333 (us-east-1, eu-west-1, ap-south-1, ap-northeast-1, ap-northeast-2, ap-northeast-3 and 2 more).',
    );
  });

  it('regions that could not be listed, or enabled ones left out, are blind spots naming them', () => {
    const unlisted = summary([
      { accountId: '111122223333', enabled: null, via: 'account:ListRegions: AccessDeniedException', searched: ['us-east-1'], failed: [] },
    ]);
    expect(unlisted.limitingFactors[0]).toEqual({
      source: 'cloudtrail',
      reason: 'not-searched',
      detail:
        'the enabled regions of 111122223333 could not be listed (account:ListRegions: AccessDeniedException): only us-east-1 was searched; activity in other regions is not in these results',
    });
    const partial = summary([
      {
        accountId: '111122223333',
        enabled: ['ap-south-1', 'eu-west-1', 'us-east-1'],
        via: 'account:ListRegions',
        searched: ['us-east-1'],
        failed: [{ region: 'eu-west-1', detail: 'denied' }],
      },
    ]);
    expect(partial.text).toContain("CloudTrail was searched in 111122223333's us-east-1; not in eu-west-1.");
    expect(partial.limitingFactors).toContainEqual({
      source: 'cloudtrail',
      reason: 'not-searched',
      detail: "111122223333's enabled regions ap-south-1 were not searched",
    });
  });
});

describe('recommendations follow the current state', () => {
  const finding = makeFinding({ resources: [{ type: 'AwsIamAccessKey', id: KEY, region: 'us-east-1', tags: {} }] });
  const timeline = buildTimeline([event({})]);
  const recs = (states: SubjectState[]) => recommendationsFor({ finding, timeline, created: [], states, subjects });

  it('an active key is to be deactivated now', () => {
    expect(recs([keyState({})])[0]).toBe(
      `Deactivate the access key(s) ${KEY} (user ci-deployer) now (UpdateAccessKey Inactive), then delete them once nothing legitimate uses them.`,
    );
  });

  it('a key already inactive is not "deactivated now" again: it is to be deleted', () => {
    const out = recs([keyState({ status: 'Inactive' })]).join('\n');
    expect(out).not.toContain('Deactivate');
    expect(out).toContain(`Delete the access key(s) ${KEY} (already inactive)`);
  });

  it('a key IAM no longer lists is not offered again', () => {
    const out = recs([keyState({ exists: false, status: undefined })]).join('\n');
    expect(out).not.toMatch(/Deactivate|Delete the access key/);
    expect(out).toContain(`Access key(s) ${KEY} no longer exist`);
  });

  it('a key nobody could look up is still to be deactivated (unknown is not gone)', () => {
    expect(recs([])[0]).toContain(`Deactivate the access key(s) ${KEY}`);
  });

  it('instances AWS services launched are not the intruder’s', () => {
    const launched = buildTimeline([
      event({
        id: 'asg',
        action: 'RunInstances',
        actor: 'arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling',
        actorType: 'AssumedRole',
        sourceIp: 'autoscaling.amazonaws.com',
        resources: ['i-0aaaaaaaaaaaaaaa1'],
        tactics: [],
      }),
      event({ id: 'intruder', action: 'RunInstances', resources: ['i-0bbbbbbbbbbbbbbb2'], tactics: [] }),
    ]);
    const s = summarize({ finding, timeline: launched, limitingFactors: [], containment: [], subjects });
    expect(s.createdIdentities.map((c) => c.name)).toEqual(['i-0bbbbbbbbbbbbbbb2']);
    expect(s.recommendations.join('\n')).not.toContain('i-0aaaaaaaaaaaaaaa1');
  });

  it('an instance that still allows IMDSv1 after its role credentials were taken gets IMDSv2; one that requires it does not', () => {
    const ice = [
      { kind: 'role' as const, id: 'web-app-role', sessionName: 'i-0317f6c6b66ae9c40', accountId: '111122223333' },
      { kind: 'instance' as const, id: 'i-0317f6c6b66ae9c40', via: 'role-session' as const, accountId: '111122223333' },
    ];
    const instance = (tokens: 'optional' | 'required'): SubjectState => ({
      kind: 'instance',
      id: 'i-0317f6c6b66ae9c40',
      accountId: '111122223333',
      region: 'us-east-1',
      exists: true,
      status: 'running',
      metadataTokens: tokens,
      facts: [],
    });
    const optional = recommendationsFor({ finding, timeline: [], created: [], states: [instance('optional')], subjects: ice }).join('\n');
    expect(optional).toContain("Revoke role web-app-role's active sessions");
    expect(optional).toContain('Require IMDSv2 on instance i-0317f6c6b66ae9c40');
    const required = recommendationsFor({ finding, timeline: [], created: [], states: [instance('required')], subjects: ice }).join('\n');
    expect(required).not.toContain('IMDSv2');
  });
});
