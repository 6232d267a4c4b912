import type {
  ActionKind,
  ActionPatch,
  ActionRecord,
  ActionState,
  ActionStore,
  AuditRecord,
  CaseRecord,
  EscalationRecord,
  EscalationStage,
  OfferRecord,
  SnoozeRecord,
} from '../ports/action-store.ts';
import type { SnoozeState } from '../domain/actions/snooze.ts';
import { type Item, type Key, type Table, assignments, auditDay, fieldsOf, keys, lists, notExists, part, pick, sortBy, upTo } from './dynamodb-table.ts';
import {
  type StoredAction,
  type StoredOffer,
  type UnreadableRecord,
  decodeAction,
  decodeDocument,
  decodeFields,
  decodeOffer,
  encodeAction,
  encodeActionPatch,
  encodeOffer,
  readableOnly,
  reportedAsNull,
  warnUnreadable,
} from './record-codecs.ts';
import { auditRecordSchema, caseRecordSchema, escalationRecordSchema, snoozeRecordSchema } from './record-schemas.ts';

const ACTION = fieldsOf<StoredAction>({
  id: true,
  kind: true,
  findingId: true,
  channel: true,
  threadTs: true,
  requestedBy: true,
  approvedBy: true,
  state: true,
  input: true,
  result: true,
  messageTs: true,
  createdAt: true,
  updatedAt: true,
});
const ACTION_STATES = fieldsOf<Record<ActionState, true>>({
  awaiting_approval: true,
  running: true,
  succeeded: true,
  partial: true,
  failed: true,
  rejected: true,
  undoing: true,
  undone: true,
  undo_failed: true,
});
const CASE = fieldsOf<CaseRecord>({
  caseId: true,
  findingId: true,
  channel: true,
  threadTs: true,
  title: true,
  status: true,
  resolverType: true,
  engagementType: true,
  commentsShownThrough: true,
  createdBy: true,
  createdAt: true,
  updatedAt: true,
});
const ESCALATION = fieldsOf<EscalationRecord>({
  findingId: true,
  channel: true,
  threadTs: true,
  stage: true,
  nextAt: true,
  notify: true,
  cirtAfterSeconds: true,
  autoOpenCase: true,
  ackedBy: true,
  ackedAt: true,
  page: true,
  createdAt: true,
  updatedAt: true,
});

const SNOOZE = fieldsOf<SnoozeRecord>({
  id: true,
  criteria: true,
  expiresAt: true,
  reason: true,
  createdBy: true,
  createdAt: true,
  state: true,
  findingId: true,
  channel: true,
  threadTs: true,
  endedBy: true,
  endedAt: true,
  updatedAt: true,
});
const toSnooze = (i: Item): SnoozeRecord => decodeFields(snoozeRecordSchema, pick<SnoozeRecord>(i, SNOOZE), 'snooze', String(i.id));

const OFFER = fieldsOf<StoredOffer>({ id: true, findingId: true, kind: true, payload: true, createdAt: true });
/** `OFFER#<id>` / `OFFER`: an offer, written once (its id says what it holds) and read by id. */
const offerKey = (id: string): Key => ({ pk: `OFFER#${part(id)}`, sk: 'OFFER' });

/** Items through the record codecs: an action's input and result, an offer's payload, are JSON text attributes. */
const toAction = (i: Item): ActionRecord => decodeAction(pick<StoredAction>(i, ACTION));
const toCase = (i: Item): CaseRecord => decodeFields(caseRecordSchema, pick<CaseRecord>(i, CASE), 'case', String(i.caseId));
const toEscalation = (i: Item): EscalationRecord =>
  decodeFields(
    escalationRecordSchema,
    { ...pick<EscalationRecord>(i, ESCALATION), notify: [...((i.notify ?? []) as string[])] },
    'escalation',
    String(i.findingId),
  );

/**
 * Action records in the DynamoDB table (see dynamodb-table.ts). Transitions are one
 * UpdateItem each, conditioned on the current state; the state-ordered list (gsi1) moves
 * with the record in the same update.
 */
export class DynamoActionStore implements ActionStore {
  constructor(
    private readonly table: Table,
    private readonly report: UnreadableRecord = warnUnreadable,
  ) {}

  /** The finding and kind hints first (checked when read), then the record if its id is new. */
  async insertAction(r: ActionRecord): Promise<boolean> {
    await this.hint(r);
    return this.table.put(
      { ...keys.action(r.id), type: 'action', ...lists.actions(r.state, r.createdAt, r.id), ...pick<StoredAction>(encodeAction(r), ACTION) },
      notExists,
    );
  }

  private async hint(r: Pick<ActionRecord, 'id' | 'kind' | 'findingId' | 'createdAt'>): Promise<void> {
    const hints: Key[] = [keys.actionKind(r.kind, r.createdAt, r.id)];
    if (r.findingId) hints.push(keys.findingAction(r.findingId, r.createdAt, r.id));
    await Promise.all(hints.map((k) => this.table.put({ ...k, type: 'actionHint', id: r.id })));
  }

  async getAction(id: string): Promise<ActionRecord | null> {
    const item = await this.table.get(keys.action(id));
    return item ? toAction(item) : null;
  }

  async transitionAction(id: string, from: ActionState[], patch: ActionPatch): Promise<ActionRecord | null> {
    if (from.length === 0) return null;
    const { id: _id, ...fields } = encodeActionPatch(patch);
    const list: Item = {};
    if (fields.state !== undefined) list.gsi1pk = lists.actions(fields.state, '', id).gsi1pk;
    if (fields.createdAt !== undefined) list.gsi1sk = lists.actions('', fields.createdAt, id).gsi1sk;
    const item = await this.compareAndSet(keys.action(id), 'state', from, { ...fields, ...list }, []);
    if (!item) return null;
    const next = toAction(item);
    if (fields.findingId !== undefined || fields.createdAt !== undefined) await this.hint(next);
    return next;
  }

  /** SET (and REMOVE) on the item only if `attribute` is one of `from`; the new item, or null. */
  private compareAndSet(key: Key, attribute: string, from: string[], set: Item, remove: string[]): Promise<Item | null> {
    const names: Record<string, string> = { '#cas': attribute };
    const values: Record<string, unknown> = Object.fromEntries(from.map((s, i) => [`:cas${i}`, s]));
    const sets = assignments(set, names, values);
    // A patch with nothing to set still answers whether the transition was allowed.
    if (sets.length === 0) sets.push('#cas = #cas');
    const removes = remove.map((name, i) => {
      names[`#rm${i}`] = name;
      return `#rm${i}`;
    });
    return this.table.update({
      Key: key,
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: `attribute_exists(pk) AND #cas IN (${from.map((_, i) => `:cas${i}`).join(', ')})`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  /**
   * By finding or by kind from the hints (then the records, which have the last word),
   * otherwise from the state lists; oldest first.
   */
  async listActions(filter: { findingId?: string; state?: ActionState; kind?: ActionKind } = {}): Promise<ActionRecord[]> {
    let records: ActionRecord[];
    if (filter.findingId || filter.kind) {
      const hints = filter.findingId
        ? await this.table.collection(keys.findingPk(filter.findingId), 'ACTION#')
        : await this.table.collection(keys.actionKindPk(filter.kind as string));
      const ids = [...new Set(hints.map((h) => String(h.id)))];
      records = (await Promise.all(ids.map((id) => this.getAction(id).catch(reportedAsNull(this.report))))).filter((r): r is ActionRecord => r !== null);
    } else {
      const states = filter.state ? [filter.state] : ACTION_STATES;
      records = readableOnly((await Promise.all(states.map((s) => this.table.list(lists.actions(s, '', '').gsi1pk)))).flat(), toAction, this.report);
    }
    return records
      .filter(
        (a) =>
          (!filter.findingId || a.findingId === filter.findingId) && (!filter.state || a.state === filter.state) && (!filter.kind || a.kind === filter.kind),
      )
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  insertOffer(r: OfferRecord): Promise<boolean> {
    return this.table.put({ ...offerKey(r.id), type: 'offer', ...pick<StoredOffer>(encodeOffer(r), OFFER) }, notExists);
  }

  async getOffer(id: string): Promise<OfferRecord | null> {
    const item = await this.table.get(offerKey(id));
    return item ? decodeOffer(pick<StoredOffer>(item, OFFER)) : null;
  }

  /** The latest view wins; the thread hint follows the case when its thread or creation changes. */
  async putCase(r: CaseRecord): Promise<void> {
    const hint = r.channel && r.threadTs ? keys.threadCase(r.channel, r.threadTs, r.createdAt, r.caseId) : null;
    if (hint) await this.table.put({ ...hint, type: 'caseHint', caseId: r.caseId });
    const old = await this.table.replace({ ...keys.case(r.caseId), type: 'case', ...lists.cases(r.createdAt, r.caseId), ...pick<CaseRecord>(r, CASE) });
    if (old && typeof old.channel === 'string' && typeof old.threadTs === 'string') {
      const previous = keys.threadCase(old.channel, old.threadTs, String(old.createdAt), r.caseId);
      if (!hint || previous.pk !== hint.pk || previous.sk !== hint.sk) await this.table.delete(previous);
    }
  }

  async getCase(caseId: string): Promise<CaseRecord | null> {
    const item = await this.table.get(keys.case(caseId));
    return item ? toCase(item) : null;
  }

  /** The first case opened from the thread. */
  async findCaseByThread(channel: string, threadTs: string): Promise<CaseRecord | null> {
    for (const hint of await this.table.collection(keys.thread(channel, threadTs), 'CASE#')) {
      const record = await this.getCase(String(hint.caseId));
      if (record && record.channel === channel && record.threadTs === threadTs) return record;
    }
    return null;
  }

  async listCases(limit = 50): Promise<CaseRecord[]> {
    return (await this.table.list(lists.cases('', '').gsi1pk, { newestFirst: true, limit })).map(toCase);
  }

  /**
   * One partition per day, sorted by time then by a sequence number from an atomic
   * counter (insertion order among records of the same instant). The counter item also
   * keeps the set of days written, so a listing knows which partitions to read.
   */
  async appendAudit(r: AuditRecord): Promise<void> {
    const counter = await this.table.update({
      Key: keys.counter('AUDIT'),
      UpdateExpression: 'ADD #n :one, #days :day',
      ExpressionAttributeNames: { '#n': 'n', '#days': 'days' },
      ExpressionAttributeValues: { ':one': 1, ':day': new Set([auditDay(r.at)]) },
    });
    const seq = Number(counter?.n);
    await this.table.put({ ...keys.audit(r.at, seq), type: 'audit', at: r.at, seq, doc: JSON.stringify(r) });
  }

  async listAudit(filter: { since?: string; limit?: number } = {}): Promise<AuditRecord[]> {
    const limit = filter.limit ?? Number.POSITIVE_INFINITY;
    const since = filter.since;
    const counter = await this.table.get(keys.counter('AUDIT'));
    const days = [...((counter?.days ?? []) as Iterable<string>)].sort().filter((d) => !since || d >= auditDay(since));
    const out: AuditRecord[] = [];
    for (const day of days) {
      if (out.length >= limit) break;
      const items = await this.table.query(
        {
          KeyConditionExpression: since ? 'pk = :pk AND sk >= :since' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.auditDay(day), ...(since ? { ':since': since } : {}) },
        },
        limit - out.length,
      );
      out.push(...items.map((i) => decodeDocument(auditRecordSchema, String(i.doc), 'audit record', `${String(i.pk)} ${String(i.sk)}`)));
    }
    return out;
  }

  /** The record is on the due list (gsi1) only while a next step is due. */
  insertEscalation(r: EscalationRecord): Promise<boolean> {
    const due = r.nextAt === null ? {} : lists.dueEscalations(r.nextAt, r.findingId);
    return this.table.put({ ...keys.escalation(r.findingId), type: 'escalation', ...due, ...pick<EscalationRecord>(r, ESCALATION) }, notExists);
  }

  async getEscalation(findingId: string): Promise<EscalationRecord | null> {
    const item = await this.table.get(keys.escalation(findingId));
    return item ? toEscalation(item) : null;
  }

  /** From the due list, which may lag a transition by a moment: the transition's condition decides. */
  async dueEscalations(now: string): Promise<EscalationRecord[]> {
    const items = await this.table.list(lists.dueEscalations('', '').gsi1pk, { upTo: upTo(now) });
    return readableOnly(sortBy(items, 'gsi1sk'), toEscalation, this.report).filter((e) => e.nextAt !== null && e.nextAt <= now);
  }

  async transitionEscalation(
    findingId: string,
    from: EscalationStage[],
    patch: Partial<Omit<EscalationRecord, 'findingId'>>,
  ): Promise<EscalationRecord | null> {
    if (from.length === 0) return null;
    const { findingId: _id, ...fields } = patch as Partial<EscalationRecord>;
    const set: Item = { ...fields };
    const remove: string[] = [];
    if (fields.nextAt === null) remove.push('gsi1pk', 'gsi1sk');
    else if (fields.nextAt !== undefined) Object.assign(set, lists.dueEscalations(fields.nextAt, findingId));
    const item = await this.compareAndSet(keys.escalation(findingId), 'stage', from, set, remove);
    return item ? toEscalation(item) : null;
  }

  /** The record is on its state's list (gsi1), by expiry. */
  insertSnooze(r: SnoozeRecord): Promise<boolean> {
    return this.table.put({ ...keys.snooze(r.id), type: 'snooze', ...lists.snoozes(r.state, r.expiresAt, r.id), ...pick<SnoozeRecord>(r, SNOOZE) }, notExists);
  }

  async getSnooze(id: string): Promise<SnoozeRecord | null> {
    const item = await this.table.get(keys.snooze(id));
    return item ? toSnooze(item) : null;
  }

  /** From the state's list, which may lag a transition by a moment: the record read with it says its state. */
  async listSnoozes(state: SnoozeState): Promise<SnoozeRecord[]> {
    const items = await this.table.list(lists.snoozes(state, '', '').gsi1pk);
    return readableOnly(items, toSnooze, this.report).filter((s) => s.state === state);
  }

  async dueSnoozes(now: string): Promise<SnoozeRecord[]> {
    const items = await this.table.list(lists.snoozes('active', '', '').gsi1pk, { upTo: upTo(now) });
    return readableOnly(items, toSnooze, this.report).filter((s) => s.state === 'active' && s.expiresAt <= now);
  }

  async transitionSnooze(
    id: string,
    from: SnoozeState[],
    patch: Partial<Pick<SnoozeRecord, 'state' | 'endedBy' | 'endedAt' | 'updatedAt'>>,
  ): Promise<SnoozeRecord | null> {
    if (from.length === 0) return null;
    const set: Item = { ...patch };
    if (patch.state !== undefined) set.gsi1pk = lists.snoozes(patch.state, '', id).gsi1pk;
    const item = await this.compareAndSet(keys.snooze(id), 'state', from, set, []);
    return item ? toSnooze(item) : null;
  }

  holdFinding(snoozeId: string, findingId: string, at: string): Promise<boolean> {
    return this.table.put({ ...keys.snoozeHold(snoozeId, findingId), type: 'snoozeHold', at }, notExists);
  }

  async heldCount(snoozeId: string): Promise<number> {
    return (await this.table.collection(keys.snoozePk(snoozeId), 'HELD#')).length;
  }
}
