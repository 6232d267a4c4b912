import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/domain/finding.ts';
import { playbookFor } from '../../src/domain/investigation/playbooks.ts';
import { type Subject, subjectsOf } from '../../src/domain/investigation/subjects.ts';
import { normalizeInput } from '../../src/ingest/normalize.ts';
import { listShared, sharedJson } from '../support/fixtures.ts';
import { apiForm, asffForm, eventBridgeForm } from '../support/guardduty-forms.ts';
import { ACCOUNT, CALLER, REGION, guardDutyFinding, iamUserKey } from '../support/guardduty-findings.ts';

/**
 * One GuardDuty finding read from every form it arrives in — GuardDuty's own document,
 * GetFindings' PascalCase, the EventBridge event and Security Hub's ASFF (built from AWS's
 * documented mapping, test/support/guardduty-forms.ts) — must name the same subjects and
 * run the same playbook.
 *
 * Compared: each subject's kind and id, who holds a key and as what, a role's session, what
 * an address did. Not compared: a Kubernetes user and containers, which the documented
 * ASFF mapping has no field for (checked apart, below), and where a value was read from.
 */
type Doc = Record<string, unknown>;

const one = (doc: unknown): Finding => {
  const { findings, errors } = normalizeInput(doc);
  expect(errors).toEqual([]);
  expect(findings).toHaveLength(1);
  return findings[0] as Finding;
};

const NOT_IN_ASFF = new Set(['kubernetesUser', 'container']);
const comparable = (subjects: Subject[]) =>
  subjects
    .filter((s) => !NOT_IN_ASFF.has(s.kind))
    .map((s) => [s.kind, s.id, s.principal ?? '', s.principalType ?? '', s.sessionName ?? '', s.ipRole ?? ''].join(' '))
    .sort();

function samples(): Array<[string, Doc]> {
  const out: Array<[string, Doc]> = [];
  const dir = 'guardduty/aws-samples-guardduty-automated-response';
  for (const file of listShared(dir)) out.push([`${dir}/${file}`, sharedJson<Doc>(dir, file)]);
  for (const scenario of readdirSync('src/scenarios')) {
    const base = path.join('src/scenarios', scenario);
    const files = [
      path.join(base, 'finding.json'),
      ...readdirSync(path.join(base, 'findings'))
        .filter((f) => f.startsWith('guardduty'))
        .map((f) => path.join(base, 'findings', f)),
    ];
    for (const file of files) {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Doc | Doc[];
      const docs = Array.isArray(parsed) ? parsed : [parsed];
      for (const [i, d] of docs.filter((d) => typeof d.type === 'string' && 'accountId' in d).entries()) out.push([`${file}#${i}`, d]);
    }
  }
  return out;
}

/** GuardDuty findings written per the documented format, one or more per family. */
function written(): Array<[string, Doc]> {
  const sequence = guardDutyFinding('AttackSequence:IAM/CompromisedCredentials', {
    severity: 9,
    service: {
      serviceName: 'guardduty',
      detection: {
        sequence: {
          uid: 'seq-6a1b2c3d',
          description: 'Credentials used to discover and exfiltrate data.',
          actors: [
            {
              id: 'actor-1',
              user: { name: 'ci-deployer', type: 'IAMUser', uid: 'AIDAEXAMPLECIDEPLOY1', credentialUid: 'AKIAEXPOSEDKEY000001', account: { uid: ACCOUNT } },
            },
          ],
          resources: [{ uid: 'arn:aws:s3:::examplecorp-finance-archive', resourceType: 'S3_BUCKET', name: 'examplecorp-finance-archive' }],
          endpoints: [{ id: 'endpoint-1', ip: '203.0.113.7' }],
          signals: [{ uid: 'signal-1', type: 'FINDING', name: 'Discovery:S3/AnomalousBehavior' }],
        },
      },
    },
  });
  const probe = guardDutyFinding('Recon:EC2/PortProbeUnprotectedPort', {
    service: {
      serviceName: 'guardduty',
      action: {
        actionType: 'PORT_PROBE',
        portProbeAction: {
          blocked: false,
          portProbeDetails: [
            { localPortDetails: { port: 22, portName: 'SSH' }, remoteIpDetails: { ipAddressV4: '192.0.2.10', country: { countryName: 'Brazil' } } },
            { localPortDetails: { port: 3389, portName: 'RDP' }, remoteIpDetails: { ipAddressV4: '192.0.2.11' } },
          ],
        },
      },
      eventFirstSeen: '2026-11-21T09:58:00.000Z',
      eventLastSeen: '2026-11-21T10:04:00.000Z',
    },
  });
  const exfiltrated = guardDutyFinding('UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', {
    resource: {
      resourceType: 'AccessKey',
      accessKeyDetails: {
        accessKeyId: 'ASIAQEXAMPLE7KEY2ID',
        principalId: 'AROAEXAMPLEROLEID123:i-0317f6c6b66ae9c40',
        userName: 'web-app-role',
        userType: 'AssumedRole',
      },
      instanceDetails: {
        instanceId: 'i-0317f6c6b66ae9c40',
        iamInstanceProfile: { arn: `arn:aws:iam::${ACCOUNT}:instance-profile/web`, id: 'AIPAEXAMPLEPROFILE01' },
      },
    },
  });
  const rds = guardDutyFinding('CredentialAccess:RDS/AnomalousBehavior.SuccessfulLogin');
  (rds.service as Doc).action = {
    actionType: 'RDS_LOGIN_ATTEMPT',
    rdsLoginAttemptAction: { remoteIpDetails: CALLER, loginAttributes: [{ user: 'admin', application: 'psql', successfulLoginAttempts: 1 }] },
  };
  const eks = guardDutyFinding('Discovery:Kubernetes/SuccessfulAnonymousAccess');
  (eks.service as Doc).action = {
    actionType: 'KUBERNETES_API_CALL',
    kubernetesApiCallAction: { verb: 'list', requestUri: '/api/v1/secrets', remoteIpDetails: CALLER },
  };
  return [
    ['IAM user key, API call from outside', guardDutyFinding('UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom')],
    ['assumed-role key whose session is an instance', exfiltrated],
    ['root key', guardDutyFinding('Policy:IAMUser/RootCredentialUsage')],
    ['logging stopped', guardDutyFinding('Stealth:IAMUser/CloudTrailLoggingDisabled')],
    [
      'S3 bucket and caller',
      guardDutyFinding('Exfiltration:S3/AnomalousBehavior', {
        resource: {
          resourceType: 'S3Bucket',
          accessKeyDetails: iamUserKey('data-reader'),
          s3BucketDetails: [{ arn: 'arn:aws:s3:::examplecorp-finance-archive', name: 'examplecorp-finance-archive' }],
        },
      }),
    ],
    ['EC2 instance talking to a C&C server', guardDutyFinding('Backdoor:EC2/C&CActivity.B!DNS')],
    ['port probes', probe],
    ['malware on an instance', guardDutyFinding('Execution:EC2/MaliciousFile')],
    ['Kubernetes anonymous access', eks],
    ['runtime on an ECS cluster', guardDutyFinding('Execution:ECS/MaliciousFile')],
    ['RDS login', rds],
    ['Lambda C&C', guardDutyFinding('Backdoor:Lambda/C&CActivity.B')],
    ['attack sequence', sequence],
  ];
}

describe('GuardDuty findings read the same from every form', () => {
  const all = [...samples(), ...written()];

  it('covers the shared samples, every scenario GuardDuty finding and each family', () => {
    expect(all.length).toBeGreaterThanOrEqual(3 + 4 + 13);
  });

  it.each(all)('%s', (_name, native) => {
    const forms: Record<string, unknown> = { native, api: apiForm(native), eventbridge: eventBridgeForm(native), asff: asffForm(native) };
    const read = Object.fromEntries(Object.entries(forms).map(([form, doc]) => [form, one(doc)]));
    const expected = { subjects: comparable(subjectsOf(read.native as Finding)), playbook: playbookFor(read.native as Finding).id };
    expect(expected.subjects.length).toBeGreaterThan(0);
    for (const [form, finding] of Object.entries(read)) {
      expect({ subjects: comparable(subjectsOf(finding)), playbook: playbookFor(finding).id }, form).toEqual(expected);
    }
    // GuardDuty's own forms carry everything, the Kubernetes user and containers included.
    for (const form of ['api', 'eventbridge']) expect(subjectsOf(read[form] as Finding)).toEqual(subjectsOf(read.native as Finding));
  });

  it('names what each written finding is about', () => {
    const byName = Object.fromEntries(written());
    const names = (doc: Doc) => comparable(subjectsOf(one(asffForm(doc))));
    expect(names(byName['assumed-role key whose session is an instance'] as Doc)).toEqual([
      'accessKey ASIAQEXAMPLE7KEY2ID web-app-role AssumedRole  ',
      'instance i-0317f6c6b66ae9c40    ',
      'ip 198.51.100.23    caller',
      'role web-app-role   i-0317f6c6b66ae9c40 ',
    ]);
    expect(names(byName['port probes'] as Doc)).toEqual(
      expect.arrayContaining(['ip 192.0.2.10    prober', 'ip 192.0.2.11    prober', 'instance i-0317f6c6b66ae9c40    ']),
    );
    expect(names(byName['attack sequence'] as Doc)).toEqual(
      expect.arrayContaining([
        'accessKey AKIAEXPOSEDKEY000001 ci-deployer IAMUser  ',
        'iamUser ci-deployer    ',
        'bucket examplecorp-finance-archive    ',
        'ip 203.0.113.7    caller',
      ]),
    );
    expect(names(byName['RDS login'] as Doc)).toEqual(['ip 198.51.100.23    caller', 'rdsInstance orders    ']);
    expect(names(byName['runtime on an ECS cluster'] as Doc)).toEqual(['ecsCluster web    ', 'ip 198.51.100.23    remote']);
    const eks = subjectsOf(one(byName['Kubernetes anonymous access'] as Doc));
    expect(eks.map((s) => `${s.kind}:${s.id}`)).toEqual(expect.arrayContaining(['eksCluster:prod', 'kubernetesUser:system:anonymous', 'ip:198.51.100.23']));
  });

  it('reads the documented ASFF example of a GuardDuty finding as it reads the GuardDuty finding behind it', () => {
    // The GuardDuty User Guide's "Typical finding from GuardDuty", reduced to what sirbot reads.
    const documented = one({
      SchemaVersion: '2018-10-08',
      Id: 'arn:aws:guardduty:us-east-1:193043430472:detector/d4b040365221be2b54a6264dc9a4bc64/finding/46ba0ac2845071e23ccdeb2ae03bfdea',
      ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty',
      GeneratorId: 'arn:aws:guardduty:us-east-1:193043430472:detector/d4b040365221be2b54a6264dc9a4bc64',
      AwsAccountId: '193043430472',
      Types: ['TTPs/Initial Access/UnauthorizedAccess:EC2-SSHBruteForce'],
      CreatedAt: '2020-08-22T09:34:34.146Z',
      UpdatedAt: '2020-09-30T12:14:00.206Z',
      Severity: { Product: 2, Label: 'MEDIUM', Normalized: 40 },
      Title: '199.241.229.197 is performing SSH brute force attacks against i-0c10c2c7863d1a356.',
      ProductFields: {
        'aws/guardduty/service/action/networkConnectionAction/remoteIpDetails/ipAddressV4': '199.241.229.197',
        'aws/guardduty/service/action/networkConnectionAction/connectionDirection': 'INBOUND',
        'aws/guardduty/service/resourceRole': 'TARGET',
      },
      Resources: [{ Type: 'AwsEc2Instance', Id: 'arn:aws:ec2:us-east-1:193043430472:instance/i-0c10c2c7863d1a356', Partition: 'aws', Region: 'us-east-1' }],
    });
    expect(comparable(subjectsOf(documented))).toEqual(['instance i-0c10c2c7863d1a356    ', 'ip 199.241.229.197    remote']);
    expect(playbookFor(documented).id).toBe('ec2-compromise');
    expect(documented.region).toBe(REGION);
  });
});
