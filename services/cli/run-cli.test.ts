import { describe, expect, it } from 'vitest';
import { EXIT, UsageError, type CliIo, type Command } from './command';
import { commands } from './commands';
import { runCli } from './run-cli';

function capture(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
  };
  return io;
}

/** A command that records how it was called, to specify the dispatch independently of OCR. */
function recordingCommand(name: string) {
  const calls: string[][] = [];
  const command: Command = {
    name,
    summary: `Does ${name}`,
    help: () => `Usage: arkiva ${name} THING\n`,
    async run(args, io) {
      calls.push(args);
      if (args.includes('--wrong')) throw new UsageError('--wrong is wrong');
      io.stdout(`${name} ran\n`);
      return EXIT.ok;
    },
  };
  return { command, calls };
}

describe('runCli', () => {
  it('passes the arguments after the command name to that command', async () => {
    const fixity = recordingCommand('fixity');
    const devices = recordingCommand('devices');
    const io = capture();
    expect(await runCli(['devices', '--all', 'x'], io, [fixity.command, devices.command])).toBe(EXIT.ok);
    expect(devices.calls).toEqual([['--all', 'x']]);
    expect(fixity.calls).toEqual([]);
    expect(io.out).toBe('devices ran\n');
  });

  it('lists every command with its summary in --help, help, and -h', async () => {
    const table = [recordingCommand('devices').command, recordingCommand('fixity').command];
    for (const args of [['--help'], ['-h'], ['help']]) {
      const io = capture();
      expect(await runCli(args, io, table)).toBe(EXIT.ok);
      expect(io.out).toMatch(/^ {2}devices\s+Does devices$/m);
      expect(io.out).toMatch(/^ {2}fixity\s+Does fixity$/m);
    }
  });

  it.each([['--help'], ['-h'], ['FILE', '--help']])(
    'answers `arkiva <command> %s` with that command\'s help, without running it',
    async (...args) => {
      const io = capture();
      const { command, calls } = recordingCommand('fixity');
      expect(await runCli(['fixity', ...args], io, [command])).toBe(EXIT.ok);
      expect(io.out).toBe('Usage: arkiva fixity THING\n');
      expect(calls).toEqual([]);
    },
  );

  it('shows a command\'s own help with `help <command>`', async () => {
    const io = capture();
    expect(await runCli(['help', 'fixity'], io, [recordingCommand('fixity').command])).toBe(EXIT.ok);
    expect(io.out).toBe('Usage: arkiva fixity THING\n');
  });

  it.each([
    ['no command', [], /^arkiva: no command given/],
    ['an unknown command', ['frobnicate'], /^arkiva: unknown command "frobnicate"/],
    ['an unknown global option', ['--fast'], /^arkiva: unknown option --fast/],
    ['help for an unknown command', ['help', 'frobnicate'], /^arkiva: unknown command "frobnicate"/],
    ['a usage error inside a command', ['fixity', '--wrong'], /^arkiva fixity: --wrong is wrong\nRun `arkiva fixity --help` for usage/],
  ])('exits 2 with the problem on stderr for %s', async (_, args, message) => {
    const io = capture();
    expect(await runCli(args, io, [recordingCommand('fixity').command])).toBe(EXIT.usage);
    expect(io.out).toBe('');
    expect(io.err).toMatch(message);
  });

  it('prints the version', async () => {
    const io = capture();
    expect(await runCli(['--version'], io, [])).toBe(EXIT.ok);
    expect(io.out).toMatch(/^arkiva \d+\.\d+\.\d+/);
  });
});

describe('arkiva ocr, before any OCR starts', () => {
  it.each([
    ['no files', ['ocr'], /no image files given/],
    ['an unknown option', ['ocr', '--fast', 'x.tif'], /--fast/],
    ['--lang without a value', ['ocr', 'x.tif', '--lang'], /--lang/],
    ['a malformed language string', ['ocr', '--lang', 'eng+../x', 'x.tif'], /Invalid OCR language string/],
  ])('is a usage error with %s', async (_, args, message) => {
    const io = capture();
    expect(await runCli(args, io, commands)).toBe(EXIT.usage);
    expect(io.err).toMatch(message);
  });

  it('describes its options and the installed languages in its help', async () => {
    const io = capture();
    expect(await runCli(['ocr', '--help'], io, commands)).toBe(EXIT.ok);
    expect(io.out).toContain('Usage: arkiva ocr [--lang LANGS] [--json] FILE...');
    expect(io.out).toMatch(/Installed: .*\beng\b/);
  });
});
