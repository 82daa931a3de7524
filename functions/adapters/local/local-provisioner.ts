import type { StateMachineProvisioner } from '../../core/workflows/ports.ts';
import type { MachineRef } from '../../core/workflows/workflow.ts';

/**
 * Local mode has no Step Functions: the compiled ASL is stored with the workflow version (the
 * repository does that), and the local engine runs it from there. The ARNs only mirror AWS's shape.
 */
export class LocalProvisioner implements StateMachineProvisioner {
  constructor(private readonly namePrefix: string) {}

  async publish(input: { workflowId: string; existing?: MachineRef }): Promise<MachineRef> {
    const stateMachineArn = `arn:aws:states:local:000000000000:stateMachine:${this.namePrefix}-${input.workflowId}`;
    const version = input.existing ? Number(input.existing.versionArn.split(':').at(-1)) + 1 : 1;
    return { stateMachineArn, versionArn: `${stateMachineArn}:${version}`, aliasArn: `${stateMachineArn}:live` };
  }

  async remove(): Promise<void> {}
}
