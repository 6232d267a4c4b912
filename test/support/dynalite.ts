import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoStore } from '../../src/store/dynamodb.ts';

// dynalite ships no types: a function returning an http.Server.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

export interface Dynalite {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  client: DynamoDBClient;
  /** A table created with DynamoStore.tableDefinition at start. */
  tableName: string;
  /** Another fresh table in the same server (a test that wants its own). */
  createTable(name?: string): Promise<string>;
  close(): Promise<void>;
}

/** An in-memory DynamoDB (dynalite) on a random port, with the store's table in it. */
export async function startDynalite(options: { tableName?: string } = {}): Promise<Dynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'dynalite', secretAccessKey: 'dynalite' },
    maxAttempts: 1,
  });
  const createTable = async (name = `sirbot-${randomUUID().slice(0, 8)}`) => {
    await client.send(new CreateTableCommand(DynamoStore.tableDefinition(name)));
    // dynalite, like DynamoDB, creates the table CREATING and only serves it once ACTIVE (on its next tick, under load later).
    for (let i = 0; i < 200; i++) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
      if (Table?.TableStatus === 'ACTIVE') return name;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`dynalite table ${name} never became ACTIVE`);
  };
  const tableName = await createTable(options.tableName);
  return {
    endpoint,
    client,
    tableName,
    createTable,
    async close() {
      client.destroy();
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Clients elsewhere (a Lambda context's) may hold keep-alive sockets open.
        server.closeAllConnections();
      });
    },
  };
}
