import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Test helper: a small institutional PKI made with the openssl command (a test oracle only):
 * a root CA and end-entity certificates issued by it, with their private keys.
 */
export interface TestPki {
  readonly dir: string;
  readonly caPem: string;
  readonly caFile: string;
  issue(name: string, options?: { rsa?: boolean; ca?: 'root' | 'other' }): { certificatePem: string; privateKeyPem: string; certFile: string; keyFile: string };
  readonly otherCaPem: string;
}

export function makeTestPki(dir: string): TestPki {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const makeCa = (name: string) => {
    run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}.key`);
    run('req', '-new', '-x509', '-key', `${name}.key`, '-out', `${name}.pem`, '-days', '3650', '-subj', `/O=Test Institution/CN=${name}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  };
  makeCa('root-ca');
  makeCa('other-ca');
  writeFileSync(path.join(dir, 'ee.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n');
  let serial = 1;
  return {
    dir,
    caFile: path.join(dir, 'root-ca.pem'),
    caPem: readFileSync(path.join(dir, 'root-ca.pem'), 'utf8'),
    otherCaPem: readFileSync(path.join(dir, 'other-ca.pem'), 'utf8'),
    issue(name, options = {}) {
      const ca = options.ca === 'other' ? 'other-ca' : 'root-ca';
      if (options.rsa) run('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', `${name}.key`);
      else run('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`);
      run('req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', `/O=Test Institution/CN=${name}`);
      run('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-set_serial', String((serial += 1)), '-days', '365', '-sha256', '-extfile', 'ee.ext', '-out', `${name}.pem`);
      return {
        certificatePem: readFileSync(path.join(dir, `${name}.pem`), 'utf8'),
        privateKeyPem: readFileSync(path.join(dir, `${name}.key`), 'utf8'),
        certFile: path.join(dir, `${name}.pem`),
        keyFile: path.join(dir, `${name}.key`),
      };
    },
  };
}
