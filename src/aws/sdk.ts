import { createRequire } from 'node:module';
import type * as Athena from '@aws-sdk/client-athena';
import type * as Account from '@aws-sdk/client-account';
import type * as BedrockRuntime from '@aws-sdk/client-bedrock-runtime';
import type * as CloudTrail from '@aws-sdk/client-cloudtrail';
import type * as CostExplorer from '@aws-sdk/client-cost-explorer';
import type * as Ec2 from '@aws-sdk/client-ec2';
import type * as GuardDuty from '@aws-sdk/client-guardduty';
import type * as Iam from '@aws-sdk/client-iam';
import type * as S3 from '@aws-sdk/client-s3';
import type * as SecurityHub from '@aws-sdk/client-securityhub';
import type * as Ssm from '@aws-sdk/client-ssm';
import type * as CredentialProviders from '@aws-sdk/credential-providers';

/**
 * The AWS SDK packages sirbot needs only to reach into accounts (evidence, actions,
 * `/sir finding`, assumed roles), loaded on first use instead of at start-up. The Slack
 * and ingest functions never use them on their usual path, and together they weigh
 * about 2 MB of bundled code (EC2's client alone is 1 MB): loading them when the module
 * loads would make every cold start pay for them.
 *
 * They are required at run time, not imported, so esbuild leaves them out of the Lambda
 * bundles (src/build/bundle.ts): on Lambda they come from the AWS SDK v3 that the
 * nodejs22.x runtime ships (found through its NODE_PATH), elsewhere from node_modules.
 * The tradeoff: on Lambda these calls run on the runtime's pinned SDK version, not the
 * one in package-lock.json, so a command newer than that version (BatchUpdateFindingsV2
 * is the newest sirbot uses) fails when called, not at deploy. The clients sirbot uses
 * on every request (DynamoDB, SQS, Secrets Manager) stay imported and bundled.
 *
 * Node caches each module after its first require, so calling these again costs a lookup.
 */
const load = createRequire(import.meta.url);

export const athenaSdk = (): typeof Athena => load('@aws-sdk/client-athena') as typeof Athena;
export const accountSdk = (): typeof Account => load('@aws-sdk/client-account') as typeof Account;
export const costExplorerSdk = (): typeof CostExplorer => load('@aws-sdk/client-cost-explorer') as typeof CostExplorer;
export const bedrockRuntimeSdk = (): typeof BedrockRuntime => load('@aws-sdk/client-bedrock-runtime') as typeof BedrockRuntime;
export const cloudTrailSdk = (): typeof CloudTrail => load('@aws-sdk/client-cloudtrail') as typeof CloudTrail;
export const ec2Sdk = (): typeof Ec2 => load('@aws-sdk/client-ec2') as typeof Ec2;
export const guardDutySdk = (): typeof GuardDuty => load('@aws-sdk/client-guardduty') as typeof GuardDuty;
export const iamSdk = (): typeof Iam => load('@aws-sdk/client-iam') as typeof Iam;
export const s3Sdk = (): typeof S3 => load('@aws-sdk/client-s3') as typeof S3;
export const securityHubSdk = (): typeof SecurityHub => load('@aws-sdk/client-securityhub') as typeof SecurityHub;
export const ssmSdk = (): typeof Ssm => load('@aws-sdk/client-ssm') as typeof Ssm;
export const credentialProvidersSdk = (): typeof CredentialProviders => load('@aws-sdk/credential-providers') as typeof CredentialProviders;

/** The packages above, for the build to check that nothing imports them statically. */
export const LAZY_SDK_PACKAGES = [
  '@aws-sdk/client-athena',
  '@aws-sdk/client-account',
  '@aws-sdk/client-cost-explorer',
  '@aws-sdk/client-bedrock-runtime',
  '@aws-sdk/client-cloudtrail',
  '@aws-sdk/client-ec2',
  '@aws-sdk/client-guardduty',
  '@aws-sdk/client-iam',
  '@aws-sdk/client-s3',
  '@aws-sdk/client-securityhub',
  '@aws-sdk/client-ssm',
  '@aws-sdk/credential-providers',
] as const;
