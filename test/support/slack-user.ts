import type { SlackEmulator } from '../../src/emulator/slack/index.ts';
import { EmulatedPerson, type Delivery } from '../../src/emulator/slack/people/person.ts';

export type { Answered, InputValue } from '../../src/emulator/slack/people/person.ts';

/** A person in the test's emulated workspace (the workbench uses the same class). */
export class SlackUser extends EmulatedPerson {
  constructor(o: { receiverUrl: string; signingSecret: string; emulator: SlackEmulator; id: string; name?: string; delivery?: Delivery }) {
    super({
      receiverUrl: o.receiverUrl,
      signingSecret: o.signingSecret,
      workspace: o.emulator.state,
      id: o.id,
      ...(o.name ? { name: o.name } : {}),
      ...(o.delivery ? { delivery: o.delivery } : {}),
    });
  }
}
