import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';

/**
 * The Slack credentials secret: one JSON secret so rotation changes one thing. It may also
 * hold the paging credentials (README "Paging on-call"), which the environment overrides.
 */
export const slackSecretSchema = z.object({
  signingSecret: z.string().min(1),
  botToken: z.string().startsWith('xoxb-'),
  pagerDutyRoutingKey: z
    .string()
    .regex(/^[A-Za-z0-9]{32}$/, 'pagerDutyRoutingKey must be a 32-character integration key')
    .optional(),
  pagerDutyWebhookSecret: z.string().min(1).optional(),
  opsgenieApiKey: z.string().min(1).optional(),
  opsgenieWebhookToken: z.string().min(16, 'opsgenieWebhookToken must be at least 16 characters').optional(),
});

export type SlackSecret = z.infer<typeof slackSecretSchema>;

const cache = new Map<string, Promise<SlackSecret>>();

/** Read once per container: a cold start pays for it, warm invocations do not. */
export function loadSlackSecret(client: SecretsManagerClient, secretId: string): Promise<SlackSecret> {
  let pending = cache.get(secretId);
  if (!pending) {
    pending = client.send(new GetSecretValueCommand({ SecretId: secretId })).then((out) => {
      const parsed = slackSecretSchema.safeParse(JSON.parse(out.SecretString ?? '{}'));
      if (!parsed.success) {
        throw new Error(
          `secret ${secretId} must be JSON {"signingSecret","botToken"} (and optionally the paging credentials): ${parsed.error.issues[0]?.message}`,
        );
      }
      return parsed.data;
    });
    pending.catch(() => cache.delete(secretId));
    cache.set(secretId, pending);
  }
  return pending;
}
