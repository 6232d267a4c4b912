import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Answered, Delivery, DeliveryKind } from './people/delivery.ts';
import { APP_ID } from './people/payloads.ts';

export const SOCKET_MODE_PATH = '/socket-mode';
/** Slack waits this long for an envelope's acknowledgement before it counts the delivery as failed. */
const ACK_TIMEOUT_MS = 3000;
/** Slack's server pings; the client drops a connection that stays silent (30 s by default). */
const PING_EVERY_MS = 10_000;

interface Waiting {
  resolve: (a: Answered) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Slack's side of Socket Mode: `apps.connections.open` hands out a one-time WebSocket URL;
 * a connection is greeted with `hello`; every event, interaction and slash command travels
 * as an envelope the app must acknowledge with its `envelope_id` (and, for interactions and
 * commands, may answer with a payload, as an HTTP response body would).
 */
export class SocketModeHub implements Delivery {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly sockets: WebSocket[] = [];
  private readonly waiting = new Map<string, Waiting>();
  private turn = 0;
  private readonly pinger: NodeJS.Timeout;

  constructor(private readonly appId = APP_ID) {
    this.pinger = setInterval(() => {
      for (const s of this.sockets) s.ping();
    }, PING_EVERY_MS);
    this.pinger.unref();
  }

  /** The URL `apps.connections.open` answers with: good for one connection. */
  open(origin: string): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${origin.replace(/^http/, 'ws')}${SOCKET_MODE_PATH}?ticket=${ticket}`;
  }

  /** Takes an HTTP upgrade if it is a Socket Mode connection with a ticket it issued. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://emulator');
    if (url.pathname !== SOCKET_MODE_PATH) return false;
    const ticket = url.searchParams.get('ticket') ?? '';
    if (!this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return true;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    return true;
  }

  private accept(ws: WebSocket): void {
    this.sockets.push(ws);
    ws.on('message', (data) => this.acknowledged(String(data)));
    ws.on('close', () => this.sockets.splice(this.sockets.indexOf(ws), 1));
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.length,
        debug_info: { host: 'emulator', approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
  }

  private acknowledged(text: string): void {
    let ack: { envelope_id?: unknown; payload?: unknown };
    try {
      ack = JSON.parse(text) as typeof ack;
    } catch {
      return;
    }
    const waiting = typeof ack.envelope_id === 'string' ? this.waiting.get(ack.envelope_id) : undefined;
    if (!waiting) return;
    this.waiting.delete(ack.envelope_id as string);
    clearTimeout(waiting.timer);
    const payload = ack.payload && typeof ack.payload === 'object' ? (ack.payload as Record<string, unknown>) : {};
    waiting.resolve({ status: 200, body: Object.keys(payload).length > 0 ? payload : null });
  }

  /** Whether an app is connected, so deliveries can go over Socket Mode. */
  get connected(): boolean {
    return this.sockets.length > 0;
  }

  /** Sends one envelope to one of the app's connections, as Slack does, and waits for its acknowledgement. */
  deliver(kind: DeliveryKind, payload: Record<string, unknown>): Promise<Answered> {
    const open = this.sockets.filter((s) => s.readyState === s.OPEN);
    const socket = open[this.turn++ % Math.max(open.length, 1)];
    if (!socket) return Promise.reject(new Error('no app is connected over Socket Mode'));
    const envelope_id = randomUUID();
    return new Promise<Answered>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(envelope_id);
        reject(new Error(`the app did not acknowledge envelope ${envelope_id} within ${ACK_TIMEOUT_MS} ms`));
      }, ACK_TIMEOUT_MS);
      this.waiting.set(envelope_id, { resolve, reject, timer });
      socket.send(JSON.stringify({ envelope_id, payload, type: kind, accepts_response_payload: kind !== 'events_api', retry_attempt: 0, retry_reason: '' }));
    });
  }

  close(): void {
    clearInterval(this.pinger);
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      w.reject(new Error('Socket Mode closed'));
    }
    this.waiting.clear();
    for (const s of this.sockets) s.terminate();
    this.wss.close();
  }
}
