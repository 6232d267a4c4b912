import type { Logger } from '../ports/logger.ts';
import type { UnreadableRecord } from '../store/record-codecs.ts';

/** A stored record a list could not read is an operator's problem: logged as an error with the record it names, then left out. */
export function logUnreadableRecords(logger: Logger): UnreadableRecord {
  return (err) => logger.error({ err, record: err.record, id: err.id }, 'a stored record cannot be read and was left out of a list');
}
