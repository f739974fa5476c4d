import { describeProblem } from '../bagit/problems';
import { verifyBatch } from '../batches/verify-batch';
import { openTrustStoreOption } from './trust-store-option';
import { parseCommandArgs } from './cli-args';
import { EXIT, UsageError, type Command } from './command';

export const batchCommand: Command = {
  name: 'batch',
  summary: 'Verify a sealed batch: BagIt, signatures, chain of custody, completeness',

  help() {
    return [
      'Usage: arkiva batch verify [--trust FILE] [--countersigned] [--json] DIR',
      '',
      'Verifies the sealed batch in DIR without trusting the workstation that made it: re-hashes',
      'every file, checks the BagIt bag, the chain-of-custody records against the manifests, the',
      'expected against the received page count (blank pages are flagged), and every signature',
      'against the trust store.',
      '',
      'Options:',
      '      --trust FILE      The trust store of known keys (default: $ARKIVA_TRUST_STORE)',
      '      --countersigned   Also require a supervisor\'s countersignature',
      '      --json            Print the full report as one JSON object',
      '  -h, --help            Show this help',
      '',
      'Exit codes: 0 valid, 1 invalid (each problem on stderr), 2 wrong command line.',
      '',
    ].join('\n');
  },

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      trust: { type: 'string' },
      countersigned: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const [action, dir, ...extra] = positionals;
    if (action !== 'verify') throw new UsageError(action === undefined ? 'no action given (verify)' : `unknown action "${action}"`);
    if (dir === undefined) throw new UsageError('no batch folder given');
    if (extra.length > 0) throw new UsageError(`one batch at a time (also given: ${extra.join(' ')})`);
    const trust = await openTrustStoreOption(values.trust, 'batch', io);
    if (!trust) return EXIT.failed;
    const report = await verifyBatch(dir, trust, { requireCountersignature: values.countersigned === true });
    if (values.json) {
      io.stdout(`${JSON.stringify(report)}\n`);
    } else {
      for (const warning of report.warnings) io.stderr(`arkiva batch: warning: ${describeProblem(warning)}\n`);
      for (const error of report.errors) io.stderr(`arkiva batch: ${describeProblem(error)}\n`);
      const expected = report.pages.expected === undefined ? 'not counted' : String(report.pages.expected);
      io.stdout(
        [
          `${dir}: ${report.ok ? 'valid' : 'invalid'}`,
          `  batch ${report.batchId ?? '?'}, seal ${report.seal ?? '?'}`,
          `  pages: ${report.pages.received} received, ${expected} expected${report.pages.blank.length ? `, blank: ${report.pages.blank.join(', ')}` : ''}`,
          `  files: ${report.files.count} (${report.files.octets} bytes), all re-hashed`,
          ...report.signatures.map((signature) => `  ${signature.valid ? 'valid' : 'INVALID'} signature: ${signature.intent ?? '?'} — ${signature.signer ?? '?'} at ${signature.signedAt ?? '?'}`),
          '',
        ].join('\n'),
      );
    }
    return report.ok ? EXIT.ok : EXIT.failed;
  },
};
