import { describe, expect, it } from 'vitest';
import { mayAct, mayApprove, parseMembers, rolesOf, type AccessPolicy } from '../../src/domain/actions/access.ts';
import { CALL_TIME, resolveRefs } from '../../src/domain/actions/aws-call.ts';
import { callLine, summarizeCall } from '../../src/domain/actions/call-summary.ts';
import {
  canonicalIp,
  caseDraft,
  highlightLines,
  impactedServices,
  securityIrServiceName,
  splitComments,
  uniqueServices,
} from '../../src/domain/actions/case-draft.ts';
import { CASE_STATUSES, SELF_MANAGED_CASE_STATUSES, caseControls } from '../../src/domain/actions/case-status.ts';
import { SELF_MANAGED } from '../../src/emulator/aws/security-ir-fields.ts';
import { SELF_MANAGED_CASE_STATUSES as CLIENT_STATUSES } from '../../src/aws/security-ir/commands.ts';
import { statusCall, statusPlan, unprocessedOf } from '../../src/domain/actions/workflow-status.ts';
import type { TimelineEntry } from '../../src/domain/investigation/timeline.ts';
import { compileRuleSet } from '../../src/domain/routing/compile.ts';
import { route } from '../../src/domain/routing/evaluate.ts';
import { makeFinding } from '../support/findings.ts';

const policy: AccessPolicy = { responders: { users: ['U0RESP'], groups: ['S0SECOPS'] }, approvers: { users: ['U0BOSS'], groups: [] } };

describe('access policy', () => {
  it('gives roles by user id and by group; approvers also respond', () => {
    expect([...rolesOf(policy, 'U0RESP', [])]).toEqual(['responder']);
    expect([...rolesOf(policy, 'U0OTHER', ['S0SECOPS'])]).toEqual(['responder']);
    expect([...rolesOf(policy, 'U0BOSS', [])].sort()).toEqual(['approver', 'responder']);
    expect(mayAct(policy, 'U0NOBODY', [], 'responder')).toEqual({ allowed: false, reason: 'this needs the responder role, which you do not have' });
  });

  it('applies the two-person rule: a requester never approves their own request', () => {
    expect(mayApprove(policy, 'U0BOSS', [], 'U0BOSS').allowed).toBe(false);
    expect(mayApprove(policy, 'U0RESP', [], 'U0BOSS').allowed).toBe(false);
    expect(mayApprove(policy, 'U0BOSS', [], 'U0RESP')).toEqual({ allowed: true });
  });

  it('parses configured members and names a bad id', () => {
    expect(parseMembers('U0A, S0B W0C')).toEqual({ users: ['U0A', 'W0C'], groups: ['S0B'] });
    expect(parseMembers('U0A,@alice')).toEqual({ error: '"@alice" is neither a Slack user id (U…/W…) nor a user group id (S…)' });
  });
});

describe('workflow status calls', () => {
  it('Security Hub CSPM (ASFF): BatchUpdateFindings by id and product ARN, with a note naming the Slack user', () => {
    const finding = makeFinding();
    const call = statusCall({ finding, status: 'RESOLVED', note: 'fixed the bucket policy', by: 'alice (U0RESP)' });
    expect(call).toEqual({
      service: 'securityhub',
      operation: 'BatchUpdateFindings',
      account: '111122223333',
      region: 'us-east-1',
      input: {
        FindingIdentifiers: [{ Id: finding.id, ProductArn: finding.productArn }],
        Workflow: { Status: 'RESOLVED' },
        Note: { Text: 'RESOLVED set from Slack by alice (U0RESP): fixed the bucket policy', UpdatedBy: 'alice (U0RESP)' },
      },
    });
  });

  it('Security Hub OCSF: BatchUpdateFindingsV2 with the finding identifier and status id', () => {
    const finding = makeFinding({ schema: 'ocsf', id: 'uid-1', productArn: 'arn:aws:securityhub:us-east-1::productv2/aws/guardduty' });
    const call = statusCall({ finding, status: 'SUPPRESSED', note: '', by: 'U0RESP' });
    expect(call).toMatchObject({
      operation: 'BatchUpdateFindingsV2',
      input: { FindingIdentifiers: [{ CloudAccountUid: '111122223333', FindingInfoUid: 'uid-1', MetadataProductUid: finding.productArn }], StatusId: 3 },
    });
    const byMetadata = statusCall({
      finding: makeFinding({ schema: 'ocsf', productArn: null, raw: { metadata: { uid: 'meta-9' } } }),
      status: 'NOTIFIED',
      note: '',
      by: 'U',
    });
    expect(byMetadata).toMatchObject({ input: { MetadataUids: ['meta-9'], StatusId: 2 } });
  });

  it('GuardDuty: archive to resolve or suppress, unarchive to reopen, in the detector of the finding', () => {
    const raw = { arn: 'arn:aws:guardduty:us-east-1:111122223333:detector/5ac6d7e8/finding/abc', service: { detectorId: 'ignored' } };
    const finding = makeFinding({ schema: 'guardduty', id: 'abc', productArn: null, raw });
    expect(statusCall({ finding, status: 'RESOLVED', note: '', by: 'U' })).toMatchObject({
      service: 'guardduty',
      operation: 'ArchiveFindings',
      input: { DetectorId: '5ac6d7e8', FindingIds: ['abc'] },
    });
    expect(statusCall({ finding, status: 'NOTIFIED', note: '', by: 'U' })).toMatchObject({ operation: 'UnarchiveFindings' });
    expect(statusCall({ finding: makeFinding({ schema: 'guardduty', raw: {} }), status: 'RESOLVED', note: '', by: 'U' })).toEqual({
      error: 'the GuardDuty finding names no detector',
    });
  });

  it("GuardDuty in an organization: archived through the administrator account's own detector, looked up there first", () => {
    const raw = { arn: 'arn:aws:guardduty:eu-west-1:111122223333:detector/5ac6d7e8/finding/abc' };
    const finding = makeFinding({ schema: 'guardduty', id: 'abc', accountId: '111122223333', region: 'eu-west-1', productArn: null, raw });
    const plan = statusPlan({ finding, status: 'SUPPRESSED', note: '', by: 'U' }, { administratorAccount: '444455556666' });
    if ('error' in plan) throw new Error(plan.error);
    expect(plan.calls).toEqual([
      { service: 'guardduty', operation: 'ListDetectors', account: '444455556666', region: 'eu-west-1', input: {}, saveAs: 'guardDutyAdministratorDetector' },
      {
        service: 'guardduty',
        operation: 'ArchiveFindings',
        account: '444455556666',
        region: 'eu-west-1',
        input: { DetectorId: { $ref: 'guardDutyAdministratorDetector.DetectorIds.0' }, FindingIds: ['abc'] },
      },
    ]);
    expect(plan.main).toBe(plan.calls[1]);
    expect(resolveRefs(plan.main.input, { guardDutyAdministratorDetector: { DetectorIds: ['admindet'] } })).toEqual({
      DetectorId: 'admindet',
      FindingIds: ['abc'],
    });
    const reopen = statusPlan({ finding, status: 'NOTIFIED', note: '', by: 'U' }, { administratorAccount: '444455556666' });
    expect('main' in reopen && reopen.main.operation).toBe('UnarchiveFindings');
    // The finding's own detector is not needed there; Security Hub findings are unaffected.
    expect(
      statusPlan({ finding: makeFinding({ schema: 'guardduty', raw: {} }), status: 'RESOLVED', note: '', by: 'U' }, { administratorAccount: '444455556666' }),
    ).toHaveProperty('main.account', '444455556666');
    const asff = statusPlan({ finding: makeFinding(), status: 'RESOLVED', note: '', by: 'U' }, { administratorAccount: '444455556666' });
    expect('calls' in asff && asff.calls.map((c) => [c.operation, c.account])).toEqual([['BatchUpdateFindings', '111122223333']]);
    // Standalone: the finding's own account and detector, as statusCall says.
    expect(statusPlan({ finding, status: 'RESOLVED', note: '', by: 'U' })).toEqual({
      calls: [statusCall({ finding, status: 'RESOLVED', note: '', by: 'U' })],
      main: statusCall({ finding, status: 'RESOLVED', note: '', by: 'U' }),
    });
  });

  it('keeps the note within 512 characters and reports unprocessed findings with their reason', () => {
    const call = statusCall({ finding: makeFinding(), status: 'RESOLVED', note: 'x'.repeat(600), by: 'U' });
    expect((call as unknown as { input: { Note: { Text: string } } }).input.Note.Text.length).toBe(512);
    const answer = { UnprocessedFindings: [{ FindingIdentifier: { Id: 'f1' }, ErrorCode: 'FindingNotFound', ErrorMessage: 'no such finding' }] };
    expect(unprocessedOf(call as never, answer)).toEqual([{ id: 'f1', reason: 'FindingNotFound: no such finding' }]);
  });
});

describe('AWS calls as data', () => {
  it('resolves references to earlier answers and shows them in previews', () => {
    const call = { service: 'ec2' as const, operation: 'ModifyInstanceAttribute', account: '1', region: 'r', input: { Groups: [{ $ref: 'q.GroupId' }] } };
    const earlier = { service: 'ec2' as const, operation: 'CreateSecurityGroup', account: '1', region: 'r', input: { GroupName: 'q' }, saveAs: 'q' };
    expect(callLine(summarizeCall(call, [earlier]))).toBe('ec2:ModifyInstanceAttribute in 1/r — Groups GroupId from step 1 (CreateSecurityGroup)');
    expect(resolveRefs(call.input, { q: { GroupId: 'sg-1' } })).toEqual({ Groups: ['sg-1'] });
    expect(() => resolveRefs(call.input, {})).toThrow('reference q.GroupId has no value');
  });

  it('dates a call when it is made, and sends documents as JSON text while previews show the document', () => {
    const call = {
      service: 'iam' as const,
      operation: 'PutRolePolicy',
      account: '1',
      region: 'us-east-1',
      input: { RoleName: 'r', PolicyDocument: { $json: { When: CALL_TIME, Group: { $ref: 'q.GroupId' } } } },
    };
    expect(callLine(summarizeCall(call))).toBe(
      'iam:PutRolePolicy in 1/us-east-1 on role r — PolicyDocument When the time of the call, Group GroupId from the answer saved as q',
    );
    expect(resolveRefs(call.input, { q: { GroupId: 'sg-1' } }, '2026-11-21T10:00:00.000Z')).toEqual({
      RoleName: 'r',
      PolicyDocument: '{"When":"2026-11-21T10:00:00.000Z","Group":"sg-1"}',
    });
    expect(() => resolveRefs(call.input, { q: { GroupId: 'sg-1' } })).toThrow('the time of the call is not known');
    // A field that merely looks like a marker among others is data, not a marker.
    expect(resolveRefs({ x: { $time: 'call', other: 1 } }, {}, 'now')).toEqual({ x: { $time: 'call', other: 1 } });
  });
});

const entry = (over: Partial<TimelineEntry>): TimelineEntry => ({
  id: Math.random().toString(36),
  time: '2026-11-21T10:00:00Z',
  source: 'cloudtrail',
  action: 'ListUsers',
  service: 'iam.amazonaws.com',
  actor: 'ci-deployer',
  actorType: 'IAMUser',
  accessKeyId: 'AKIAEXPOSEDKEY000001',
  sourceIp: '203.0.113.50',
  userAgent: 'aws-cli',
  resources: [],
  errorCode: null,
  accountId: '111122223333',
  region: 'us-east-1',
  tactics: ['Discovery'],
  highlights: [],
  ...over,
});

describe('case drafts', () => {
  it('starts at the first event from the IP the finding names, and lists accounts, regions, actor IPs and services', () => {
    const timeline = [
      entry({ time: '2026-11-20T09:00:00Z', sourceIp: '198.51.100.10', highlights: ['first seen source IP 198.51.100.10'] }),
      entry({ time: '2026-11-21T10:00:00Z', highlights: ['first seen source IP 203.0.113.50'] }),
      entry({
        time: '2026-11-21T10:05:00Z',
        accountId: '444455556666',
        region: 'eu-west-1',
        service: 'ec2.amazonaws.com',
        sourceIp: '10.0.0.1',
        highlights: ['first seen source IP 10.0.0.1'],
      }),
    ];
    const summary = {
      text: 'Recon then persistence.',
      sourceIps: ['203.0.113.50', '10.0.0.1', '198.51.100.10'],
      recommendations: ['Deactivate the key.'],
      timeframe: { start: null, end: null, events: 3 },
    } as never;
    const raw = { service: { action: { awsApiCallAction: { remoteIpDetails: { ipAddressV4: '203.0.113.50' } } } } };
    const draft = caseDraft(makeFinding({ title: 'Key used from a threat list IP', raw }), summary, timeline);
    expect(draft.reportedIncidentStartDate).toBe('2026-11-21T10:00:00Z');
    expect(draft.impactedAccounts).toEqual(['111122223333', '444455556666']);
    expect(draft.impactedAwsRegions).toEqual(['us-east-1', 'eu-west-1']);
    // The finding's address; the baseline's reads are no intruder's, and a private address is no use to AWS.
    expect(draft.threatActorIpAddresses).toEqual(['203.0.113.50']);
    // An address that did what an intruder does is offered too, whenever it came.
    const hostileEarlier = [{ ...timeline[0]!, tactics: ['Persistence' as const], action: 'CreateUser' }, ...timeline.slice(1)];
    const earlier = caseDraft(makeFinding({ raw }), summary, hostileEarlier);
    expect(earlier.threatActorIpAddresses).toEqual(['203.0.113.50', '198.51.100.10']);
    // ...and the incident starts with it.
    expect(earlier.reportedIncidentStartDate).toBe('2026-11-20T09:00:00Z');
    // As Security IR names services: the finding's resources', then those the activity called.
    expect(draft.impactedServices).toEqual(['Amazon S3', 'AWS IAM', 'Amazon EC2']);
    expect(draft.description).toContain('Recommended containment:\n- Deactivate the key.');
    // Without an IP from the finding: the first highlight after the baseline.
    expect(caseDraft(makeFinding(), summary, timeline).reportedIncidentStartDate).toBe('2026-11-21T10:00:00Z');
  });

  it('names impacted services once each, as Security IR names them, from the activity and the resources, not from the products that reported it', () => {
    const timeline = [
      entry({ source: 'cloudtrail', service: 'guardduty.amazonaws.com', action: 'DeleteDetector' }),
      entry({ source: 'guardduty', service: 'GuardDuty', action: 'Policy:IAMUser/RootCredentialUsage' }),
      entry({ source: 'securityhub', service: 'Security Hub', action: 'control IAM.9' }),
      entry({ source: 'cloudtrail', service: 'securityhub.amazonaws.com', action: 'DisableSecurityHub' }),
      entry({ source: 'cloudtrail', service: 'signin.amazonaws.com', action: 'ConsoleLogin' }),
      entry({ source: 'cloudtrail', service: 'iam.amazonaws.com' }),
      entry({ source: 'cloudtrail', service: 'newthing.amazonaws.com' }),
    ];
    const finding = makeFinding({
      resources: [
        { type: 'AwsIamAccessKey', id: 'AKIAX', region: null, tags: {} },
        { type: 'AWS::EC2::Instance', id: 'i-1', region: null, tags: {} },
      ],
    });
    expect(impactedServices(finding, timeline)).toEqual(['AWS IAM', 'Amazon EC2', 'Amazon GuardDuty', 'AWS Security Hub', 'AWS Sign-In', 'Newthing']);
    expect(securityIrServiceName('Guardduty')).toBe('Amazon GuardDuty');
    expect(uniqueServices(['GuardDuty', 'Guardduty', 'guardduty ', 'AWS IAM'])).toEqual(['GuardDuty', 'AWS IAM']);
  });

  it('writes IPv6 addresses in the full upper-case form Security IR accepts', () => {
    expect(canonicalIp('203.0.113.9')).toBe('203.0.113.9');
    expect(canonicalIp('2001:db8::1')).toBe('2001:0DB8:0000:0000:0000:0000:0000:0001');
    expect(canonicalIp('::1')).toBe('0000:0000:0000:0000:0000:0000:0000:0001');
    expect(canonicalIp('2001:db8:0:0:0:0:2:1')).toBe('2001:0DB8:0000:0000:0000:0000:0002:0001');
    for (const bad of ['999.1.1.1', '1::2::3', '2001:db8', 'fe80::zz', '12345::1']) expect(canonicalIp(bad), bad).toBeNull();
  });

  it('splits highlights into comments of at most 12,000 characters, never dropping a line', () => {
    const lines = highlightLines(Array.from({ length: 400 }, (_, i) => entry({ id: `e${i}`, highlights: [`highlight ${i} ${'x'.repeat(60)}`] })));
    const comments = splitComments(lines);
    expect(comments.length).toBeGreaterThan(2);
    for (const c of comments) expect(c.length).toBeLessThanOrEqual(12_000);
    expect(comments.join('\n').match(/highlight \d+/g)).toHaveLength(400);
    expect(comments[0]).toMatch(/^Timeline highlights \(1\/\d+\)\n/);
    expect(splitComments(['y'.repeat(20_000)])[0]?.length).toBeLessThanOrEqual(12_000);
  });
});

describe('acknowledgement rules', () => {
  it('compile Acknowledge into an escalation policy on the decision', () => {
    const { ruleSet, errors } = compileRuleSet(
      {
        rules: [
          {
            RuleName: 'critical-ack',
            RuleOrder: 1,
            Criteria: { SeverityLabel: [{ Value: 'CRITICAL', Comparison: 'EQUALS' }] },
            Actions: { Acknowledge: { Within: '15m', Notify: 'S0ONCALL', CirtAfter: '30m', AutoOpenCase: true } },
          },
        ],
      },
      '#sec',
    );
    expect(errors).toEqual([]);
    const decision = route(ruleSet, makeFinding({ severity: { label: 'CRITICAL', score: 90 } }), Date.now());
    expect(decision.acknowledge).toEqual({ withinSeconds: 900, notify: ['S0ONCALL'], cirtAfterSeconds: 1800, autoOpenCase: true });
    expect(route(ruleSet, makeFinding(), Date.now()).acknowledge).toBeNull();
  });
});

describe('Security IR case statuses', () => {
  it("are one list, the API model's, shared by the client, the fake and the views", () => {
    expect(CASE_STATUSES).toEqual([
      'Submitted',
      'Acknowledged',
      'Detection and Analysis',
      'Containment, Eradication and Recovery',
      'Post-incident Activities',
      'Ready to Close',
      'Closed',
    ]);
    expect(CLIENT_STATUSES).toBe(SELF_MANAGED_CASE_STATUSES);
    expect(SELF_MANAGED).toBe(SELF_MANAGED_CASE_STATUSES);
  });

  it('offer only the controls that still apply', () => {
    expect(caseControls({ status: 'Submitted', resolverType: 'Self' })).toEqual({ escalate: true, setStatus: true, close: true });
    expect(caseControls({ status: 'Detection and Analysis', resolverType: 'AWS' })).toEqual({ escalate: false, setStatus: false, close: true });
    expect(caseControls({ status: 'Closed', resolverType: 'Self' })).toEqual({ escalate: false, setStatus: false, close: false });
  });
});
