import * as z from 'zod';
import type { Finding, Resource } from '../domain/finding.ts';
import { isoDate, toIso } from './fields.ts';

/**
 * AWS Health's events for exposed credentials (`source` `aws.health`, `AWS Health Event`,
 * `eventTypeCode` `AWS_RISK_CREDENTIALS_EXPOSED`: AWS found an access key of the account
 * published, on GitHub for instance). Each affected entity (the key id) becomes one
 * credential-exposure finding, so the investigation of that key starts at once. Shape as
 * AWS Health's EventBridge schema and its published samples have it: detail times are
 * RFC 1123 strings ("Wed, 12 Feb 2025 00:37:54 GMT"); `eventMetadata` is optional and may
 * name the user (`userName`) and where the key was seen (`exposedUrl`).
 */
export const HEALTH_SOURCE = 'aws.health';
export const HEALTH_DETAIL_TYPE = 'AWS Health Event';
export const CREDENTIALS_EXPOSED = 'AWS_RISK_CREDENTIALS_EXPOSED';

const text = z.string().max(4096);
export const healthEventSchema = z.object({
  id: z.string().min(1).max(128),
  account: z.string().regex(/^\d{12}$/, 'expected a 12-digit account id'),
  time: isoDate,
  region: z.string().max(30),
  detail: z.object({
    eventArn: z.string().min(1).max(1600),
    eventTypeCode: z.literal(CREDENTIALS_EXPOSED),
    startTime: isoDate.optional(),
    lastUpdatedTime: isoDate.optional(),
    eventRegion: z.string().max(30).optional(),
    eventDescription: z
      .array(z.object({ language: z.string().max(20).optional(), latestDescription: text }))
      .max(20)
      .optional(),
    eventMetadata: z.object({}).catchall(z.string().max(2048)).optional(),
    affectedEntities: z
      .array(z.object({ entityValue: z.string().min(1).max(256), lastUpdatedTime: isoDate.optional() }))
      .min(1, 'names no affected entity (the exposed key)')
      .max(100),
  }),
});
export type HealthEvent = z.infer<typeof healthEventSchema>;

// Real key ids have 16 characters after the prefix; published samples shorten them.
const ACCESS_KEY = /^(AKIA|ASIA)[A-Z0-9]{8,124}$/;

/** One finding per exposed key the event names. */
export function normalizeHealth(e: HealthEvent, raw: unknown): Finding[] {
  const d = e.detail;
  const region = d.eventRegion ?? e.region;
  const userName = d.eventMetadata?.userName;
  const exposedUrl = d.eventMetadata?.exposedUrl;
  const description = (d.eventDescription?.find((x) => (x.language ?? 'en_US').startsWith('en')) ?? d.eventDescription?.[0])?.latestDescription ?? '';
  const started = toIso(d.startTime ?? e.time);
  const updated = toIso(d.lastUpdatedTime ?? d.startTime ?? e.time);
  return d.affectedEntities.map((entity) => {
    const key = entity.entityValue;
    const resources: Resource[] = [
      { type: ACCESS_KEY.test(key) ? 'AwsIamAccessKey' : 'Other', id: key, region, tags: {} },
      ...(userName ? [{ type: 'AwsIamUser', id: userName, region, tags: {} }] : []),
    ];
    return {
      id: `${d.eventArn}/${key}`,
      schema: 'asff',
      product: 'AWS Health',
      productArn: null,
      // The first type chooses the credential-exposure playbook (domain/investigation/playbooks.ts).
      type: 'Sirbot:IAMUser/ExposedCredentials',
      types: ['Sirbot:IAMUser/ExposedCredentials', `AWS Health/${d.eventTypeCode}`],
      title: `AWS Health: access key ${key}${userName ? ` of ${userName}` : ''} was found exposed`,
      description: [description, exposedUrl ? `Seen at ${exposedUrl}` : ''].filter(Boolean).join('\n'),
      severity: { label: 'CRITICAL', score: 90 },
      accountId: e.account,
      region,
      resources,
      controlId: null,
      generatorId: `aws.health/${d.eventTypeCode}`,
      createdAt: started,
      updatedAt: toIso(entity.lastUpdatedTime) ?? updated,
      firstSeenAt: started,
      lastSeenAt: updated,
      workflowStatus: 'NEW',
      recordState: 'ACTIVE',
      consoleUrl: `https://health.aws.amazon.com/health/home#/account/event-log?eventID=${encodeURIComponent(d.eventArn)}`,
      raw,
    } satisfies Finding;
  });
}
