import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AwsCredentialIdentity } from '@smithy/types';

/**
 * The one place AWS SDK clients are built, so region, endpoint overrides (the local
 * fake AWS), credentials per account and retries are decided once.
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
}

export function awsSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AwsClientSettings {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return env.SIRBOT_AWS_ENDPOINT ? { region, endpoint: env.SIRBOT_AWS_ENDPOINT } : { region };
}

/** Credentials the fake AWS maps to an account; they sign requests but open nothing real. */
export function fakeCredentials(accountId: string): AwsCredentialIdentity {
  return { accessKeyId: `FAKE${accountId}`, secretAccessKey: 'fake-secret-for-the-local-aws-emulator' };
}

export function secretsManager(settings: AwsClientSettings): SecretsManagerClient {
  return new SecretsManagerClient({ region: settings.region, ...(settings.endpoint ? { endpoint: settings.endpoint } : {}) });
}

export class AwsClientFactory {
  private readonly cloudTrails = new Map<string, CloudTrailClient>();

  constructor(private readonly settings: AwsClientSettings) {}

  private common(accountId: string, region: string) {
    return {
      region,
      maxAttempts: this.settings.maxAttempts ?? 8,
      ...(this.settings.endpoint ? { endpoint: this.settings.endpoint } : {}),
      ...(this.settings.credentialsFor ? { credentials: this.settings.credentialsFor(accountId) } : {}),
    };
  }

  cloudTrail(accountId: string, region: string): CloudTrailClient {
    const key = `${accountId}|${region}`;
    let client = this.cloudTrails.get(key);
    if (!client) {
      client = new CloudTrailClient(this.common(accountId, region));
      this.cloudTrails.set(key, client);
    }
    return client;
  }

  destroy(): void {
    for (const c of this.cloudTrails.values()) c.destroy();
    this.cloudTrails.clear();
  }
}
