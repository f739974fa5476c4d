import { describeProblem } from '../bagit/problems';
import { validateBag } from '../bagit/validate-bag';
import { parseCommandArgs } from './cli-args';
import { EXIT, UsageError, type Command } from './command';

export const bagCommand: Command = {
  name: 'bag',
  summary: 'Validate a BagIt bag (RFC 8493)',

  help() {
    return [
      'Usage: arkiva bag validate [--json] DIR',
      '',
      'Checks that DIR is a complete and valid BagIt bag (RFC 8493, and the earlier drafts 0.93-0.97):',
      'its declaration, manifests and tag manifests, that no path leaves the bag, that every payload',
      'file is listed, and every checksum, re-computed from the files. Only BagIt: for an Arkiva',
      'batch with its signatures and chain of custody use `arkiva batch verify`.',
      '',
      'Prints "valid" or "invalid" with each problem (code, file, what is wrong); warnings go to',
      'stderr and do not make a bag invalid.',
      '',
      'Options:',
      '      --json   Print the report as one JSON object: {"valid","errors","warnings","payload"}',
      '  -h, --help   Show this help',
      '',
      'Exit codes: 0 valid, 1 invalid, 2 wrong command line.',
      '',
    ].join('\n');
  },

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } });
    const [action, dir, ...extra] = positionals;
    if (action !== 'validate') throw new UsageError(action === undefined ? 'no action given (validate)' : `unknown action "${action}"`);
    if (dir === undefined) throw new UsageError('no bag folder given');
    if (extra.length > 0) throw new UsageError(`one bag at a time (also given: ${extra.join(' ')})`);

    const result = await validateBag(dir);
    if (values.json) {
      io.stdout(`${JSON.stringify({ valid: result.ok, errors: result.errors, warnings: result.warnings, payload: result.payload })}\n`);
    } else {
      for (const warning of result.warnings) io.stderr(`arkiva bag: warning: ${describeProblem(warning)}\n`);
      for (const error of result.errors) io.stderr(`arkiva bag: ${describeProblem(error)}\n`);
      io.stdout(result.ok ? `${dir}: valid (${result.payload.files} payload files, ${result.payload.octets} bytes)\n` : `${dir}: invalid (${result.errors.length} problem${result.errors.length === 1 ? '' : 's'})\n`);
    }
    return result.ok ? EXIT.ok : EXIT.failed;
  },
};
