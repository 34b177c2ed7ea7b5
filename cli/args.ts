/**
 * Shared argument parsing: `node:util` `parseArgs` in strict mode, with its errors rewritten as
 * `AstraError`s that name the option and the command, plus strict number parsers for option values.
 */
import { parseArgs } from 'node:util';
import { AstraError, Messages, quote } from '../engine/errors.ts';
import { readDecimal } from '../engine/number.ts';
import type { Command, OptionSpec, OptionValues } from './command.ts';

/** Options every command accepts. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean', help: 'print one JSON object instead of the table' },
  help: { type: 'boolean', help: 'show this help' },
};

const NEGATIVE_NUMBER = /^-(?:\d|\.\d)/;

/** All option names of `command` as typed, e.g. `--book`, for messages and help. */
export function optionNames(command: Command): string[] {
  return Object.keys({ ...command.options, ...GLOBAL_OPTIONS }).map((n) => `--${n}`);
}

/**
 * Parse `argv` (the words after the command name) against the command's options. Throws
 * `BAD_INPUT` naming an unknown option, a missing value or a stray argument.
 */
export function parseCommandArgs(command: Command, argv: readonly string[]): OptionValues {
  const specs = { ...command.options, ...GLOBAL_OPTIONS };
  // `--equity -5` would be "ambiguous" to parseArgs; a negative number is clearly the value, and
  // turning it into `--equity=-5` lets the value check say what is wrong with it.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    const spec = word.startsWith('--') && !word.includes('=') ? specs[word.slice(2)] : undefined;
    if (spec?.type === 'string' && i + 1 < argv.length && NEGATIVE_NUMBER.test(argv[i + 1])) {
      args.push(`${word}=${argv[++i]}`);
    } else {
      args.push(word);
    }
  }
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, s]) => [name, { type: s.type, multiple: s.multiple ?? false }]),
  );
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as OptionValues;
  } catch (e) {
    // parseArgs' messages quote the word at fault without escaping it (and cannot be taken apart
    // when it holds a quote); find that word in the tokens of a lenient parse instead, so the
    // message can show it safely.
    const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
    throw culprit(tokens, specs, command) ?? e;
  }
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

/** The error strict parsing stops at: the first unknown option, misused value or stray argument. */
function culprit(tokens: readonly Token[], specs: Record<string, OptionSpec>, command: Command): AstraError | undefined {
  for (const token of tokens) {
    if (token.kind === 'positional') {
      return new AstraError('BAD_INPUT', Messages.unexpectedArgument(token.value, command.name), { argument: token.value });
    }
    if (token.kind !== 'option') continue;
    const option = token.rawName;
    const spec = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
    if (!spec) return new AstraError('BAD_INPUT', Messages.unknownOption(option, command.name, optionNames(command)), { option });
    if (spec.type === 'boolean' && token.value !== undefined) {
      return new AstraError('BAD_INPUT', Messages.optionTakesNoValue(option), { option });
    }
    if (spec.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))) {
      return new AstraError('BAD_INPUT', Messages.optionNeedsValue(option), { option });
    }
  }
  return undefined;
}

/** The string value of option `name`, or `undefined` when absent. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** Every value of a repeatable option (empty when absent). */
export function listOption(values: OptionValues, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

/**
 * A number from option `--name`'s text that satisfies `ok`; `undefined` when the option is absent.
 * Throws `BAD_INPUT` with `rule` (e.g. "a positive number") naming the option and the bad text.
 */
export function numberOption(
  values: OptionValues,
  name: string,
  rule: string,
  ok: (x: number) => boolean,
): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const x = readDecimal(text) ?? NaN;
  if (!Number.isFinite(x) || !ok(x)) {
    throw new AstraError('BAD_INPUT', Messages.badValue(`--${name}`, quote(text), rule), { option: `--${name}` });
  }
  return x;
}
