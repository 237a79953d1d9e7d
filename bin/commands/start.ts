// `mailsign start` (npm start): builds the web pages, starts the local stack in the foreground,
// prints what it serves, and shuts everything down cleanly on Ctrl-C.
import { resolve } from 'node:path';
import { loadLocalConfig } from '../../lambdas/config.ts';
import { createLocalRuntime } from '../../lambdas/runtime/local-runtime.ts';
import { startLocalStack } from '../../lambdas/runtime/local-stack.ts';
import { buildWeb } from '../../web/build.ts';

export async function runStartCommand(_args: string[]): Promise<number> {
  const config = loadLocalConfig();
  const webRoot = resolve('web/dist');
  process.stdout.write('mailsign: building the web pages...\n');
  await buildWeb({ outDir: webRoot });
  const stack = await startLocalStack({
    ...config,
    webRoot,
    ...createLocalRuntime(),
    ...(config.remindAfterDays !== undefined && { settings: { remindAfterDays: config.remindAfterDays } }),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(
    [
      'mailsign is running locally.',
      `  Web and API      ${stack.httpUrl}  (health: ${stack.httpUrl}/api/health)`,
      `  SMTP inbound     smtp://${config.host}:${stack.smtpPort}  (send a ` +
        'mail with *SIGN in the subject and PDFs attached)',
      `  Outbox           ${stack.httpUrl}/dev/outbox  (files in ${stack.dataDir}/outbox)`,
      `  Public URL       ${stack.deps.settings.publicUrl}`,
      `  Data             ${stack.dataDir}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((done) => {
    const shutdown = () => {
      process.stdout.write('\nmailsign: stopping...\n');
      stack.stop().then(done, (error: unknown) => {
        process.stderr.write(`mailsign: error while stopping: ${String(error)}\n`);
        done();
      });
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  return 0;
}
