import { startFakeAws } from '../src/emulator/aws/server.ts';

/**
 * The fake AWS in a process of its own, for benches whose client side should not share
 * a core with the service it calls (S3 is elsewhere, too): argv is the scenario folder and
 * the quota scale; the endpoint is printed once it listens; it stops when its parent does.
 */
const [dir, scale] = process.argv.slice(2);
const aws = await startFakeAws({ scenario: dir as string, quotaScale: Number(scale ?? 1) });
process.stdout.write(`${JSON.stringify({ endpoint: aws.endpoint })}\n`);
process.on('disconnect', () => void aws.close().then(() => process.exit(0)));
process.stdin.on('end', () => void aws.close().then(() => process.exit(0)));
process.stdin.resume();
