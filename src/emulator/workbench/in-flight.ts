import { HttpError } from './requests.ts';

/**
 * Slack's client sends a modal's submit, or a button's action, once: while it waits for the
 * app, the button is busy and a second press does nothing. The page does the same; this is
 * the server's half, for a page (or script) that sends twice anyway: the second request for
 * the same thing, while the first is still with sirbot, is refused and never reaches it.
 */
export class InFlight {
  private readonly busy = new Set<string>();

  async once<T>(key: string, what: string, work: () => Promise<T>): Promise<T> {
    if (this.busy.has(key)) throw new HttpError(409, `${what} is already on its way to sirbot; wait for its answer`);
    this.busy.add(key);
    try {
      return await work();
    } finally {
      this.busy.delete(key);
    }
  }
}
