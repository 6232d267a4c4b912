import { type EventQuery, queryProblem } from './event-query.ts';
import { MAX_RANGE_DAYS, QUESTION_RECORD_LIMIT, type QuestionContext, type QuestionReading, defaultRegions } from './follow-up-questions.ts';
import { timeInZone } from './free-text-times.ts';
import { ACCESS_KEY_ID, isIp } from './identifiers.ts';

const DAY = 86_400_000;
const refused = (reason: string): QuestionReading => ({ ok: false, reason });

/**
 * What a model may return for a question the grammar could not read: the parts of one
 * bounded query, or that it cannot be answered. Nothing else is taken from a model (the
 * adapter validates the shape with zod before this sees it).
 */
export type ModelQuery =
  | {
      answerable: true;
      accessKeyIds: string[];
      usernames: string[];
      resourceNames: string[];
      sourceIps: string[];
      eventNames: string[];
      eventSources: string[];
      /** ISO instants; null: the investigation's window. */
      start: string | null;
      end: string | null;
      /** Empty: where a question naming no region searches (`defaultRegions`). */
      regions: string[];
      wants: 'events' | 'principals';
    }
  | { answerable: false; reason: string };

const REGION_NAME = /^(?:us|eu|ap|sa|ca|me|af|il|mx)(?:-gov)?-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d$/;
const NAME_VALUE = /^[\w+=,.@:/-]{1,256}$/;
const EVENT_NAME = /^[A-Z][A-Za-z0-9]{1,127}$/;
const EVENT_SOURCE = /^[a-z0-9-]+\.amazonaws\.com$/;

/**
 * A model's translation, held to the grammar's bounds: every value must look like what
 * it stands for, the range must be a range within MAX_RANGE_DAYS ending by the question,
 * and the query must pass `queryProblem`. The model never widens what a question may do:
 * the result is the same read-only `EventQuery`.
 */
export function readModelQuery(m: ModelQuery, ctx: QuestionContext): QuestionReading {
  if (!m.answerable) return refused(`the model could not make a bounded search of it: ${m.reason.slice(0, 200)}`);
  const bad = [
    ...m.accessKeyIds.filter((v) => !ACCESS_KEY_ID.test(v)),
    ...m.sourceIps.filter((v) => !isIp(v)),
    ...[...m.usernames, ...m.resourceNames].filter((v) => !NAME_VALUE.test(v)),
    ...m.eventNames.filter((v) => !EVENT_NAME.test(v)),
    ...m.eventSources.filter((v) => !EVENT_SOURCE.test(v)),
    ...m.regions.filter((v) => !REGION_NAME.test(v)),
  ];
  if (bad.length > 0) return refused(`the model’s query has values that are not what they claim to be (${bad.slice(0, 3).join(', ').slice(0, 200)})`);
  const start = m.start === null ? Date.parse(ctx.window.start) : Date.parse(m.start);
  const end = Math.min(m.end === null ? Date.parse(ctx.window.end) : Date.parse(m.end), ctx.at);
  if (Number.isNaN(start) || Number.isNaN(end) || start >= end) return refused('the model’s time range is not a range');
  if (end - start > MAX_RANGE_DAYS * DAY) return refused(`the model’s time range is longer than ${MAX_RANGE_DAYS} days`);
  const regions = m.regions.length ? [...new Set(m.regions)] : defaultRegions(ctx).regions;
  const hasSubject = m.accessKeyIds.length + m.usernames.length + m.resourceNames.length + m.sourceIps.length > 0;
  const query: EventQuery = {
    accountId: ctx.accountId,
    regions,
    window: { start: new Date(start).toISOString(), end: new Date(end).toISOString() },
    match: {
      accessKeyIds: m.accessKeyIds,
      usernames: m.usernames,
      resourceNames: m.resourceNames,
      sourceIps: m.sourceIps,
      eventNames: hasSubject ? [] : m.eventNames,
    },
    ...(m.eventSources.length || (hasSubject && m.eventNames.length)
      ? {
          only: {
            ...(m.eventSources.length ? { eventSources: m.eventSources } : {}),
            ...(hasSubject && m.eventNames.length ? { eventNames: m.eventNames } : {}),
          },
        }
      : {}),
    limit: QUESTION_RECORD_LIMIT,
  };
  const problem = queryProblem(query);
  if (problem) return refused(`the model’s query is not bounded: ${problem}`);
  const named = [
    ...m.accessKeyIds.map((v) => `access key ${v}`),
    ...m.usernames.map((v) => `user ${v}`),
    ...m.resourceNames.map((v) => `resource ${v}`),
    ...m.sourceIps.map((v) => `source IP ${v}`),
    ...(m.eventNames.length ? [`calls to ${m.eventNames.join(', ')}`] : []),
    ...m.eventSources.map((v) => `${v} calls`),
  ];
  const range = m.start === null && m.end === null ? 'the investigation’s window' : `${timeInZone(start, ctx.zone)} to ${timeInZone(end, ctx.zone)}`;
  return { ok: true, query, wants: m.wants, understood: [...named, range, `in ${m.regions.length ? regions.join(', ') : defaultRegions(ctx).words}`] };
}
