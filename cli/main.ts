/**
 * The `astra` command line: `astra <command> [options] [--json]`.
 *
 * Exit codes: 0 success; 2 bad input (message on stderr as `astra: <message>`, nothing on stdout);
 * 1 internal error (including a missing wasm build). Run directly (`tsx cli/main.ts`) or through
 * `bin/astra.js`, which calls {@link main}.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AstraError, MAX_QUOTED, Messages } from '../engine/errors.ts';
import { GLOBAL_OPTIONS, parseCommandArgs } from './args.ts';
import type { Command, Io } from './command.ts';
import { demoDataCommand } from './commands/demo-data.ts';
import { pairsCommand } from './commands/pairs.ts';
import { scanCommand } from './commands/scan.ts';
import { fundingCommand } from './commands/funding.ts';
import { optimizeCommand } from './commands/optimize.ts';
import { statsCommand } from './commands/stats.ts';
import { varCommand } from './commands/var.ts';
import { writeJson, writeText } from './output.ts';
import { printable } from './table.ts';

/** Every command, in the order help lists them. Add a command by adding its file here. */
export const COMMANDS: readonly Command[] = [fundingCommand, statsCommand, varCommand, optimizeCommand, demoDataCommand, pairsCommand, scanCommand];

/** Exit codes of the CLI. */
export const ExitCode = { OK: 0, INTERNAL: 1, BAD_INPUT: 2 } as const;

function usage(commands: readonly Command[]): string {
  const names = commands.map((c) => c.name);
  const width = Math.max(...names.map((n) => n.length));
  return [
    'astra - ASTRA long/short equity desk tools',
    '',
    'Usage: astra <command> [options] [--json]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Without data options a command runs on the embedded demo (labelled 'demo data (synthetic)').",
    "Run 'astra <command> --help' for its options; see docs/cli.md.",
    '',
  ].join('\n');
}

function commandHelp(command: Command): string {
  const specs = Object.entries({ ...command.options, ...GLOBAL_OPTIONS });
  const left = specs.map(([name, s]) => `--${name}${s.value ? ` ${s.value}` : ''}`);
  const width = Math.max(...left.map((l) => l.length));
  return [
    `astra ${command.name} - ${command.summary}`,
    '',
    `Usage: astra ${command.name} [options]`,
    '',
    'Options:',
    ...specs.map(([, s], i) => `  ${left[i].padEnd(width)}  ${s.help}`),
    '',
  ].join('\n');
}

/** The process's standard streams and working directory. */
export const processIo: Io = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  cwd: process.cwd(),
};

/**
 * Run the CLI on `argv` (the words after `astra`); resolves to the exit code. Never throws.
 * `commands` is replaceable so tests can drive the error paths with a stand-in command.
 */
export async function main(argv: readonly string[], io: Io = processIo, commands: readonly Command[] = COMMANDS): Promise<number> {
  const names = () => commands.map((c) => c.name);
  const json = argv.includes('--json');
  try {
    const [name, ...rest] = argv;
    if (name === undefined) throw new AstraError('BAD_INPUT', Messages.missingCommand(names()));
    if (name === '--help' || name === '-h' || name === 'help') {
      const command = commands.find((c) => c.name === rest[0]);
      io.stdout(command ? commandHelp(command) : usage(commands));
      return ExitCode.OK;
    }
    const command = commands.find((c) => c.name === name);
    if (!command) throw new AstraError('BAD_INPUT', Messages.unknownCommand(name, names()), { command: name });
    const values = parseCommandArgs(command, rest);
    if (values.help) {
      io.stdout(commandHelp(command));
      return ExitCode.OK;
    }
    const output = await command.run(values, io);
    const write = (text: string) => io.stdout(text);
    if (values.json) writeJson(output.json, write);
    else writeText(output.text, write);
    return ExitCode.OK;
  } catch (e) {
    return report(e, json, io);
  }
}

/** Longest message printed, in characters: a safety net, as every builder already cuts user values. */
const MAX_MESSAGE = 2000;

/** `where` for the JSON error line: string values (a ticker, column, path) cut like quoted values. */
function cutWhere(where: Readonly<Record<string, string | number>> | undefined): Record<string, string | number> | null {
  if (!where) return null;
  const cut = (v: string | number) => (typeof v === 'string' && v.length > MAX_QUOTED ? `${v.slice(0, MAX_QUOTED)}…` : v);
  return Object.fromEntries(Object.entries(where).map(([k, v]) => [k, cut(v)]));
}

/**
 * Print an error: `astra: <message>` on stderr, plus with `--json` one line `{"error":{code,message,where}}`.
 * The message is one line whatever it holds: unprintable characters escaped, its length capped.
 */
function report(e: unknown, json: boolean, io: Io): number {
  const known = e instanceof AstraError;
  // A missing or broken wasm build is the installation's fault, not the user's input.
  const exit = known && e.code !== 'WASM_LOAD' ? ExitCode.BAD_INPUT : ExitCode.INTERNAL;
  const raw = known ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}`;
  const message = printable(raw, MAX_MESSAGE);
  io.stderr(`astra: ${message}\n`);
  if (!known && process.env.ASTRA_DEBUG && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`);
  if (json) {
    const error = { code: known ? e.code : 'INTERNAL', message, where: known ? cutWhere(e.where) : null };
    writeJson({ error }, (text) => io.stderr(text));
  }
  return exit;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(resolve(script)) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * For the real process only: a reader that stops early (`astra funding --json | head`) closes the
 * pipe; that is not an error worth a stack trace.
 */
export function ignoreClosedStdout(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

if (isEntryPoint()) {
  ignoreClosedStdout();
  process.exitCode = await main(process.argv.slice(2));
}
