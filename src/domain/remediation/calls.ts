import type { AwsCall } from '../actions/aws-call.ts';
import type { InputSpec, RemediationInputs } from './remediation.ts';

/** What the remediations share: the shapes of their inputs and how their calls are written. */

export const ACCOUNT = /^\d{12}$/;
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
export const ACCESS_KEY = /^(AKIA|ASIA)[A-Z0-9]{12,124}$/;
/** IAM user and role names share one pattern and length (IAM API Reference: 1–64 of `[\w+=,.@-]`). */
export const USER = /^[\w+=,.@-]{1,64}$/;
export const ROLE = USER;
export const INSTANCE = /^i-[0-9a-f]{8,17}$/;
export const POLICY_ARN = /^arn:aws[\w-]*:iam::(aws|\d{12}):policy\/[\w+=,.@/-]{1,512}$/;
export const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const inAccount: InputSpec = { name: 'account', label: 'Account', pattern: ACCOUNT };
export const inRegion: InputSpec = { name: 'region', label: 'Region', pattern: REGION };
export const inInstance: InputSpec = { name: 'instanceId', label: 'Instance', pattern: INSTANCE };
/** IAM is global; its calls are signed for us-east-1. */
export const IAM_REGION = 'us-east-1';

export const iam = (i: RemediationInputs, operation: string, input: Record<string, unknown>): AwsCall => ({
  service: 'iam',
  operation,
  account: i.account as string,
  region: IAM_REGION,
  input,
});

export const ec2 = (i: RemediationInputs, operation: string, input: Record<string, unknown>, saveAs?: string): AwsCall => ({
  service: 'ec2',
  operation,
  account: i.account as string,
  region: i.region as string,
  input,
  ...(saveAs ? { saveAs } : {}),
});

/** The AWS error a read answered with (`{ error: <name> }`), or null when it answered. */
export const failed = (answer: unknown): string | null => {
  const e = (answer as { error?: string } | null)?.error;
  return typeof e === 'string' ? e : null;
};

/** An instance as DescribeInstances answers it: the fields plans read. */
export interface DescribedInstance {
  VpcId?: string;
  State?: { Name?: string };
  SecurityGroups?: Array<{ GroupId?: string }>;
  BlockDeviceMappings?: Array<{ Ebs?: { VolumeId?: string } }>;
  MetadataOptions?: { State?: string; HttpTokens?: string; HttpPutResponseHopLimit?: number; HttpEndpoint?: string };
}

export function instanceOf(answer: unknown): DescribedInstance | null {
  const a = answer as { Reservations?: Array<{ Instances?: DescribedInstance[] }> } | null;
  return a?.Reservations?.[0]?.Instances?.[0] ?? null;
}

export const describeInstance = (i: RemediationInputs) => ec2(i, 'DescribeInstances', { InstanceIds: [i.instanceId] });
