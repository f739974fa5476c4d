import packageJson from '../../package.json' with { type: 'json' };
import { EXIT, UsageError, type CliIo, type Command, type ExitCode } from './command';

/** Runs `arkiva ARGS...` against a table of subcommands and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo, commands: readonly Command[]): Promise<ExitCode> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h') {
    io.stdout(overview(commands));
    return EXIT.ok;
  }
  if (first === '--version' || first === '-v') {
    io.stdout(`arkiva ${packageJson.version}\n`);
    return EXIT.ok;
  }
  if (first === 'help') return help(rest[0], io, commands);
  if (first === undefined) return usageError('no command given', io);
  const command = commands.find(({ name }) => name === first);
  if (!command) {
    return usageError(first.startsWith('-') ? `unknown option ${first}` : `unknown command "${first}"`, io);
  }
  // Every command's `--help` is answered here, so no command has to parse it.
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help());
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) return usageError(error.message, io, command);
    throw error;
  }
}

function help(name: string | undefined, io: CliIo, commands: readonly Command[]): ExitCode {
  if (name === undefined) {
    io.stdout(overview(commands));
    return EXIT.ok;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) return usageError(`unknown command "${name}"`, io);
  io.stdout(command.help());
  return EXIT.ok;
}

function usageError(message: string, io: CliIo, command?: Command): ExitCode {
  const prefix = command ? `arkiva ${command.name}` : 'arkiva';
  io.stderr(`${prefix}: ${message}\nRun \`${prefix} --help\` for usage.\n`);
  return EXIT.usage;
}

function overview(commands: readonly Command[]): string {
  const width = Math.max(...commands.map(({ name }) => name.length));
  return [
    'Usage: arkiva <command> [options]',
    '',
    'Arkiva command line: the workstation services, without the window.',
    '',
    'Commands:',
    ...commands.map(({ name, summary }) => `  ${name.padEnd(width)}  ${summary}`),
    '',
    'Options:',
    '  -h, --help     Show this help; `arkiva <command> --help` shows a command\'s',
    '  -v, --version  Print the version',
    '',
    'Exit codes: 0 success, 1 something failed (reported on stderr), 2 wrong command line.',
    '',
  ].join('\n');
}
