import type { Finding } from '../../src/domain/finding.ts';

/** A normalized finding with every field set; override what a test is about. */
export function makeFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 'arn:aws:securityhub:us-east-1:111122223333:subscription/aws-foundational-security-best-practices/v/1.0.0/S3.1/finding/0001',
    schema: 'asff',
    product: 'Security Hub',
    productArn: 'arn:aws:securityhub:us-east-1::product/aws/securityhub',
    type: 'Software and Configuration Checks/Industry and Regulatory Standards',
    types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
    title: 'S3.1 S3 general purpose buckets should have block public access settings enabled',
    description: 'This control checks whether S3 block public access settings are enabled.',
    severity: { label: 'MEDIUM', score: 40 },
    accountId: '111122223333',
    region: 'us-east-1',
    resources: [{ type: 'AwsS3Bucket', id: 'arn:aws:s3:::example-bucket', region: 'us-east-1', tags: {} }],
    controlId: 'S3.1',
    generatorId: 'security-control/S3.1',
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    firstSeenAt: '2026-11-20T10:00:00.000Z',
    lastSeenAt: '2026-11-20T10:00:00.000Z',
    workflowStatus: 'NEW',
    recordState: 'ACTIVE',
    consoleUrl: 'https://console.aws.amazon.com/securityhub/home?region=us-east-1#/findings',
    raw: {},
    ...overrides,
  };
}
