import { verifyAuditLog } from '../audit/verify-audit-log';
import { parseCommandArgs } from './cli-args';
import { openTrustStoreOption } from './trust-store-option';
import { EXIT, UsageError, type Command } from './command';

export const auditCommand: Command = {
  name: 'audit',
  summary: 'Verify the audit trail\'s hash chain and signatures',

  help() {
    return [
      'Usage: arkiva audit verify [--trust FILE] [--json] LOG',
      '',
      'Checks the append-only audit trail LOG (and its signed head LOG.head): every entry well',
      'formed and numbered without gaps, each linked to the hash of the one before, each signed',
      'by a workstation key in the trust store, and nothing cut off the end.',
      '',
      'Options:',
      '      --trust FILE  The trust store of known keys (default: $ARKIVA_TRUST_STORE)',
      '      --json        Print the report as one JSON object',
      '  -h, --help        Show this help',
      '',
      'Exit codes: 0 intact, 1 broken (each problem on stderr), 2 wrong command line.',
      '',
    ].join('\n');
  },

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { trust: { type: 'string' }, json: { type: 'boolean' } });
    const [action, file, ...extra] = positionals;
    if (action !== 'verify') throw new UsageError(action === undefined ? 'no action given (verify)' : `unknown action "${action}"`);
    if (file === undefined) throw new UsageError('no audit log given');
    if (extra.length > 0) throw new UsageError(`one log at a time (also given: ${extra.join(' ')})`);
    const trust = await openTrustStoreOption(values.trust, 'audit', io);
    if (!trust) return EXIT.failed;
    const result = await verifyAuditLog(file, trust);
    if (values.json) io.stdout(`${JSON.stringify(result)}\n`);
    else {
      for (const problem of result.problems) io.stderr(`arkiva audit: ${problem.code}: ${problem.message}\n`);
      io.stdout(`${file}: ${result.ok ? 'intact' : 'BROKEN'} (${result.entries} entries)\n`);
    }
    return result.ok ? EXIT.ok : EXIT.failed;
  },
};
