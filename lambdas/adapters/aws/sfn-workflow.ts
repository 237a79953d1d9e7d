// Workflow on AWS Step Functions: one STANDARD execution per envelope. The execution name is the
// envelope id, so a second start (retry, duplicate event) is refused by Step Functions itself
// and we treat that refusal as success: exactly one finalization per envelope.
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { finalizationRunName, type Workflow } from '../../core/ports.ts';
import { AwsAdapterError, type AwsAdapterErrorOptions, transientAdapterError } from './aws-adapter-error.ts';

export type WorkflowStartErrorCode =
  | 'INVALID_NAME'
  | 'NOT_FOUND'
  | 'LIMIT_EXCEEDED'
  | 'THROTTLED'
  | 'UNAVAILABLE'
  | 'UNKNOWN';

/** Step Functions did not start the run; `transient` when a retry may succeed. */
export class WorkflowStartError extends AwsAdapterError<WorkflowStartErrorCode> {
  constructor(options: AwsAdapterErrorOptions<WorkflowStartErrorCode>) {
    super('WorkflowStartError', options);
  }
}

export type SfnWorkflowOptions = {
  client: SFNClient;
  stateMachineArn: string;
};

export function createSfnWorkflow(options: SfnWorkflowOptions): Workflow {
  return {
    async startFinalization(start) {
      const { envelopeId } = start;
      try {
        await options.client.send(
          new StartExecutionCommand({
            stateMachineArn: options.stateMachineArn,
            name: finalizationRunName(start),
            // Ids only: the state machine input limit is 256 KiB and documents live in S3.
            input: JSON.stringify({ envelopeId }),
          }),
        );
      } catch (error) {
        if (error instanceof Error && error.name === 'ExecutionAlreadyExists') return;
        throw mapSfnError(error, envelopeId);
      }
    },
  };
}

function mapSfnError(error: unknown, envelopeId: string): WorkflowStartError {
  const name = error instanceof Error ? error.name : 'UnknownError';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'InvalidName') {
    return new WorkflowStartError({
      code: 'INVALID_NAME',
      transient: false,
      message: `Envelope id "${envelopeId}" is not a valid execution name.`,
      cause: error,
    });
  }
  if (name === 'StateMachineDoesNotExist' || name === 'StateMachineDeleting' || name === 'InvalidArn') {
    return new WorkflowStartError({
      code: 'NOT_FOUND',
      transient: false,
      message: `The finalize state machine is not available (${name}): ${message}`,
      cause: error,
    });
  }
  if (name === 'ExecutionLimitExceeded') {
    return new WorkflowStartError({
      code: 'LIMIT_EXCEEDED',
      transient: true,
      message: 'Too many running finalizations; retry later.',
      cause: error,
    });
  }
  const transient = transientAdapterError({
    error,
    create: (o) => new WorkflowStartError(o),
    service: 'Step Functions',
  });
  if (transient) return transient;
  return new WorkflowStartError({
    code: 'UNKNOWN',
    transient: false,
    message: `StartExecution failed (${name}): ${message}`,
    cause: error,
  });
}
