// Runs a `mailsign` subcommand in-process against a test stack's data directory and captures what
// it prints, as a person running `npx mailsign ...` beside `npm start` would see it.
import type { LocalStack } from '../../lambdas/runtime/local-stack.ts';

export type CliIo = { env: Record<string, string>; stdout: (text: string) => void; stderr: (text: string) => void };
export type CliCommand = (args: string[], io: CliIo) => Promise<number>;
export type CliResult = { code: number; out: string; err: string };

export async function runCli(command: CliCommand, stack: LocalStack, args: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await command(args, {
    env: { MAILSIGN_DATA_DIR: stack.dataDir },
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
  });
  return { code, out, err };
}
