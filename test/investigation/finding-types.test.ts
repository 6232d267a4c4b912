import { describe, expect, it } from 'vitest';
import { parseThreatType } from '../../src/domain/investigation/finding-types.ts';
import { PLAYBOOK_IDS, type PlaybookId, playbookFor } from '../../src/domain/investigation/playbooks.ts';
import type { Finding } from '../../src/domain/finding.ts';
import { normalizeInput } from '../../src/ingest/normalize.ts';
import { ALL_GUARDDUTY_FINDING_TYPES, GUARDDUTY_FINDING_TYPES } from '../support/guardduty-finding-types.ts';
import { ASFF_TYPES, asffForm, asffTypesOf } from '../support/guardduty-forms.ts';
import { ACCOUNT, REGION, guardDutyFinding } from '../support/guardduty-findings.ts';

const one = (doc: unknown): Finding => {
  const { findings, errors } = normalizeInput(doc);
  expect(errors).toEqual([]);
  return findings[0] as Finding;
};

/** An OCSF Detection Finding as Security Hub publishes GuardDuty's, carrying the type in the given places. */
function ocsfGuardDuty(types: string[] | undefined, analytic?: string): Record<string, unknown> {
  return {
    class_uid: 2004,
    activity_id: 1,
    severity_id: 3,
    status_id: 1,
    time: 1795269791000,
    metadata: { version: '1.6.0', product: { name: 'GuardDuty', vendor_name: 'AWS', uid: `arn:aws:securityhub:${REGION}::productv2/aws/guardduty` } },
    finding_info: {
      uid: `arn:aws:guardduty:${REGION}:${ACCOUNT}:detector/12abc34d567e8fa901bc2d34e56789f0/finding/0f1e2d3c4b5a69788796a5b4c3d2e1f0`,
      title: 'A GuardDuty finding',
      ...(types ? { types } : {}),
      ...(analytic ? { analytic: { name: analytic, type: 'Rule', type_id: 1 } } : {}),
      created_time_dt: '2026-11-21T10:00:00.000Z',
    },
    cloud: { provider: 'AWS', region: REGION, account: { uid: ACCOUNT } },
    resources: [],
  };
}

describe('threat types in every spelling', () => {
  it.each([
    ['Backdoor:EC2/C&CActivity.B!DNS', { purpose: 'Backdoor', resource: 'EC2', family: 'C&CActivity', mechanism: 'B', artifact: 'DNS' }],
    [
      'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
      { purpose: 'UnauthorizedAccess', resource: 'IAMUser', family: 'InstanceCredentialExfiltration', mechanism: 'OutsideAWS', artifact: null },
    ],
    [
      'Persistence:Kubernetes/AnomalousBehavior.WorkloadDeployed!ContainerWithSensitiveMount',
      { family: 'AnomalousBehavior', mechanism: 'WorkloadDeployed', artifact: 'ContainerWithSensitiveMount' },
    ],
    // Security Hub's rewrites, as its table and findings in the wild spell them.
    ['TTPs/Discovery/Recon:IAMUser-UserPermissions', { canonical: 'Recon:IAMUser/UserPermissions' }],
    ['Unusual Behaviors/User/UnauthorizedAccess:IAMUser-ConsoleLoginSuccess.B', { canonical: 'UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B' }],
    ['Software and Configuration Checks/Backdoor:EC2-C&CActivity.B', { canonical: 'Backdoor:EC2/C&CActivity.B' }],
    ['TTPs/Defense Evasion/Stealth:IAMUser-CloudTrailLoggingDisabled', { canonical: 'Stealth:IAMUser/CloudTrailLoggingDisabled' }],
    [
      'Effects/Data Exfiltration/UnauthorizedAccess:IAMUser-InstanceCredentialExfiltration',
      { canonical: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration' },
    ],
    ['TTPs/Command and Control/Trojan:EC2-DNSDataExfiltration!DNS', { canonical: 'Trojan:EC2/DNSDataExfiltration!DNS' }],
    ['TTPs/PenTest:IAMUser/KaliLinux', { canonical: 'PenTest:IAMUser/KaliLinux' }],
    ['TTPs/Credential Access/IAMUser-AnomalousBehavior', { canonical: 'CredentialAccess:IAMUser/AnomalousBehavior' }],
    ['TTPs/Discovery/RDS-MaliciousIPCaller', { canonical: 'Discovery:RDS/MaliciousIPCaller' }],
    ['TTPs/DefenseEvasion/EC2:Unusual-DoH-Activity', { canonical: 'DefenseEvasion:EC2/UnusualDoHActivity' }],
    ['TTPs/AnomalousBehavior/CredentialAccess:Kubernetes-SecretsAccessed', { canonical: 'CredentialAccess:Kubernetes/AnomalousBehavior.SecretsAccessed' }],
  ] as const)('%s', (text, expected) => {
    expect(parseThreatType(text)).toMatchObject(expected);
  });

  it('reads nothing from control, vulnerability and other types', () => {
    for (const text of [
      'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
      'Effects/Data Exposure/AWS-Foundational-Security-Best-Practices',
      'Software and Configuration Checks/Vulnerabilities/CVE',
      'Software and Configuration Checks/AWS Security Best Practices/External Access Granted',
      'Unusual Behaviors/Network/AdHocInvestigation',
      'Effects/Data Exposure/S3-Public',
      '',
    ]) {
      expect(parseThreatType(text), text).toBeNull();
    }
  });

  it("reads every row of Security Hub's table back to the GuardDuty type it stands for", () => {
    expect(ASFF_TYPES.size).toBeGreaterThan(150);
    for (const [type, asffTypes] of ASFF_TYPES) {
      for (const asff of asffTypes) expect(parseThreatType(asff)?.canonical, asff).toBe(type);
    }
  });
});

describe('a playbook for every GuardDuty finding type, in every form', () => {
  it('lists the documented types once each', () => {
    expect(ALL_GUARDDUTY_FINDING_TYPES.length).toBeGreaterThan(200);
    expect(new Set(ALL_GUARDDUTY_FINDING_TYPES).size).toBe(ALL_GUARDDUTY_FINDING_TYPES.length);
    for (const type of ASFF_TYPES.keys()) expect(ALL_GUARDDUTY_FINDING_TYPES, type).toContain(type);
  });

  const cases = (Object.entries(GUARDDUTY_FINDING_TYPES) as Array<[PlaybookId, string[]]>).flatMap(([id, types]) => types.map((t) => [t, id] as const));

  it.each(cases)('%s → %s', (type, expected) => {
    const native = guardDutyFinding(type);
    const forms: Record<string, unknown> = {
      native,
      asff: asffForm(native),
      'ocsf (GuardDuty spelling)': ocsfGuardDuty([type]),
      'ocsf (Security Hub spelling)': ocsfGuardDuty(asffTypesOf(type)),
      'ocsf (analytic only)': ocsfGuardDuty(undefined, type),
    };
    for (const [form, doc] of Object.entries(forms)) {
      const playbook = playbookFor(one(doc));
      expect(playbook.id, `${form}: ${type}`).not.toBe('generic');
      // OCSF here names no resource, so root (the actor) and a runtime finding's host are only in the other forms.
      expect(playbook.id, `${form}: ${type}`).toBe(expected);
    }
  });

  it('uses every playbook id it documents', () => {
    const used = new Set(cases.map(([, id]) => id));
    expect(PLAYBOOK_IDS.filter((id) => !used.has(id))).toEqual(['security-control', 'vulnerability', 'generic']);
  });
});
