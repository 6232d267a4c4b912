import type { Logger } from '../ports/logger.ts';
import type { Job, JobRunner } from './job.ts';

/** Jobs run in this process, after the interaction was acknowledged (the local runtime). */
export class InlineJobs implements JobRunner {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly dispatch: (job: Job) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  async run(job: Job): Promise<void> {
    const task = this.dispatch(job).catch((err: unknown) => this.logger.error({ err, job: job.kind }, 'job failed'));
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
