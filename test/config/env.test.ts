import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv, requireLambdaSettings } from '../../src/config/env.ts';

const attempt = (env: Record<string, string>) => {
  try {
    parseEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a configuration error');
};

describe('configuration', () => {
  it('runs on defaults alone', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, SIRBOT_AWS: 'fake', SIRBOT_RESPONDERS: '', SIRBOT_CASE_WATCHERS: [] });
  });

  it('names every wrong setting, says what it expects and how to fix it', () => {
    const message = attempt({ SLACK_BOT_TOKEN: 'xoxp-user-token', PORT: '99999', SIRBOT_RESPONDERS: 'alice', SIRBOT_CASE_WATCHERS: 'not-an-email' });
    expect(message).toContain('Invalid configuration (see README "Configuration")');
    expect(message).toContain("SLACK_BOT_TOKEN: must be a bot token (xoxb-…) — copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page");
    expect(message).toMatch(/PORT: .*65535/);
    expect(message).toContain('SIRBOT_RESPONDERS: must be comma-separated Slack user (U…/W…) or user group (S…) ids — list Slack member ids');
    expect(message).toContain('SIRBOT_CASE_WATCHERS');
  });

  it('refuses a short admin token rather than guard the dead letters with it', () => {
    expect(attempt({ SIRBOT_ADMIN_TOKEN: 'hunter2' })).toContain('SIRBOT_ADMIN_TOKEN: must be at least 16 characters — a long random string');
    expect(parseEnv({ SIRBOT_ADMIN_TOKEN: 'x'.repeat(16) }).SIRBOT_ADMIN_TOKEN).toBe('x'.repeat(16));
  });

  it('takes the weekly numbers where and when they are wanted, and nothing else', () => {
    expect(parseEnv({})).toMatchObject({ SIRBOT_STATS_WEEKDAY: 1, SIRBOT_STATS_HOUR: 9 });
    expect(parseEnv({})).not.toHaveProperty('SIRBOT_STATS_CHANNEL');
    expect(parseEnv({ SIRBOT_STATS_CHANNEL: '#security-weekly', SIRBOT_STATS_WEEKDAY: '5', SIRBOT_STATS_HOUR: '16' })).toMatchObject({
      SIRBOT_STATS_CHANNEL: '#security-weekly',
      SIRBOT_STATS_WEEKDAY: 5,
      SIRBOT_STATS_HOUR: 16,
    });
    expect(parseEnv({ SIRBOT_STATS_CHANNEL: 'C0123456789' }).SIRBOT_STATS_CHANNEL).toBe('C0123456789');
    const message = attempt({ SIRBOT_STATS_CHANNEL: 'security weekly <!channel>', SIRBOT_STATS_WEEKDAY: '0', SIRBOT_STATS_HOUR: '24' });
    expect(message).toContain('SIRBOT_STATS_CHANNEL: must be a channel id (C…) or #name');
    expect(message).toContain('SIRBOT_STATS_WEEKDAY');
    expect(message).toContain('SIRBOT_STATS_HOUR');
  });

  it('Lambda refuses to start without its table, queue and secret, and says where they come from', () => {
    expect(() => requireLambdaSettings(parseEnv({ SIRBOT_TABLE: 'sirbot-prod' }))).toThrow(
      "Invalid configuration for Lambda: SIRBOT_QUEUE_URL, SIRBOT_SLACK_SECRET_ID not set — deploy with serverless.ts, which sets them from the stack's table, queue and secret",
    );
    const ok = requireLambdaSettings(
      parseEnv({ SIRBOT_TABLE: 'sirbot-prod', SIRBOT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/1/q', SIRBOT_SLACK_SECRET_ID: 'sirbot/slack' }),
    );
    expect(ok.SIRBOT_TABLE).toBe('sirbot-prod');
  });
});

describe('scenarios', () => {
  it('takes a bundled scenario by name, or a folder; anything else is refused with the choices', async () => {
    const { bundledScenarios } = await import('../../src/config/env.ts');
    expect(bundledScenarios()).toEqual([
      'cryptomining-ec2',
      'dormant-key-archive',
      'exposed-access-key',
      'instance-credential-exfiltration',
      'public-s3-bucket',
      'root-credential-use',
      's3-data-exfiltration',
    ]);
    expect(parseEnv({ SIRBOT_SCENARIO: 'root-credential-use' }).SIRBOT_SCENARIO).toMatch(/src\/scenarios\/root-credential-use$/);
    expect(parseEnv({ SIRBOT_SCENARIO: 'src/scenarios/public-s3-bucket' }).SIRBOT_SCENARIO).toBe('src/scenarios/public-s3-bucket');
    const { requireScenario } = await import('../../src/config/env.ts');
    expect(() => requireScenario(parseEnv({ SIRBOT_SCENARIO: 'no-such-incident' }))).toThrow(
      'SIRBOT_SCENARIO: no-such-incident is neither a folder nor a bundled scenario — use one of cryptomining-ec2, dormant-key-archive, exposed-access-key, instance-credential-exfiltration, public-s3-bucket, root-credential-use, s3-data-exfiltration',
    );
  });
});
