import { verifyAuditLog } from '../audit/verify-audit-log';
import { TrustStore } from '../signing/trust-store';
import { parseCommandArgs } from './cli-args';
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
    const { values, positionals } = parseCommandArgs(args, { trust: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) {
      io.stdout(this.help());
      return EXIT.ok;
    }
    const [action, file, ...extra] = positionals;
    if (action !== 'verify') throw new UsageError(action === undefined ? 'no action given (verify)' : `unknown action "${action}"`);
    if (file === undefined) throw new UsageError('no audit log given');
    if (extra.length > 0) throw new UsageError(`one log at a time (also given: ${extra.join(' ')})`);
    const trustFile = values.trust ?? process.env.ARKIVA_TRUST_STORE;
    if (!trustFile) throw new UsageError('no trust store: pass --trust FILE or set ARKIVA_TRUST_STORE');
    let trust: TrustStore;
    try {
      trust = await TrustStore.open(trustFile);
    } catch (error) {
      io.stderr(`arkiva audit: ${error instanceof Error ? error.message : String(error)}\n`);
      return EXIT.failed;
    }
    const result = await verifyAuditLog(file, trust);
    if (values.json) io.stdout(`${JSON.stringify(result)}\n`);
    else {
      for (const problem of result.problems) io.stderr(`arkiva audit: ${problem.code}: ${problem.message}\n`);
      io.stdout(`${file}: ${result.ok ? 'intact' : 'BROKEN'} (${result.entries} entries)\n`);
    }
    return result.ok ? EXIT.ok : EXIT.failed;
  },
};
