import { once } from 'node:events';
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { systemClock } from '../clock.js';

/** What the command touches of the outside world, so tests can run it in-process. */
export interface CliIo {
  /** The whole of a file, or of standard input for "-". */
  readInput(path: string): Promise<Buffer>;
  /** Resolves when the text may be followed by more (a pipe that is behind has drained). */
  stdout(text: string): void | Promise<void>;
  stderr(text: string): void;
  /** Today's date in Europe/London, YYYY-MM-DD. */
  today(): string;
  /** Whether standard output is a terminal (the default format is a table there). */
  stdoutIsTerminal: boolean;
  /** Whether standard error is a terminal (a progress line is drawn there only then). */
  stderrIsTerminal?: boolean;
  /** The terminal's width in characters, where standard output is one. */
  terminalColumns?: number;
  /** The environment the service's commands read their configuration from. */
  env?: Record<string, string | undefined>;
  /** A secret such as a password: standard input's first line. */
  readSecret?(prompt: string): Promise<string>;
  /** A text file (a council's own policy file). */
  readText?(path: string): Promise<string>;
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The most the command reads: a JavaScript string cannot be much longer. */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

async function readLimitedFile(path: string): Promise<Buffer> {
  const { size } = await stat(path);
  // Refuse before reading, rather than fill memory with a file that cannot be parsed anyway.
  if (size > MAX_INPUT_BYTES)
    throw Object.assign(new Error('file too large'), { code: 'EFBIG', size });
  return readFile(path);
}

export function processIo(): CliIo {
  return {
    readInput: (path) => (path === '-' ? readStdin() : readLimitedFile(path)),
    stdout: (text) =>
      process.stdout.write(text) ? undefined : once(process.stdout, 'drain').then(() => undefined),
    stderr: (text) => process.stderr.write(text),
    today: () => systemClock.today(),
    env: process.env,
    readSecret: async (prompt) => {
      if (!process.stdin.isTTY) return (await readStdin()).toString('utf8').split(/\r?\n/)[0] ?? '';
      // On a terminal, ask without echoing what is typed.
      process.stderr.write(prompt);
      const silent = new Writable({
        write: (_chunk, _encoding, done) => {
          done();
        },
      });
      const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
      const answer = await rl.question('');
      rl.close();
      process.stderr.write('\n');
      return answer;
    },
    readText: (path) => readFile(path, 'utf8'),
    stdoutIsTerminal: process.stdout.isTTY,
    stderrIsTerminal: process.stderr.isTTY,
    ...(process.stdout.isTTY ? { terminalColumns: process.stdout.columns } : {}),
  };
}
