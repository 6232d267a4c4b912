import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HTTPReceiver } from '@slack/bolt';
import type { SlackRequestGuard } from '../../slack/request-guard.ts';
import type { Logger } from '../logger.ts';

/** Bolt's own limit on a Slack request body (HTTPModuleFunctions.defaultBodyLimit). */
const SLACK_BODY_LIMIT = 4 * 1024 * 1024;

class TooLarge extends Error {}

async function rawBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > SLACK_BODY_LIMIT) throw new TooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * `/slack/events`: the body is read and checked by the guard (signature, timestamp both
 * ways, replay) first, then handed to Bolt's receiver, which takes a request whose
 * `rawBody` is already a Buffer as read (Bolt's bufferIncomingMessage) and checks it again.
 */
export function slackEventsRoute(receiver: HTTPReceiver, guard: SlackRequestGuard, logger: Logger): (req: IncomingMessage, res: ServerResponse) => void {
  const answer = (res: ServerResponse, status: number) => {
    res.writeHead(status);
    res.end();
  };
  return (req, res) => {
    void (async () => {
      let body: Buffer;
      try {
        body = await rawBody(req);
      } catch (err) {
        if (err instanceof TooLarge) return answer(res, 413);
        throw err;
      }
      const header = (name: string) => {
        const v = req.headers[name];
        return typeof v === 'string' ? v : undefined;
      };
      const verdict = await guard.check(body, header);
      if (!verdict.pass) return answer(res, verdict.status);
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
      receiver.requestListener(req, res);
    })().catch((err: unknown) => {
      logger.error({ err }, 'Slack request failed before Bolt');
      if (!res.headersSent) answer(res, 500);
    });
  };
}
