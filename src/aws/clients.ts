import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * The one place AWS SDK clients are built, so region, endpoint overrides (the local
 * fake AWS) and retry settings are decided once. Later: per-account assumed roles.
 */
export interface AwsClientSettings {
  region: string;
  /** Points every client at a local fake (tests, workbench). */
  endpoint?: string;
}

export function awsSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AwsClientSettings {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return env.SIRBOT_AWS_ENDPOINT ? { region, endpoint: env.SIRBOT_AWS_ENDPOINT } : { region };
}

export function secretsManager(settings: AwsClientSettings): SecretsManagerClient {
  return new SecretsManagerClient({ region: settings.region, ...(settings.endpoint ? { endpoint: settings.endpoint } : {}) });
}
