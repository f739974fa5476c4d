import { checkFixity, isArchiveFolder } from '../archive/fixity';
import { EXIT, UsageError, type Command } from './command';
import { parseCommandArgs } from './cli-args';

export const fixityCommand: Command = {
  name: 'fixity',
  summary: 'Re-hash an archive and report what is missing, changed or unexpected',

  help() {
    return [
      'Usage: arkiva fixity [--json] ARCHIVE_DIR',
      '',
      'Re-hashes every file of the archive and checks it against what the archive records:',
      'originals against their SHA-256 names, page records and document revisions against the',
      'hash each carries of its own content, derived files against the hashes in their page',
      'records, each document revision against the hash the next one recorded, and each',
      "document's latest revision against its head. An original no page record refers to, a",
      'page record or revision deleted, or a document folder gone is a problem. Reports files',
      'that are missing, changed, unreadable, or there but not part of the archive. Reads only.',
      'settings/, batches/, signing/ and audit/ have their own checks (arkiva batch verify,',
      'arkiva audit verify).',
      '',
      'Notes (not damage): temporary files of writes a crash interrupted, unfinished work in',
      'the journal and the originals it names. Arkiva settles these at its next start.',
      'Records written before records carried their own hash are counted, not failed.',
      '',
      'Options:',
      '      --json   Print the report as one JSON object',
      '  -h, --help   Show this help',
      '',
      'Exit codes: 0 intact, 1 problems found, 2 wrong command line or not an archive.',
      '',
    ].join('\n');
  },

  async run(args, io) {
    const { values, positionals } = parse(args);
    if (positionals.length !== 1) throw new UsageError('give exactly one ARCHIVE_DIR');
    const root = positionals[0] as string;
    if (!(await isArchiveFolder(root))) throw new UsageError(`${root} is not an Arkiva archive (no originals/ and pages/ folders)`);
    const report = await checkFixity(root);
    if (values.json) {
      io.stdout(`${JSON.stringify(report)}\n`);
    } else {
      for (const problem of report.problems) io.stdout(`${problem.kind.toUpperCase().padEnd(10)} ${problem.path}: ${problem.message}\n`);
      for (const note of report.notes) io.stdout(`note       ${note.path}: ${note.message} (${note.kind})\n`);
      const { originals, derived, pages, documentRevisions, bytes } = report.checked;
      io.stdout(
        `${report.ok ? 'OK' : 'FAILED'}: ${originals} originals, ${derived} derived files, ${pages} page records, ` +
          `${documentRevisions} document revisions (${(bytes / 1048576).toFixed(1)} MB hashed); ` +
          `${report.problems.length} problem(s), ${report.notes.length} note(s)\n`,
      );
      const { pages: oldPages, documents: oldDocuments } = report.unsealed;
      if (oldPages + oldDocuments > 0) {
        io.stdout(
          `${oldPages} page record(s) and ${oldDocuments} document(s) were written before records carried their own hash: ` +
            'checked against their originals and history only; each is sealed when next changed\n',
        );
      }
    }
    return report.ok ? EXIT.ok : EXIT.failed;
  },
};

function parse(args: string[]) {
  return parseCommandArgs(args, { json: { type: 'boolean' } });
}
