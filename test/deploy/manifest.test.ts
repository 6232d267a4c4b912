import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedJson } from '../support/fixtures.ts';
import { CALLBACKS } from '../../src/slack/views/action-ids.ts';

const SCHEMAS = 'slack/schemas';
const manifest = parse(readFileSync(fileURLToPath(new URL('../../manifest.yml', import.meta.url)), 'utf8')) as Record<string, any>;

let validate: ValidateFunction;
beforeAll(() => {
  // Slack's combined schema refers to the versioned ones by their published URLs; register them under those ids.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  for (const version of ['1.0.0', '2.0.0']) {
    ajv.addSchema(
      sharedJson(SCHEMAS, `manifest-schema__schemas_manifest.schema.${version}.json`) as object,
      `https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.${version}.json`,
    );
  }
  validate = ajv.compile(sharedJson(SCHEMAS, 'manifest-schema__manifest.schema.json') as object);
});

describe('manifest.yml', () => {
  it("is valid against Slack's official manifest schema", () => {
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("the validator is real: Slack's own valid manifests pass and its invalid ones fail", () => {
    for (const v of ['v1', 'v2']) {
      expect(validate(sharedJson(SCHEMAS, `manifest-schema__tests_manifests_${v}_manifest.valid.json`))).toBe(true);
      expect(validate(sharedJson(SCHEMAS, `manifest-schema__tests_manifests_${v}_manifest.invalid.json`))).toBe(false);
    }
  });

  it('asks only for the scopes the bot uses', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual([
      'chat:write',
      'app_mentions:read',
      'channels:history',
      'groups:history',
      'channels:read',
      'groups:read',
      'files:write',
      'files:read',
      'commands',
      'usergroups:read',
      'users:read',
      'users:read.email',
      'im:write',
    ]);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened', 'app_mention', 'message.channels', 'message.groups']);
  });

  it('declares exactly the one /sir command, the message shortcuts the bot listens for, and the Home tab', () => {
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toEqual(['/sir']);
    expect(manifest.features.slash_commands[0].url).toMatch(/\/slack\/events$/);
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({ type: 'message', callback_id: CALLBACKS.investigateShortcut }),
      expect.objectContaining({ type: 'message', callback_id: CALLBACKS.postToCaseShortcut }),
    ]);
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: true });
  });

  it('sends events and interactions to the Bolt receiver path', () => {
    expect(manifest.settings.event_subscriptions.request_url).toMatch(/^https:\/\/.+\/slack\/events$/);
    expect(manifest.settings.interactivity).toMatchObject({ is_enabled: true, request_url: expect.stringMatching(/\/slack\/events$/) });
    expect(manifest.features.bot_user.display_name).toBe('sirbot');
  });
});
