import type { WebClient } from '@slack/web-api';
import type { SharedFile, ThreadFiles } from '../ports/thread-files.ts';

/**
 * Reads a shared file through Slack: files.info (files:read) names its private URL, which
 * is fetched with the bot token. The URL is Slack's answer, not the click's payload, and
 * only Slack's own file host (or the API's, for the emulator) is sent the token: a URL
 * pointing elsewhere is refused, so the token never leaves for a host someone chose.
 */
export class SlackFiles implements ThreadFiles {
  private readonly hosts: Set<string>;

  constructor(
    private readonly client: WebClient,
    private readonly token: string,
    apiUrl = 'https://slack.com/api/',
  ) {
    this.hosts = new Set(['https://files.slack.com', new URL(apiUrl).origin]);
  }

  async read(fileId: string, maxBytes: number): Promise<SharedFile> {
    const info = await this.client.files.info({ file: fileId });
    const file = info.file;
    const url = file?.url_private_download ?? file?.url_private;
    if (!file?.name || !url) throw new Error(`Slack gave no download for file ${fileId}`);
    if (!this.hosts.has(new URL(url).origin)) throw new Error(`file ${fileId} is served from ${new URL(url).origin}, not Slack: not read`);
    if ((file.size ?? 0) > maxBytes) throw new Error(`${file.name} has ${file.size} bytes; at most ${maxBytes} can be attached`);
    const res = await fetch(url, { headers: { authorization: `Bearer ${this.token}` }, redirect: 'error', signal: AbortSignal.timeout(60_000) });
    if (!res.ok) throw new Error(`Slack answered ${res.status} for file ${fileId}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > maxBytes) throw new Error(`${file.name} has ${bytes.length} bytes; at most ${maxBytes} can be attached`);
    return { name: file.name, bytes };
  }
}
