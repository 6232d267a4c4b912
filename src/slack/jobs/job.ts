// Moved to src/jobs/job.ts (the command bus is application code). Kept only while
// src/runtime/lambda/worker.ts, edited on another branch, still imports it here: drop at merge.
export { type Job, jobSchema } from '../../jobs/job.ts';
