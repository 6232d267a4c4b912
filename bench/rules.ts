import { stringify } from 'yaml';
import { account } from '../test/support/generate.ts';

/** 100 rules in the shapes teams write: per account, per control, per tag, per type, per severity. */
export function benchRulesYaml(count = 100): string {
  const rules = [];
  for (let i = 0; i < count; i++) {
    const order = i + 1;
    switch (i % 5) {
      case 0:
        rules.push({
          RuleName: `account-${i}`,
          RuleOrder: order,
          Criteria: { AwsAccountId: [{ Value: account(i % 50), Comparison: 'EQUALS' }] },
          Actions: { Channel: `#team-${i % 50}` },
        });
        break;
      case 1:
        rules.push({
          RuleName: `control-${i}`,
          RuleOrder: order,
          Criteria: {
            ComplianceSecurityControlId: [{ Value: ['S3.1', 'EC2.19', 'IAM.6', 'KMS.4'][i % 4], Comparison: 'EQUALS' }],
            SeverityLabel: [{ Value: 'LOW', Comparison: 'NOT_EQUALS' }],
          },
          Actions: { Digest: true },
        });
        break;
      case 2:
        rules.push({
          RuleName: `prod-tag-${i}`,
          RuleOrder: order,
          Criteria: {
            ResourceTags: [{ Key: 'environment', Value: 'production', Comparison: 'EQUALS' }],
            'cloud.region': [{ Value: 'eu-', Comparison: 'PREFIX' }],
          },
          Actions: { SeverityLabel: 'CRITICAL' },
        });
        break;
      case 3:
        rules.push({
          RuleName: `type-${i}`,
          RuleOrder: order,
          Criteria: {
            'finding_info.types': [{ Value: 'Unauthorized', Comparison: 'CONTAINS' }],
            UpdatedAt: [{ DateRange: { Value: 7, Unit: 'DAYS' } }],
          },
          Actions: { Investigate: true },
        });
        break;
      default:
        rules.push({
          RuleName: `team-${i}`,
          RuleOrder: order,
          Criteria: { ResourceTags: [{ Key: 'team', Value: `team-${i % 7}`, Comparison: 'EQUALS' }], Title: [{ Value: 'KMS', Comparison: 'NOT_CONTAINS' }] },
          Actions: { Mention: 'S0TEAMGROUP' },
        });
    }
  }
  return stringify({ version: 1, rules });
}
