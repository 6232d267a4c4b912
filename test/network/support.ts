import type { SecurityLakeSettings } from '../../src/aws/evidence/security-lake-settings.ts';
import { createCollectors } from '../../src/aws/evidence/collectors.ts';
import { fakeSecurityLake } from '../../src/emulator/aws/security-lake.ts';
import { loadScenario } from '../../src/emulator/aws/scenario.ts';
import type { Finding } from '../../src/domain/finding.ts';
import { investigate } from '../../src/investigation/investigate.ts';
import type { Run } from '../archive/support.ts';

export const CRYPTO = 'src/scenarios/cryptomining-ec2';
export const scenario = loadScenario(CRYPTO);
export const lake = fakeSecurityLake(scenario);

/** Security Lake as a deployment would configure it for the fake's tables. */
export function lakeSettings(over: Partial<SecurityLakeSettings> = {}): SecurityLakeSettings {
  if (!lake) throw new Error('the cryptomining scenario has no securitylake/');
  return {
    flowTable: { database: lake.database, table: lake.flowTable },
    dnsTable: { database: lake.database, table: lake.dnsTable },
    workGroup: scenario.trail.athena.workGroup,
    account: null,
    region: lake.region,
    maxRows: 500,
    maxBytesScanned: 10 * 2 ** 30,
    pollMs: 10,
    ...over,
  };
}

/** The engine on a finding, with Security Lake (or without: null). */
export function investigateNetwork(run: Run, settings: SecurityLakeSettings | null, finding: Finding) {
  return investigate(finding, {}, createCollectors(run.clients, run.quotas, null, undefined, settings), run.aws.now());
}
