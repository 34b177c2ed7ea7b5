/**
 * What a CLI command is: a name, its options (with help text) and a `run` that returns both a
 * JSON-able object and a human table, so `--json` and the default output can never drift apart.
 */

/** Where a command reads and writes. The real CLI passes the process; tests pass buffers. */
export interface Io {
  /** Write to standard output. */
  stdout(text: string): void;
  /** Write to standard error. */
  stderr(text: string): void;
  /** Directory that relative paths resolve against. */
  cwd: string;
}

/** One option of a command, in the shape `node:util` `parseArgs` wants plus help text. */
export interface OptionSpec {
  /** `string` options take a value; `boolean` ones are flags. */
  type: 'string' | 'boolean';
  /** Repeatable (values collected into an array). */
  multiple?: boolean;
  /** Placeholder shown in help, e.g. `FILE`. */
  value?: string;
  /** One-line description, including the default. */
  help: string;
}

/** Parsed option values: strings, flags, or arrays of strings for `multiple` options. */
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/**
 * The readable report: the text itself, or a function that makes it only when it is printed
 * (not under `--json`), as one string or as chunks written one after another so a report of a
 * million lines never has to be one string. It ends with a newline.
 */
export type CommandText = string | (() => string | Iterable<string>);

/** What a successful command hands back to `main` to print. */
export interface CommandOutput {
  /** The single object printed with `--json` (NaN becomes `null`). */
  json: unknown;
  /** The readable report printed by default; see {@link CommandText}. */
  text: CommandText;
}

/** A CLI command. */
export interface Command {
  /** Name typed after `astra`. */
  name: string;
  /** One line for `astra --help`. */
  summary: string;
  /** Options besides the global `--json` and `--help`. */
  options: Record<string, OptionSpec>;
  /** Run with parsed options; throw `AstraError` for input the user can fix. */
  run(values: OptionValues, io: Io): Promise<CommandOutput>;
}
