import type { HttpCall, SecurityIRClientConfig } from './transport.ts';
import { SignedJsonTransport } from './transport.ts';

/**
 * Shaped like the SDK's `SecurityIRClient`: `new SecurityIRClient(config).send(new
 * CreateCaseCommand(input))`. Replacing this file's import of the transport with
 * `@aws-sdk/client-security-ir` is the one change needed once that package is available.
 */
export interface SecurityIRCommand<Output> {
  /** How the command is sent: method, path with labels filled in, query, body. */
  request(): HttpCall;
  /** The service's JSON answer as the command's output (timestamps as Dates). */
  parse(json: unknown): Output;
}

export class SecurityIRClient {
  private readonly transport: SignedJsonTransport;

  constructor(readonly config: SecurityIRClientConfig) {
    this.transport = new SignedJsonTransport(config);
  }

  async send<Output>(command: SecurityIRCommand<Output>): Promise<Output> {
    return command.parse(await this.transport.call(command.request()));
  }

  destroy(): void {}
}
