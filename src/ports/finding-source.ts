/**
 * Fetches a finding sirbot has not seen from where it lives (Security Hub or GuardDuty),
 * as the service returns it, for ingest to read; null when no such finding exists.
 */
export interface FindingSource {
  fetch(findingId: string): Promise<unknown | null>;
}
