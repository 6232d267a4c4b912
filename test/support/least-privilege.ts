import type { Statement } from './cloudformation.ts';

/**
 * Actions that may name every resource (`"*"`), because the Service Authorization
 * Reference (docs.aws.amazon.com/service-authorization/latest/reference/) defines no
 * resource type for them: IAM evaluates them against "*" only. Each was looked up there;
 * anything else on "*" — above all a write — fails the check.
 */
export const ONLY_ON_EVERY_RESOURCE: Record<string, string> = {
  'cloudtrail:LookupEvents': 'Read; list_awscloudtrail: no resource type (event history is per account and region)',
  'ec2:DescribeInstances': 'List; list_amazonec2: Describe* actions define no resource type',
  'ec2:DescribeRegions': 'List; list_amazonec2: no resource type (regions are not resources)',
  'ce:GetCostAndUsage': 'Read; list_awscostexplorerservice: no resource type (cost and usage is per account)',
  // Not verified in the reference here: Account Management's own example policy for reading the enabled regions grants it on "*".
  'account:ListRegions': 'List; list_awsaccountmanagement: AWS documents it on "*" (its example read-only Account page policy)',
  'ec2:DescribeSecurityGroups': 'List; list_amazonec2: no resource type',
  'ec2:DescribeVolumes': 'List; list_amazonec2: no resource type',
  'guardduty:ListDetectors': 'List; list_amazonguardduty: no resource type (the detector is what it finds)',
  // Not verified in the reference here: Lake Formation grants what GetDataAccess vends per table; the action itself is granted on "*" in AWS's examples.
  'lakeformation:GetDataAccess': 'Read; list_awslakeformation: no resource type (the tables are decided by Lake Formation grants)',
  'security-ir:ListCases': 'List; list_security-ir: "Resource types: (none)" for ListCases',
  // Not here, though once thought to be: security-ir:CreateCase (list_security-ir: case* required),
  // securityhub:GetFindings (hub / hubv2), ssm:StartAutomationExecution (document,
  // automation-definition, automation-execution).
};

/** Read-only by name; everything else is treated as a write. */
const READ = /^[\w-]+:(Get|List|Describe|Lookup|BatchGet)[A-Z]/;

/** What is wrong with a statement, if anything: wildcard actions, or "*" where AWS allows a narrower resource. */
export function leastPrivilegeProblems(s: Statement): string[] {
  const problems: string[] = [];
  const actions = [s.Action].flat();
  const resources = [s.Resource].flat();
  const where = `${s.from}${s.Sid ? ` ${s.Sid}` : ''}`;
  if (s.Effect !== 'Allow') return problems;
  for (const a of actions) {
    if (a.includes('*')) problems.push(`${where}: wildcard action ${a}`);
    if (resources.includes('*') && !Object.hasOwn(ONLY_ON_EVERY_RESOURCE, a)) {
      problems.push(`${where}: ${READ.test(a) ? 'read' : 'write'} ${a} on every resource ("*"), though AWS defines a resource type for it`);
    }
  }
  return problems;
}

export const isRead = (action: string) => READ.test(action);
