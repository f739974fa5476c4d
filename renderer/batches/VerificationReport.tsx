import type { BatchVerification } from '../../common/api/contract';
import { useI18n } from '../i18n/I18nProvider';
import type { Translate } from '../i18n/translate';

type Problem = BatchVerification['errors'][number];

const ROLES = ['clerk', 'supervisor', 'workstation'] as const;
/** The role a signature was made in, in the reader's language; a role this version does not know stays as written. */
function roleText(role: string | undefined, t: Translate): string {
  if (role === undefined) return '?';
  const known = ROLES.find((candidate) => candidate === role);
  return known === undefined ? role : t(`session.role.${known}`);
}

/** What the supervisor reads before countersigning: every check, and exactly what failed where. */
export function VerificationReport({ report }: { report: BatchVerification }) {
  const { t } = useI18n();
  return (
    <section className="verification-report" data-testid="batch-report" data-ok={report.ok} style={{ overflowWrap: 'anywhere' }}>
      <p className={report.ok ? 'report-ok' : 'inline-error'} data-testid="batch-report-summary">
        {report.ok ? t('batches.report.ok') : t('batches.report.failed', { count: report.errors.length })}
      </p>
      <p>
        {report.pages.expected === undefined
          ? t('batches.counts.uncounted', { received: report.pages.received })
          : t('batches.counts', { expected: report.pages.expected, received: report.pages.received })}
        {report.pages.blank.length > 0 && ` · ${t('batches.report.blank', { pages: report.pages.blank.join(', ') })}`}
        {` · ${t('batches.report.files', { count: report.files.count })}`}
      </p>
      {report.signatures.length > 0 && (
        <ul className="report-signatures">
          {report.signatures.map((signature) => (
            <li key={signature.file} data-testid="report-signature" data-valid={signature.valid}>
              {t(signature.valid ? 'batches.report.signatureValid' : 'batches.report.signatureInvalid', {
                signer: signature.signer ?? '?',
                role: roleText(signature.role, t),
                file: signature.file,
              })}
            </li>
          ))}
        </ul>
      )}
      <ProblemList kind="error" title={t('batches.report.errors')} problems={report.errors} />
      <ProblemList kind="warning" title={t('batches.report.warnings')} problems={report.warnings} />
    </section>
  );
}

function ProblemList({ kind, title, problems }: { kind: 'error' | 'warning'; title: string; problems: readonly Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <>
      <h3 className="report-heading">{title}</h3>
      <ul className="report-problems">
        {problems.map((problem, index) => (
          <li key={index} data-testid="report-problem" data-kind={kind} data-code={problem.code} data-path={problem.path ?? ''}>
            <code>{problem.code}</code>
            {problem.path && (
              <>
                {' '}
                <code className="report-path">{problem.path}</code>
              </>
            )}
            : {problem.message}
          </li>
        ))}
      </ul>
    </>
  );
}
