import { InvalidOptionError } from '@npu-first/core';
import type { Command, CommanderError, Option } from 'commander';

/** `npu-first run`: the words a person types to reach `command`. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The quoted text in a commander message: `unknown option '--bogus'` → `--bogus`. */
function quoted(message: string): string | undefined {
  return /'([^']+)'/.exec(message)?.[1];
}

/** What to call a flag in an error: its long form, as people mostly type it. */
function flagName(option: Option): string {
  return option.long ?? option.short ?? option.flags;
}

/**
 * A commander parse error as INVALID_OPTION (exit 2) naming what the person typed — the flag,
 * the missing `<argument>`, the extra argument or the unknown command — with a reason that says
 * what to do, instead of commander's internal codes.
 */
export function usageError(error: CommanderError, command: Command): InvalidOptionError {
  const path = commandPath(command);
  const usage = `usage: ${path} ${command.usage()}`;
  const message = error.message.replace(/^error: /, '');
  const name = quoted(message) ?? '';
  switch (error.code) {
    case 'commander.missingArgument': {
      const arg = command.registeredArguments.find((a) => a.name() === name);
      return new InvalidOptionError(
        `<${name}>`,
        `missing${arg?.description ? `: ${arg.description}` : ''} (${usage})`,
      );
    }
    case 'commander.optionMissingArgument': {
      const option = command.options.find((o) => o.flags === name);
      return new InvalidOptionError(
        option ? flagName(option) : name,
        `needs a value: ${name.replace(/^-\w, /, '')}`,
      );
    }
    case 'commander.excessArguments': {
      const expected = command.registeredArguments;
      const extra = command.args[expected.length] ?? '';
      const takes =
        expected.length === 0
          ? 'takes no arguments'
          : `takes ${expected.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(' ')}`;
      return new InvalidOptionError(
        extra,
        `unexpected argument: ${path} ${takes}; quote a value with spaces (${usage})`,
      );
    }
    case 'commander.unknownOption': {
      const hint = /\(Did you mean (.+)\?\)/.exec(message)?.[1];
      return new InvalidOptionError(
        name,
        `${path} has no such option${hint ? `; did you mean ${hint}?` : ''} (see ${path} --help)`,
      );
    }
    case 'commander.unknownCommand': {
      const known = command.commands.map((c) => c.name()).join(', ');
      return new InvalidOptionError(name, `not a command of ${path} (commands: ${known})`);
    }
    default:
      return new InvalidOptionError(name || path, message);
  }
}

/** Library option names that differ from the CLI flag that feeds them. */
const FIELD_FLAGS: Readonly<Record<string, string>> = {
  'trial.dims': 'dim',
  'trial.feeds': 'input',
};

/**
 * An INVALID_OPTION from the library names an API field (`maxTokens`, `policy.order`); a person
 * typed a flag. Renames it to the flag of `command` that sets that field (`--max-tokens`), found
 * from commander's own option table, so every command gets it without a list of its own.
 */
export function withFlagNames(error: unknown, command: Command): unknown {
  if (!InvalidOptionError.isInstance(error) || error.option.startsWith('-')) return error;
  const alias = Object.keys(FIELD_FLAGS).find(
    (field) => error.option === field || error.option.startsWith(`${field}.`),
  );
  const attribute = alias ? FIELD_FLAGS[alias] : error.option.split('.')[0];
  const option = command.options.find((o) => o.attributeName() === attribute);
  return option ? new InvalidOptionError(flagName(option), error.reason) : error;
}
