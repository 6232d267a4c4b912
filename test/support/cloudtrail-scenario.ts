import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface GeneratedRecordOptions {
  count: number;
  accountId: string;
  region: string;
  accessKeyId: string;
  userName: string;
  /** Events are spread evenly back from this time, one every `spacingMs`. */
  latest: string;
  spacingMs?: number;
}

/** CloudTrail records as CloudTrail writes them, for scenarios too big to write by hand. */
export function generateRecords(o: GeneratedRecordOptions): Array<Record<string, unknown>> {
  const latest = Date.parse(o.latest);
  const names = ['ListBuckets', 'DescribeInstances', 'GetObject', 'ListUsers', 'PutObject'];
  return Array.from({ length: o.count }, (_, i) => ({
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAGENERATEDUSER001',
      arn: `arn:aws:iam::${o.accountId}:user/${o.userName}`,
      accountId: o.accountId,
      accessKeyId: o.accessKeyId,
      userName: o.userName,
    },
    eventTime: new Date(latest - i * (o.spacingMs ?? 60_000)).toISOString().replace('.000Z', 'Z'),
    eventSource: 'iam.amazonaws.com',
    eventName: names[i % names.length],
    awsRegion: o.region,
    sourceIPAddress: `198.51.100.${i % 250}`,
    userAgent: 'aws-cli/2.15.30',
    requestParameters: null,
    responseElements: null,
    eventID: `gen-${o.accountId}-${o.region}-${String(i).padStart(6, '0')}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    recipientAccountId: o.accountId,
  }));
}

/** A scenario folder with the records split across the three accepted file formats. */
export function writeScenario(records: Array<Record<string, unknown>>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-scenario-'));
  mkdirSync(path.join(dir, 'cloudtrail'));
  const third = Math.ceil(records.length / 3);
  writeFileSync(path.join(dir, 'cloudtrail', 'a.json'), JSON.stringify({ Records: records.slice(0, third) }));
  writeFileSync(path.join(dir, 'cloudtrail', 'b.json.gz'), gzipSync(JSON.stringify(records.slice(third, 2 * third))));
  writeFileSync(
    path.join(dir, 'cloudtrail', 'c.jsonl'),
    records
      .slice(2 * third)
      .map((r) => JSON.stringify(r))
      .join('\n'),
  );
  return dir;
}
