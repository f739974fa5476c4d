import { readFile } from 'node:fs/promises';
import { signerRoleSchema, type SignerRole } from '../signing/keystore';
import { TrustStore } from '../signing/trust-store';
import { parseCommandArgs } from './cli-args';
import { EXIT, UsageError, type Command } from './command';

/**
 * The trust store is edited here, by whoever administers the workstation, never from the
 * window: a clerk must not be able to make their own key count as a supervisor's.
 */
export const trustCommand: Command = {
  name: 'trust',
  summary: 'Manage the trust store of signing keys and certificates',

  help() {
    return [
      'Usage: arkiva trust list     [--trust FILE]',
      '       arkiva trust add      [--trust FILE] --role ROLE --user ID --name NAME KEY.pem',
      '       arkiva trust add-cert [--trust FILE] --role ROLE --user ID --name NAME CERT.pem',
      '       arkiva trust add-ca   [--trust FILE] --role ROLE [--role ROLE] --name NAME CA.pem',
      '       arkiva trust rotate   [--trust FILE] OLD-KEY-ID NEW-KEY.pem|NEW-CERT.pem',
      '       arkiva trust revoke   [--trust FILE] --reason TEXT KEY-ID',
      '',
      'The keys and certificates whose signatures Arkiva accepts, and for which role (clerk,',
      'supervisor, workstation). A rotated key stays valid for what it signed before the rotation;',
      'a revoked key is refused for everything, and a certificate from a trusted CA can be revoked',
      'by its key id. The file is --trust FILE or $ARKIVA_TRUST_STORE.',
      '',
      'Exit codes: 0 done, 1 failed (on stderr), 2 wrong command line.',
      '',
    ].join('\n');
  },

  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      trust: { type: 'string' },
      role: { type: 'string', multiple: true },
      user: { type: 'string' },
      name: { type: 'string' },
      reason: { type: 'string' },
    });
    const [action, ...rest] = positionals;
    const file = values.trust ?? process.env.ARKIVA_TRUST_STORE;
    if (!file) throw new UsageError('no trust store: pass --trust FILE or set ARKIVA_TRUST_STORE');
    const roles = (values.role ?? []).map((role): SignerRole => {
      const parsed = signerRoleSchema.safeParse(role);
      if (!parsed.success) throw new UsageError(`unknown role "${role}" (clerk, supervisor, workstation)`);
      return parsed.data;
    });
    const one = (what: string) => {
      if (rest.length !== 1 || !rest[0]) throw new UsageError(`give exactly one ${what}`);
      return rest[0];
    };
    const required = (value: string | undefined, option: string) => {
      if (!value) throw new UsageError(`${option} is required`);
      return value;
    };

    try {
      const store = await TrustStore.open(file);
      switch (action) {
        case 'list':
          for (const key of store.list()) {
            const state = key.revokedAt ? `REVOKED ${key.revokedAt} (${key.revocationReason ?? ''})` : key.retiredAt ? `rotated out ${key.retiredAt}` : 'trusted';
            io.stdout(`${key.keyId}  ${key.algorithm.padEnd(7)}  ${key.roles.join(',').padEnd(18)}  ${key.displayName}  [${state}]\n`);
          }
          return EXIT.ok;
        case 'add': {
          if (roles.length !== 1) throw new UsageError('give one --role');
          const pem = await readFile(one('public key file'), 'utf8');
          const key = store.add({ publicKeyPem: pem, userId: required(values.user, '--user'), displayName: required(values.name, '--name'), roles });
          await store.save();
          io.stdout(`trusted ${key.keyId} as ${roles.join(', ')}\n`);
          return EXIT.ok;
        }
        case 'add-cert': {
          if (roles.length !== 1) throw new UsageError('give one --role');
          const pem = await readFile(one('certificate file'), 'utf8');
          const key = store.addCertificate({ certificatePem: pem, userId: required(values.user, '--user'), displayName: required(values.name, '--name'), roles });
          await store.save();
          io.stdout(`trusted ${key.keyId} as ${roles.join(', ')}\n`);
          return EXIT.ok;
        }
        case 'add-ca': {
          if (roles.length === 0) throw new UsageError('give at least one --role');
          const pem = await readFile(one('CA certificate file'), 'utf8');
          const key = store.addAuthority({ certificatePem: pem, displayName: required(values.name, '--name'), roles });
          await store.save();
          io.stdout(`trusted CA ${key.keyId} for ${roles.join(', ')}\n`);
          return EXIT.ok;
        }
        case 'rotate': {
          const [oldKeyId, newFile] = rest;
          if (!oldKeyId || !newFile || rest.length !== 2) throw new UsageError('give the old key id and the new key or certificate file');
          const pem = await readFile(newFile, 'utf8');
          const replacement = pem.includes('BEGIN CERTIFICATE') ? { certificatePem: pem } : { publicKeyPem: pem };
          const added = store.rotate(oldKeyId, replacement);
          await store.save();
          io.stdout(`rotated ${oldKeyId} to ${added.keyId}\n`);
          return EXIT.ok;
        }
        case 'revoke': {
          const keyId = one('key id');
          store.revoke(keyId, required(values.reason, '--reason'));
          await store.save();
          io.stdout(`revoked ${keyId}\n`);
          return EXIT.ok;
        }
        default:
          throw new UsageError(action === undefined ? 'no action given (list, add, add-cert, add-ca, rotate, revoke)' : `unknown action "${action}"`);
      }
    } catch (error) {
      if (error instanceof UsageError) throw error;
      io.stderr(`arkiva trust: ${error instanceof Error ? error.message : String(error)}\n`);
      return EXIT.failed;
    }
  },
};

