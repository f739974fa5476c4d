import { TrustStore } from '../signing/trust-store';
import { UsageError, type CliIo } from './command';

/**
 * The trust store a verifying command checks signatures against: `--trust FILE`, else
 * ARKIVA_TRUST_STORE. Undefined (after saying why on stderr) when it cannot be opened.
 */
export async function openTrustStoreOption(option: string | undefined, command: string, io: CliIo): Promise<TrustStore | undefined> {
  const file = option ?? process.env.ARKIVA_TRUST_STORE;
  if (!file) throw new UsageError('no trust store: pass --trust FILE or set ARKIVA_TRUST_STORE');
  let trust: TrustStore;
  try {
    trust = await TrustStore.open(file);
  } catch (error) {
    io.stderr(`arkiva ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
    return undefined;
  }
  if (trust.list().length === 0) io.stderr(`arkiva ${command}: warning: the trust store ${file} has no keys; no signature can be trusted\n`);
  return trust;
}
