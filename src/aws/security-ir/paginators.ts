import type { SecurityIRClient } from './client.ts';
import {
  ListInvestigationsCommand,
  type ListInvestigationsInput,
  type ListInvestigationsOutput,
  ListCasesCommand,
  ListCommentsCommand,
  type ListCasesInput,
  type ListCasesOutput,
  type ListCommentsInput,
  type ListCommentsOutput,
} from './commands.ts';

/**
 * Shaped like the SDK's paginators (`paginateListCases({ client, pageSize }, input)`):
 * every page in turn, following `nextToken` until the service stops returning one.
 */
export interface SecurityIRPaginationConfiguration {
  client: SecurityIRClient;
  /** `maxResults` per page (1 to 25). */
  pageSize?: number;
  /** Resume from this token instead of the first page. */
  startingToken?: string;
}

async function* pages<Input extends { nextToken?: string; maxResults?: number }, Output extends { nextToken?: string }>(
  config: SecurityIRPaginationConfiguration,
  input: Input,
  send: (input: Input) => Promise<Output>,
): AsyncGenerator<Output, void, undefined> {
  let token = config.startingToken ?? input.nextToken;
  const seen = new Set<string>();
  for (;;) {
    const page = await send({ ...input, ...(token ? { nextToken: token } : {}), ...(config.pageSize !== undefined ? { maxResults: config.pageSize } : {}) });
    yield page;
    token = page.nextToken;
    // A token seen before would loop forever; the SDK stops there too.
    if (!token || seen.has(token)) return;
    seen.add(token);
  }
}

export function paginateListCases(config: SecurityIRPaginationConfiguration, input: ListCasesInput = {}): AsyncGenerator<ListCasesOutput, void, undefined> {
  return pages(config, input, (i) => config.client.send(new ListCasesCommand(i)));
}

export function paginateListComments(config: SecurityIRPaginationConfiguration, input: ListCommentsInput): AsyncGenerator<ListCommentsOutput, void, undefined> {
  return pages(config, input, (i) => config.client.send(new ListCommentsCommand(i)));
}

export function paginateListInvestigations(
  config: SecurityIRPaginationConfiguration,
  input: ListInvestigationsInput,
): AsyncGenerator<ListInvestigationsOutput, void, undefined> {
  return pages(config, input, (i) => config.client.send(new ListInvestigationsCommand(i)));
}
