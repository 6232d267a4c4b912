/** Console deep links. Pure string building so views and the CLI agree on them. */

function consoleHost(partition: string | null | undefined): string {
  if (partition === 'aws-us-gov') return 'https://console.amazonaws-us-gov.com';
  if (partition === 'aws-cn') return 'https://console.amazonaws.cn';
  return 'https://console.aws.amazon.com';
}

export function partitionOfArn(arn: string | null | undefined): string | null {
  const m = arn ? /^arn:([^:]+):/.exec(arn) : null;
  return m?.[1] ?? null;
}

/** Security Hub CSPM findings page filtered to one finding id (the console's own search syntax). */
export function securityHubFindingUrl(id: string, region: string, partition?: string | null): string {
  const search = `Id=\\operator\\:EQUALS\\:${id}`;
  return `${consoleHost(partition)}/securityhub/home?region=${encodeURIComponent(region)}#/findings?search=${encodeURIComponent(search)}`;
}

/**
 * The new (OCSF) Security Hub has no documented per-finding link, so a finding's own
 * `finding_info.src_url` is used when it points at the AWS console, else the findings
 * page of its region.
 */
export function securityHubV2FindingUrl(srcUrl: string | null | undefined, region: string, partition?: string | null): string {
  if (srcUrl && /^https:\/\/([a-z0-9-]+\.)*console\.(aws\.amazon\.com|amazonaws-us-gov\.com|amazonaws\.cn)\//.test(srcUrl)) return srcUrl;
  return `${consoleHost(partition)}/securityhub/v2/home?region=${encodeURIComponent(region)}#/findings`;
}

export function guardDutyFindingUrl(id: string, region: string, partition?: string | null): string {
  return `${consoleHost(partition)}/guardduty/home?region=${encodeURIComponent(region)}#/findings?macros=current&fId=${encodeURIComponent(id)}`;
}

/** A Security Incident Response case in the console. */
export function securityIrCaseUrl(caseId: string, region: string, partition?: string | null): string {
  return `${consoleHost(partition)}/security-ir/home?region=${encodeURIComponent(region)}#/cases/${encodeURIComponent(caseId)}`;
}
