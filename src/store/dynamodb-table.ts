import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';

/**
 * The one DynamoDB table behind DynamoStore (single-table design), its keys and a thin
 * wrapper over the document client. The key layout, item by item:
 *
 *   pk                                   sk                            what
 *   FINDING#<findingId>                  FINDING                       finding record (thread, digest, snapshot)  gsi1 while incomplete: DELIVERIES#incomplete / <attemptAt>#<findingId>
 *   FINDING#<findingId>                  INVESTIGATION                 lock: the one investigation of the finding {id}
 *   FINDING#<findingId>                  ACTION#<createdAt>#<id>       hint: an action about the finding {id}
 *   DELIVERED#<yyyy-mm-dd>               <deliveredAt>#<findingId>     hint: a finding first delivered that day {findingId} (/sir stats)
 *   ROOTS#<channel>                      WINDOW                        root slots of the channel's storm window {slots, version} (ttl)
 *   DIGESTS#<channel>#<groupKey>         OPEN                          the digest open for a group {digestId}
 *   DIGEST#<digestId>                    DIGEST                        digest record {count, unlisted, lastSeq, ...}  gsi1: DIGESTS / <openedAt>#<digestId>
 *   DIGEST#<digestId>                    MEMBER#<findingId>            digest member {seq, listed, ...}
 *   KEY#<key>                            KEY                           idempotency key {expiresAt} (ttl)
 *   INVESTIGATION#<id>                   INVESTIGATION                 investigation record            gsi1: INVESTIGATIONS#<state> / <createdAt>#<id>
 *   THREAD#<channel>#<threadTs>          INVESTIGATION#<createdAt>#<id> hint: investigation in the thread {id}
 *   THREAD#<channel>#<threadTs>          CASE#<createdAt>#<caseId>     hint: case opened from the thread {caseId}
 *   DEADLETTERS                          <id, zero-padded>             dead letter
 *   COUNTER                              DEADLETTER | AUDIT            atomic counters {n}; AUDIT also holds {days}
 *   ACTION#<id>                          ACTION                        action record                   gsi1: ACTIONS#<state> / <createdAt>#<id>
 *   ACTIONKIND#<kind>                    <createdAt>#<id>              hint: an action of the kind {id}
 *   CASE#<caseId>                        CASE                          case record                     gsi1: CASES / <createdAt>#<caseId>
 *   ESCALATION#<findingId>               ESCALATION                    escalation timer                gsi1 while due: ESCALATIONS / <nextAt>#<findingId>
 *   SNOOZE#<id>                          SNOOZE                        snooze record                   gsi1: SNOOZES#<state> / <expiresAt>#<id>
 *   SNOOZE#<id>                          HELD#<findingId>              a finding the snooze held back {at}
 *   AUDIT#<yyyy-mm-dd>                   <at>#<seq, zero-padded>       audit record (never expires)
 *
 * One GSI, `gsi1` (gsi1pk/gsi1sk, all attributes projected), holds the time-ordered lists
 * that follow a record's changing state: investigations by state, actions by state, cases
 * newest first, escalations by due time (sparse: only while a next step is due),
 * deliveries not finished yet (sparse) and digests by opening time. A
 * GSI is eventually consistent, so those lists may lag a write by a moment; everything
 * that decides something (inserts, transitions, slots, keys) reads and writes the base
 * table with strongly consistent reads and conditional writes.
 *
 * "Hint" items are written before the record they point to and checked against it when
 * read, so a crash between the two writes leaves a dangling hint, never a record nobody
 * can find. Free-form key parts are escaped so parts can't run together.
 *
 * Only GetItem, PutItem, UpdateItem, DeleteItem and Query are used: no Scan, no batch
 * calls, no transactions (which dynalite, the tests' DynamoDB, does not have).
 */

/** The attribute DynamoDB's TTL deletes items by (epoch seconds), on disposable items only. */
export const TTL_ATTRIBUTE = 'ttl';
export const GSI = 'gsi1';

export type Key = { pk: string; sk: string };
export type Item = Record<string, unknown>;

export function tableDefinition(tableName: string): CreateTableCommandInput & { TableName: string } {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'gsi1pk', AttributeType: 'S' },
      { AttributeName: 'gsi1sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: GSI,
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

/** A free-form key part (an id, a channel, a group key) with the separator escaped. */
export const part = (s: string) => s.replace(/%/g, '%25').replace(/#/g, '%23');
/** Numbers in sort keys sort as strings. */
export const pad = (n: number) => String(n).padStart(15, '0');
/** DynamoDB TTL: epoch seconds. */
export const epochSeconds = (iso: string) => Math.ceil(Date.parse(iso) / 1000);
/** Upper bound for `<time>#…` sort keys at or before `time` ('$' sorts right after '#'). */
export const upTo = (time: string) => `${time}$`;

const k = (pk: string, sk: string): Key => ({ pk, sk });

export const keys = {
  findingPk: (id: string) => `FINDING#${part(id)}`,
  finding: (id: string) => k(keys.findingPk(id), 'FINDING'),
  investigationLock: (findingId: string) => k(keys.findingPk(findingId), 'INVESTIGATION'),
  findingAction: (findingId: string, createdAt: string, id: string) => k(keys.findingPk(findingId), `ACTION#${createdAt}#${part(id)}`),
  deliveredDay: (day: string) => `DELIVERED#${day}`,
  delivered: (deliveredAt: string, findingId: string) => k(keys.deliveredDay(deliveredAt.slice(0, 10)), `${deliveredAt}#${part(findingId)}`),
  rootWindow: (channel: string) => k(`ROOTS#${part(channel)}`, 'WINDOW'),
  digestGroup: (channel: string, groupKey: string) => k(`DIGESTS#${part(channel)}#${part(groupKey)}`, 'OPEN'),
  digest: (id: string) => k(`DIGEST#${part(id)}`, 'DIGEST'),
  digestMember: (digestId: string, findingId: string) => k(`DIGEST#${part(digestId)}`, `MEMBER#${part(findingId)}`),
  idempotencyKey: (key: string) => k(`KEY#${part(key)}`, 'KEY'),
  investigation: (id: string) => k(`INVESTIGATION#${part(id)}`, 'INVESTIGATION'),
  thread: (channel: string, threadTs: string) => `THREAD#${part(channel)}#${part(threadTs)}`,
  threadInvestigation: (channel: string, threadTs: string, createdAt: string, id: string) =>
    k(keys.thread(channel, threadTs), `INVESTIGATION#${createdAt}#${part(id)}`),
  threadCase: (channel: string, threadTs: string, createdAt: string, caseId: string) => k(keys.thread(channel, threadTs), `CASE#${createdAt}#${part(caseId)}`),
  deadLetters: 'DEADLETTERS',
  deadLetter: (id: number) => k(keys.deadLetters, pad(id)),
  counter: (name: 'DEADLETTER' | 'AUDIT') => k('COUNTER', name),
  action: (id: string) => k(`ACTION#${part(id)}`, 'ACTION'),
  actionKindPk: (kind: string) => `ACTIONKIND#${part(kind)}`,
  actionKind: (kind: string, createdAt: string, id: string) => k(keys.actionKindPk(kind), `${createdAt}#${part(id)}`),
  case: (caseId: string) => k(`CASE#${part(caseId)}`, 'CASE'),
  escalation: (findingId: string) => k(`ESCALATION#${part(findingId)}`, 'ESCALATION'),
  snoozePk: (id: string) => `SNOOZE#${part(id)}`,
  snooze: (id: string) => k(keys.snoozePk(id), 'SNOOZE'),
  snoozeHold: (id: string, findingId: string) => k(keys.snoozePk(id), `HELD#${part(findingId)}`),
  auditDay: (day: string) => `AUDIT#${day}`,
  audit: (at: string, seq: number) => k(keys.auditDay(auditDay(at)), `${at}#${pad(seq)}`),
};

export const auditDay = (at: string) => at.slice(0, 10);

/** GSI entries: the list a record belongs to, ordered by its sort key. */
export const lists = {
  investigations: (state: string, createdAt: string, id: string) => ({ gsi1pk: `INVESTIGATIONS#${state}`, gsi1sk: `${createdAt}#${part(id)}` }),
  actions: (state: string, createdAt: string, id: string) => ({ gsi1pk: `ACTIONS#${state}`, gsi1sk: `${createdAt}#${part(id)}` }),
  cases: (createdAt: string, caseId: string) => ({ gsi1pk: 'CASES', gsi1sk: `${createdAt}#${part(caseId)}` }),
  dueEscalations: (nextAt: string, findingId: string) => ({ gsi1pk: 'ESCALATIONS', gsi1sk: `${nextAt}#${part(findingId)}` }),
  incompleteDeliveries: (attemptAt: string | null, findingId: string) => ({ gsi1pk: 'DELIVERIES#incomplete', gsi1sk: `${attemptAt ?? ''}#${part(findingId)}` }),
  digests: (openedAt: string, id: string) => ({ gsi1pk: 'DIGESTS', gsi1sk: `${openedAt}#${part(id)}` }),
  snoozes: (state: string, expiresAt: string, id: string) => ({ gsi1pk: `SNOOZES#${state}`, gsi1sk: `${expiresAt}#${part(id)}` }),
};

/** The fields of a record type, listed as an object so the compiler notices a field added to the type. */
export const fieldsOf = <T>(fields: Record<keyof T & string, true>) => Object.keys(fields) as Array<keyof T & string>;

/** The record's own fields of an item (keys, list entries and bookkeeping left out). */
export function pick<T>(item: object, fields: ReadonlyArray<keyof T & string>): T {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = (item as Item)[f] ?? null;
  return out as T;
}

/** The given fields of a partial record that are set (undefined left out). */
export function pickDefined<T>(partial: Partial<T>, fields: ReadonlyArray<keyof T & string>): Item {
  const out: Item = {};
  for (const f of fields) if (partial[f] !== undefined) out[f] = partial[f];
  return out;
}

/** Items ordered by a string attribute, as DynamoDB orders keys (merged lists keep their common order). */
export function sortBy(items: Item[], attribute: string): Item[] {
  const key = (i: Item) => String(i[attribute]);
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export const notExists: Condition = { expression: 'attribute_not_exists(pk)' };
export const exists: Condition = { expression: 'attribute_exists(pk)' };

export interface Condition {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

const conditionFailed = (err: unknown) => (err as { name?: string } | null)?.name === 'ConditionalCheckFailedException';

/** `SET #a = :a, …` for each defined field; names and values are added to the maps given. */
export function assignments(fields: Item, names: Record<string, string>, values: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const i = Object.keys(names).length;
    names[`#f${i}`] = name;
    values[`:f${i}`] = value;
    out.push(`#f${i} = :f${i}`);
  }
  return out;
}

/** The table, through the document client; conditional writes answer false/null when their condition fails. */
export class Table {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  async get(key: Key): Promise<Item | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.name, Key: key, ConsistentRead: true }));
    return out.Item ?? null;
  }

  async put(item: Key & Item, condition?: Condition): Promise<boolean> {
    return (await this.write(item, condition, false)) !== false;
  }

  /** Writes the item; what it replaced (null if nothing), or false when the condition failed. */
  replace(item: Key & Item, condition?: Condition): Promise<Item | null | false> {
    return this.write(item, condition, true);
  }

  private async write(item: Key & Item, condition: Condition | undefined, returnOld: boolean): Promise<Item | null | false> {
    try {
      const out = await this.doc.send(
        new PutCommand({
          TableName: this.name,
          Item: item,
          ...(returnOld ? { ReturnValues: 'ALL_OLD' as const } : {}),
          ...(condition ? expression(condition) : {}),
        }),
      );
      return out.Attributes ?? null;
    } catch (err) {
      if (conditionFailed(err)) return false;
      throw err;
    }
  }

  /** The item's new attributes (ALL_NEW), or null when the condition failed. */
  async update(input: Omit<UpdateCommandInput, 'TableName' | 'ReturnValues'>): Promise<Item | null> {
    try {
      const out = await this.doc.send(new UpdateCommand({ TableName: this.name, ReturnValues: 'ALL_NEW', ...input }));
      return out.Attributes ?? {};
    } catch (err) {
      if (conditionFailed(err)) return null;
      throw err;
    }
  }

  /** The deleted item, or null when there was none (or the condition failed). */
  async delete(key: Key, condition?: Condition): Promise<Item | null> {
    try {
      const out = await this.doc.send(
        new DeleteCommand({ TableName: this.name, Key: key, ReturnValues: 'ALL_OLD', ...(condition ? expression(condition) : {}) }),
      );
      return out.Attributes ?? null;
    } catch (err) {
      if (conditionFailed(err)) return null;
      throw err;
    }
  }

  /** Every page of a query (up to `limit` items); strongly consistent on the base table. */
  async query(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'ConsistentRead'>, limit = Number.POSITIVE_INFINITY): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.name,
          ...input,
          ConsistentRead: input.IndexName === undefined,
          ...(Number.isFinite(limit) && input.FilterExpression === undefined ? { Limit: limit - items.length } : {}),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start && items.length < limit);
    return items.slice(0, limit);
  }

  /** The items of a partition (whose sort key begins with `prefix`), in sort-key order. */
  collection(pk: string, prefix?: string): Promise<Item[]> {
    return this.query({
      KeyConditionExpression: prefix === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ...(prefix === undefined ? {} : { ':prefix': prefix }) },
    });
  }

  /** A gsi1 list, oldest first unless `newestFirst`. */
  list(gsi1pk: string, options: { newestFirst?: boolean; upTo?: string; limit?: number } = {}): Promise<Item[]> {
    return this.query(
      {
        IndexName: GSI,
        KeyConditionExpression: options.upTo === undefined ? 'gsi1pk = :pk' : 'gsi1pk = :pk AND gsi1sk < :upTo',
        ExpressionAttributeValues: { ':pk': gsi1pk, ...(options.upTo === undefined ? {} : { ':upTo': options.upTo }) },
        ScanIndexForward: !options.newestFirst,
      },
      options.limit,
    );
  }
}

function expression(c: Condition) {
  return {
    ConditionExpression: c.expression,
    ...(c.names ? { ExpressionAttributeNames: c.names } : {}),
    ...(c.values ? { ExpressionAttributeValues: c.values } : {}),
  };
}

/** Small random pause before retrying a lost compare-and-set, growing with the attempt. */
export const backoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
