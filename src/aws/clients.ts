import type { AccountClient } from '@aws-sdk/client-account';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { GuardDutyClient } from '@aws-sdk/client-guardduty';
import type { IAMClient } from '@aws-sdk/client-iam';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  accountSdk,
  athenaSdk,
  bedrockRuntimeSdk,
  cloudTrailSdk,
  costExplorerSdk,
  credentialProvidersSdk,
  ec2Sdk,
  guardDutySdk,
  iamSdk,
  s3Sdk,
  securityHubSdk,
  ssmSdk,
} from './sdk.ts';
import { SecurityIRClient } from './security-ir/client.ts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * The one place AWS SDK clients are built, so region, endpoint overrides (the local
 * fake AWS), credentials per account and retries are decided once. Clients for other
 * accounts come from SDK packages loaded on first use (./sdk.ts).
 */
export interface AwsClientSettings {
  region: string;
  /** Points every client at a local fake (tests, workbench, `sirbot investigate`). */
  endpoint?: string;
  /**
   * Credentials for acting in an account. Unset: the default credential chain (the
   * account sirbot runs in). The fake AWS tells accounts apart by key `FAKE<account>`.
   */
  credentialsFor?: (accountId: string) => AwsCredentialIdentity;
  /** Attempts per call, including retries of throttling and transient errors. */
  maxAttempts?: number;
  /**
   * Evidence in other accounts is gathered by assuming this role there. `{account}` in
   * the name is replaced; a bare name becomes arn:aws:iam::<account>:role/<name>.
   */
  assumeRole?: {
    roleName: string;
    externalId?: string;
    homeAccount: string;
    sessionName?: string;
    /** Another role (name or ARN) for some accounts, e.g. the GuardDuty administrator's. */
    roleFor?: Record<string, string>;
  };
}

/** The role settings for the GuardDuty administrator account, when it has a role of its own. */
export function guardDutyAdminRole(env: {
  SIRBOT_GUARDDUTY_ADMIN_ACCOUNT?: string | undefined;
  SIRBOT_GUARDDUTY_ADMIN_ROLE?: string | undefined;
}): { roleFor: Record<string, string> } | Record<string, never> {
  const account = env.SIRBOT_GUARDDUTY_ADMIN_ACCOUNT;
  return account && env.SIRBOT_GUARDDUTY_ADMIN_ROLE ? { roleFor: { [account]: env.SIRBOT_GUARDDUTY_ADMIN_ROLE } } : {};
}

export function awsSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AwsClientSettings {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return env.SIRBOT_AWS_ENDPOINT ? { region, endpoint: env.SIRBOT_AWS_ENDPOINT } : { region };
}

export { fakeCredentials } from './fake-credentials.ts';

/** sirbot's own table; `endpoint` points it at DynamoDB Local or dynalite. */
export function dynamoDb(settings: AwsClientSettings, endpoint?: string): DynamoDBClient {
  return new DynamoDBClient({ region: settings.region, ...(endpoint ? { endpoint } : {}) });
}

/** sirbot's own work queue. */
export function sqs(settings: AwsClientSettings): SQSClient {
  return new SQSClient({ region: settings.region, ...(settings.endpoint ? { endpoint: settings.endpoint } : {}) });
}

export function secretsManager(settings: AwsClientSettings): SecretsManagerClient {
  return new SecretsManagerClient({ region: settings.region, ...(settings.endpoint ? { endpoint: settings.endpoint } : {}) });
}

/** The account sirbot's own credentials act in, whatever its id (Security IR lives there). */
export const SELF = 'self';

export function roleArnFor(roleName: string, accountId: string): string {
  const name = roleName.replace(/\{account\}/g, accountId);
  return name.startsWith('arn:') ? name : `arn:aws:iam::${accountId}:role/${name}`;
}

export class AwsClientFactory {
  private readonly cloudTrails = new Map<string, CloudTrailClient>();
  private readonly athenas = new Map<string, AthenaClient>();
  private readonly iams = new Map<string, IAMClient>();
  private readonly ec2s = new Map<string, EC2Client>();
  private readonly guardDuties = new Map<string, GuardDutyClient>();
  private readonly securityHubs = new Map<string, SecurityHubClient>();
  private readonly ssms = new Map<string, SSMClient>();
  private readonly s3s = new Map<string, S3Client>();
  private readonly securityIrs = new Map<string, SecurityIRClient>();
  private readonly accounts = new Map<string, AccountClient>();
  private readonly costExplorers = new Map<string, CostExplorerClient>();
  private readonly bedrockRuntimes = new Map<string, BedrockRuntimeClient>();
  /** One provider per account: it caches the session and renews it before it expires. */
  private readonly assumed = new Map<string, AwsCredentialIdentityProvider>();

  constructor(private readonly settings: AwsClientSettings) {}

  /** Credentials for an account: our own in the home account (or `SELF`), an assumed role elsewhere. */
  credentials(accountId: string): AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined {
    const { assumeRole, credentialsFor } = this.settings;
    if (!assumeRole || accountId === assumeRole.homeAccount || accountId === SELF) return credentialsFor?.(accountId);
    let provider = this.assumed.get(accountId);
    if (!provider) {
      provider = credentialProvidersSdk().fromTemporaryCredentials({
        params: {
          RoleArn: roleArnFor(assumeRole.roleFor?.[accountId] ?? assumeRole.roleName, accountId),
          RoleSessionName: assumeRole.sessionName ?? 'sirbot-evidence',
          ...(assumeRole.externalId ? { ExternalId: assumeRole.externalId } : {}),
          DurationSeconds: 3600,
        },
        ...(credentialsFor ? { masterCredentials: credentialsFor(assumeRole.homeAccount) } : {}),
        clientConfig: { region: this.settings.region, ...(this.settings.endpoint ? { endpoint: this.settings.endpoint } : {}) },
      });
      this.assumed.set(accountId, provider);
    }
    return provider;
  }

  private common(accountId: string, region: string) {
    const credentials = this.credentials(accountId);
    return {
      region,
      maxAttempts: this.settings.maxAttempts ?? 8,
      ...(this.settings.endpoint ? { endpoint: this.settings.endpoint } : {}),
      ...(credentials ? { credentials } : {}),
    };
  }

  /** One client per (service, account, region), built on first use. */
  private cached<C extends { destroy(): void }>(
    cache: Map<string, C>,
    accountId: string,
    region: string,
    make: (config: ReturnType<AwsClientFactory['common']>) => C,
  ): C {
    const key = `${accountId}|${region}`;
    let client = cache.get(key);
    if (!client) {
      client = make(this.common(accountId, region));
      cache.set(key, client);
    }
    return client;
  }

  cloudTrail(accountId: string, region: string): CloudTrailClient {
    return this.cached(this.cloudTrails, accountId, region, (c) => new (cloudTrailSdk().CloudTrailClient)(c));
  }

  /** Athena, for the CloudTrail table over a trail's logs (aws/evidence/athena.ts). */
  athena(accountId: string, region: string): AthenaClient {
    return this.cached(this.athenas, accountId, region, (c) => new (athenaSdk().AthenaClient)(c));
  }

  /** IAM is global: one client per account, signed for us-east-1. */
  iam(accountId: string): IAMClient {
    return this.cached(this.iams, accountId, 'us-east-1', (c) => new (iamSdk().IAMClient)(c));
  }

  /** The Account Management API is global: one client per account, signed for us-east-1. */
  account(accountId: string): AccountClient {
    return this.cached(this.accounts, accountId, 'us-east-1', (c) => new (accountSdk().AccountClient)(c));
  }

  /** Cost Explorer answers at one endpoint, in us-east-1, for the whole account. */
  costExplorer(accountId: string): CostExplorerClient {
    return this.cached(this.costExplorers, accountId, 'us-east-1', (c) => new (costExplorerSdk().CostExplorerClient)(c));
  }

  ec2(accountId: string, region: string): EC2Client {
    return this.cached(this.ec2s, accountId, region, (c) => new (ec2Sdk().EC2Client)(c));
  }

  guardDuty(accountId: string, region: string): GuardDutyClient {
    return this.cached(this.guardDuties, accountId, region, (c) => new (guardDutySdk().GuardDutyClient)(c));
  }

  securityHub(accountId: string, region: string): SecurityHubClient {
    return this.cached(this.securityHubs, accountId, region, (c) => new (securityHubSdk().SecurityHubClient)(c));
  }

  ssm(accountId: string, region: string): SSMClient {
    return this.cached(this.ssms, accountId, region, (c) => new (ssmSdk().SSMClient)(c));
  }

  /**
   * Path-style addressing when an endpoint is overridden: a local fake has no bucket
   * subdomains. S3's redirect to a bucket's own region is followed: findings do not always
   * say where a bucket lives.
   */
  s3(accountId: string, region: string): S3Client {
    return this.cached(
      this.s3s,
      accountId,
      region,
      (c) => new (s3Sdk().S3Client)({ ...c, followRegionRedirects: true, ...(this.settings.endpoint ? { forcePathStyle: true } : {}) }),
    );
  }

  /** Security Incident Response, where the membership lives (sirbot's own account unless configured). */
  securityIr(accountId: string, region: string): SecurityIRClient {
    return this.cached(this.securityIrs, accountId, region, (c) => new SecurityIRClient(c));
  }

  /** Bedrock Runtime in sirbot's own account: the model that translates questions the grammar cannot read. */
  bedrockRuntime(accountId: string, region: string): BedrockRuntimeClient {
    return this.cached(this.bedrockRuntimes, accountId, region, (c) => new (bedrockRuntimeSdk().BedrockRuntimeClient)(c));
  }

  destroy(): void {
    for (const cache of [
      this.bedrockRuntimes,
      this.securityIrs,
      this.accounts,
      this.costExplorers,
      this.cloudTrails,
      this.athenas,
      this.iams,
      this.ec2s,
      this.guardDuties,
      this.securityHubs,
      this.ssms,
      this.s3s,
    ] as Array<Map<string, { destroy(): void }>>) {
      for (const c of cache.values()) c.destroy();
      cache.clear();
    }
  }
}
