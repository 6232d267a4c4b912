import { readFileSync } from 'node:fs';
import { AwsClientFactory } from '../../src/aws/clients.ts';
import { fakeCredentials } from '../../src/aws/fake-credentials.ts';
import { QuotaQueues } from '../../src/aws/quotas.ts';
import { type ArchiveSettings, type ArchiveStore, DEFAULT_ARCHIVE_BOUNDS } from '../../src/aws/evidence/archive-settings.ts';
import { createCollectors } from '../../src/aws/evidence/collectors.ts';
import type { Finding } from '../../src/domain/finding.ts';
import type { StoredAnswers } from '../../src/domain/investigation/answer-book.ts';
import { type FakeAws, startFakeAws } from '../../src/emulator/aws/server.ts';
import { loadScenario, type Scenario } from '../../src/emulator/aws/scenario.ts';
import { normalizeInput } from '../../src/ingest/normalize.ts';
import { investigate } from '../../src/investigation/investigate.ts';

export const DORMANT = 'src/scenarios/dormant-key-archive';
export const ATTACKER_IP = '198.51.100.77';

/** The store of each kind the fake serves for a scenario, as a deployment would configure it. */
export function storeOf(kind: ArchiveStore['kind'], scenario: Scenario): ArchiveStore {
  const t = scenario.trail;
  if (kind === 'lake') return { kind, eventDataStore: t.eventDataStore };
  if (kind === 'athena') return { kind, database: t.athena.database, table: t.athena.table, workGroup: t.athena.workGroup };
  return { kind, bucket: t.bucket, ...(t.organizationId ? { organizationId: t.organizationId } : {}), ...(t.keyPrefix ? { keyPrefix: t.keyPrefix } : {}) };
}

export function settingsFor(kind: ArchiveStore['kind'] | 'none', scenario: Scenario, over: Partial<ArchiveSettings> = {}): ArchiveSettings | null {
  if (kind === 'none') return null;
  return {
    store: storeOf(kind, scenario),
    account: scenario.trail.account,
    region: 'us-east-1',
    dataEvents: scenario.trail.dataEvents,
    bounds: DEFAULT_ARCHIVE_BOUNDS,
    pollMs: 10,
    ...over,
  };
}

export function scenarioFinding(dir = DORMANT): Finding {
  const { findings, errors } = normalizeInput(JSON.parse(readFileSync(`${dir}/finding.json`, 'utf8')));
  if (errors.length) throw new Error(JSON.stringify(errors));
  return findings[0] as Finding;
}

export interface Run {
  aws: FakeAws;
  clients: AwsClientFactory;
  quotas: QuotaQueues;
  close(): Promise<void>;
}

/** The fake and sirbot's queues run their quotas `fakeScale` and `queueScale` times AWS's (10× by default: a quick test). */
export async function fakeArchive(scenario: string | Scenario = DORMANT, scales: { fakeScale?: number; queueScale?: number } = {}): Promise<Run> {
  const aws = await startFakeAws({ scenario: typeof scenario === 'string' ? loadScenario(scenario) : scenario, quotaScale: scales.fakeScale ?? 10 });
  const clients = new AwsClientFactory({ region: 'us-east-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials, maxAttempts: 2 });
  return {
    aws,
    clients,
    quotas: new QuotaQueues(scales.queueScale ?? 10),
    async close() {
      clients.destroy();
      await aws.close();
    },
  };
}

/** The engine on a finding, with event history and (when given) the long-term store. */
export async function investigateWith(run: Run, settings: ArchiveSettings | null, finding: Finding, answers: StoredAnswers) {
  // As the runtimes build them: the long-term store beside event history, sharing its list of regions.
  return investigate(finding, answers, createCollectors(run.clients, run.quotas, settings), run.aws.now());
}
