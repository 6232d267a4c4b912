import { type IncomingMessage, type ServerResponse, createServer as createHttp1Server } from 'node:http';
import { type Http2Session, createServer as createHttp2Server } from 'node:http2';
import { type AddressInfo, type Socket, createServer as createTcpServer } from 'node:net';
import { Duplex } from 'node:stream';

/** The connection preface every HTTP/2 client sends first (RFC 9113 §3.4). */
const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n');

export interface Listening {
  port: number;
  close(): Promise<void>;
}

/**
 * One port that speaks what each client speaks, as AWS endpoints do: HTTP/1.1 for most SDK
 * clients, HTTP/2 (cleartext, prior knowledge) for those whose default handler is HTTP/2
 * (Bedrock Runtime). A connection is handed to one server or the other by its first bytes;
 * both call the same handler, which reads HTTP/2's `:authority` where HTTP/1.1 has `host`.
 */
export async function listenHttp1And2(handler: (req: IncomingMessage, res: ServerResponse) => void, o: { port?: number; host?: string }): Promise<Listening> {
  const http1 = createHttp1Server(handler);
  const http2 = createHttp2Server();
  http2.on('request', (req, res) => handler(req as unknown as IncomingMessage, res as unknown as ServerResponse));
  const sessions = new Set<Http2Session>();
  http2.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  const sockets = new Set<Socket>();
  const tcp = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.once('data', (first) => {
      const h2 = first.subarray(0, HTTP2_PREFACE.length).equals(HTTP2_PREFACE.subarray(0, Math.min(first.length, HTTP2_PREFACE.length)));
      if (!h2) {
        socket.pause();
        socket.unshift(first);
        http1.emit('connection', socket);
        socket.resume();
        return;
      }
      // An HTTP/2 session reads the socket's native handle, past bytes already read: it gets a stream that replays them.
      const replay = new Duplex({
        read() {},
        write(chunk: Buffer, _encoding, done) {
          socket.write(chunk, done);
        },
        final(done) {
          socket.end(done);
        },
        destroy(err, done) {
          socket.destroy(err ?? undefined);
          done(err);
        },
      });
      replay.push(first);
      socket.on('data', (chunk) => replay.push(chunk));
      socket.on('end', () => replay.push(null));
      socket.on('error', (err) => replay.destroy(err));
      http2.emit('connection', replay);
    });
  });
  await new Promise<void>((resolve) => tcp.listen(o.port ?? 0, o.host ?? '127.0.0.1', resolve));
  return {
    port: (tcp.address() as AddressInfo).port,
    async close() {
      const closed = new Promise<void>((resolve) => tcp.close(() => resolve()));
      for (const s of sessions) s.destroy();
      http1.closeAllConnections();
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
