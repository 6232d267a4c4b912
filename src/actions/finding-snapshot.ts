import type { Finding } from '../domain/finding.ts';
import type { FindingRecord, Store } from '../ports/store.ts';

/** A delivered finding as it was stored, with where its thread is. */
export async function deliveredFinding(store: Store, findingId: string): Promise<{ finding: Finding; record: FindingRecord } | null> {
  const record = await store.getFinding(findingId);
  if (!record?.snapshot) return null;
  return { finding: record.snapshot, record };
}
