import { randomUUID } from 'node:crypto';
import { AwsError } from './errors.ts';

/**
 * SSM Automation as remediations use it (awsJson1.1): StartAutomationExecution records
 * the run; GetAutomationExecution reports it finished. The runbook's effect (say,
 * AWSSupport-ContainEC2Instance changing security groups) is not played out.
 */
export interface SsmExecution {
  AutomationExecutionId: string;
  account: string;
  region: string;
  DocumentName: string;
  DocumentVersion?: string;
  Parameters: Record<string, string[]>;
  /** Epoch milliseconds, scenario time. */
  startedAt: number;
  status: 'Success';
}

export interface SsmState {
  executions: SsmExecution[];
}

const DOCUMENT_NAME = /^[a-zA-Z0-9_\-.:/]{3,128}$/;

function validation(message: string): AwsError {
  return new AwsError('ValidationException', `1 validation error detected: ${message}`, 400);
}

function start(state: SsmState, account: string, region: string, input: Record<string, unknown>, now: number): unknown {
  const name = input.DocumentName;
  if (name === undefined || name === null) throw validation("Value null at 'documentName' failed to satisfy constraint: Member must not be null");
  if (typeof name !== 'string' || !DOCUMENT_NAME.test(name)) {
    throw validation(
      `Value '${String(name)}' at 'documentName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_\\-.:/]{3,128}$`,
    );
  }
  const parameters = (input.Parameters ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(parameters)) {
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      throw new AwsError('InvalidAutomationExecutionParametersException', `Parameter ${key} must be a list of strings.`, 400);
    }
  }
  const execution: SsmExecution = {
    AutomationExecutionId: randomUUID(),
    account,
    region,
    DocumentName: name,
    ...(typeof input.DocumentVersion === 'string' ? { DocumentVersion: input.DocumentVersion } : {}),
    Parameters: parameters as Record<string, string[]>,
    startedAt: now,
    status: 'Success',
  };
  state.executions.push(execution);
  return { AutomationExecutionId: execution.AutomationExecutionId };
}

function get(state: SsmState, account: string, region: string, input: Record<string, unknown>): unknown {
  const id = input.AutomationExecutionId;
  if (typeof id !== 'string' || !id) throw validation("Value null at 'automationExecutionId' failed to satisfy constraint: Member must not be null");
  // Executions live in one account and region, as in SSM.
  const e = state.executions.find((x) => x.AutomationExecutionId === id && x.account === account && x.region === region);
  if (!e) throw new AwsError('AutomationExecutionNotFoundException', `Automation execution ${id} not found.`, 400);
  // awsJson timestamps are epoch seconds.
  const seconds = e.startedAt / 1000;
  return {
    AutomationExecution: {
      AutomationExecutionId: e.AutomationExecutionId,
      DocumentName: e.DocumentName,
      DocumentVersion: e.DocumentVersion ?? '1',
      ExecutionStartTime: seconds,
      ExecutionEndTime: seconds,
      AutomationExecutionStatus: e.status,
      Mode: 'Auto',
      Parameters: e.Parameters,
      Outputs: {},
    },
  };
}

/** Answers `AmazonSSM.<operation>` with its JSON body. */
export function ssmAction(state: SsmState, account: string, region: string, operation: string, input: Record<string, unknown>, now: number): unknown {
  switch (operation) {
    case 'StartAutomationExecution':
      return start(state, account, region, input, now);
    case 'GetAutomationExecution':
      return get(state, account, region, input);
    default:
      throw new AwsError('UnknownOperationException', `${operation} is not served by the fake SSM`, 400);
  }
}
