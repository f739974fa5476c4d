import { createHash, createPrivateKey, createPublicKey, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/**
 * CMS (RFC 5652) detached signatures in the CAdES-BES form (ETSI EN 319 122-1): signed
 * attributes content-type, message-digest, signing-time and signing-certificate-v2, which binds
 * the signature to the signer's certificate. For institutions that issue X.509 certificates to
 * their staff; `openssl cms -verify` checks them (see docs/verify-without-arkiva.md).
 *
 * Built on PKI.js (pkijs 3.x): the maintained pure-JavaScript CMS implementation. Node's
 * crypto signs but has no CMS encoder.
 */
const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'] });

const OID = {
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

export function certificateFromPem(pem: string): pkijs.Certificate {
  return pkijs.Certificate.fromBER(new X509Certificate(pem).raw);
}

/** SHA-256 of the certificate's SubjectPublicKeyInfo: the same key id as for Ed25519 keys. */
export function certificateKeyId(certificatePem: string): string {
  const der = new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

export async function signCmsDetached(
  content: Uint8Array,
  signer: { certificatePem: string; privateKey: KeyObject; chainPems?: readonly string[] },
  signingTime = new Date(),
): Promise<Buffer> {
  const x509 = new X509Certificate(signer.certificatePem);
  if (!x509.checkPrivateKey(signer.privateKey)) throw new Error('The private key does not belong to the certificate.');
  const certificate = pkijs.Certificate.fromBER(x509.raw);
  const key = await importSigningKey(signer.privateKey);
  const digest = createHash('sha256').update(content).digest();
  const certHash = createHash('sha256').update(x509.raw).digest();

  const attributes = [
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: bytes(digest) })] }),
    new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: signingTime })] }),
    // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 with the default SHA-256.
    new pkijs.Attribute({
      type: OID.signingCertificateV2,
      values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: bytes(certHash) })] })] })] })],
    }),
  ];
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
      }),
    ],
    certificates: [certificate, ...(signer.chainPems ?? []).map(certificateFromPem)],
  });
  await signedData.sign(key, 0, 'SHA-256', bytes(content), engine);
  const info = new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: signedData.toSchema(true) });
  return Buffer.from(info.toSchema().toBER(false));
}

export type CmsVerification =
  | { readonly ok: true; readonly certificatePem: string; readonly keyId: string; readonly subject: string; readonly signingTime?: Date; readonly chainedTo?: string }
  | { readonly ok: false; readonly reason: string; readonly certificatePem?: string; readonly keyId?: string };

/**
 * Verifies a detached CMS signature over `content`: the message digest, the signature, the
 * signing-certificate-v2 binding, and the certificate chain up to one of `anchors` (CA
 * certificates or the signer's own certificate, as the trust store lists them), at the signing time.
 */
export async function verifyCmsDetached(content: Uint8Array, der: Uint8Array, anchors: readonly string[]): Promise<CmsVerification> {
  let signedData: pkijs.SignedData;
  try {
    const info = pkijs.ContentInfo.fromBER(bytes(der));
    if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA) return { ok: false, reason: 'not a CMS SignedData structure' };
    signedData = new pkijs.SignedData({ schema: info.content });
  } catch (error) {
    return { ok: false, reason: `not a CMS signature: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (signedData.signerInfos.length !== 1) return { ok: false, reason: `expected one signer, found ${signedData.signerInfos.length}` };
  if (signedData.encapContentInfo.eContent) return { ok: false, reason: 'the signature embeds its content; Arkiva signatures are detached' };
  const signerInfo = signedData.signerInfos[0];
  const attributes = signerInfo?.signedAttrs?.attributes ?? [];
  const signingTime = attributes.find((attribute) => attribute.type === OID.signingTime)?.values[0];
  const when = signingTime instanceof asn1js.UTCTime || signingTime instanceof asn1js.GeneralizedTime ? signingTime.toDate() : undefined;

  // First the signature itself, then whether its certificate is trusted: pinned in the trust
  // store as it is, or chaining to a listed CA certificate at the signing time.
  const basic = await runVerify(signedData, { signer: 0, data: bytes(content), checkChain: false, extendedMode: true });
  if (!basic.signatureVerified || !basic.signerCertificate) {
    const certificatePem = basic.signerCertificate ? pemOf(basic.signerCertificate) : undefined;
    const mismatch = basic.signatureVerified === false || /digest/i.test(basic.message ?? '');
    return {
      ok: false,
      reason: mismatch ? 'the signature does not match the signed content' : (basic.message ?? 'verification failed'),
      ...(certificatePem ? { certificatePem, keyId: certificateKeyId(certificatePem) } : {}),
    };
  }
  const certificatePem = pemOf(basic.signerCertificate);
  const x509 = new X509Certificate(certificatePem);
  const keyId = certificateKeyId(certificatePem);
  const binding = checkSigningCertificate(attributes, x509.raw);
  if (binding) return { ok: false, reason: binding, certificatePem, keyId };
  const at = when ?? new Date();
  if (at < new Date(x509.validFrom) || at > new Date(x509.validTo)) {
    return { ok: false, reason: `the certificate was not valid at the signing time ${at.toISOString()} (valid ${x509.validFrom} to ${x509.validTo})`, certificatePem, keyId };
  }
  const pinned = anchors.some((anchor) => new X509Certificate(anchor).raw.equals(x509.raw));
  if (pinned) return { ok: true, certificatePem, keyId, subject: x509.subject, ...(when ? { signingTime: when } : {}), chainedTo: x509.subject };
  const chained = await runVerify(signedData, {
    signer: 0,
    data: bytes(content),
    trustedCerts: anchors.map(certificateFromPem),
    checkChain: true,
    extendedMode: true,
    checkDate: at,
  });
  if (!chained.signerCertificateVerified) {
    return { ok: false, reason: `the signer's certificate does not chain to a trusted certificate (${chained.message ?? 'no chain'})`, certificatePem, keyId };
  }
  const anchor = chained.certificatePath.at(-1);
  return {
    ok: true,
    certificatePem,
    keyId,
    subject: x509.subject,
    ...(when ? { signingTime: when } : {}),
    ...(anchor ? { chainedTo: new X509Certificate(Buffer.from(anchor.toSchema().toBER(false))).subject } : {}),
  };
}

/** pkijs reports failures by throwing its result; both shapes become one result here. */
async function runVerify(signedData: pkijs.SignedData, params: pkijs.SignedDataVerifyParams): Promise<Partial<pkijs.SignedDataVerifyResult> & { certificatePath: pkijs.Certificate[] }> {
  try {
    const result = await signedData.verify({ ...params, extendedMode: true }, engine);
    return { ...result, certificatePath: result.certificatePath ?? [] };
  } catch (error) {
    const failure = error as Partial<pkijs.SignedDataVerifyResult> & { message?: string };
    return { ...failure, message: failure.message ?? String(error), certificatePath: failure.certificatePath ?? [] };
  }
}

function checkSigningCertificate(attributes: readonly pkijs.Attribute[], certificateDer: Buffer): string | undefined {
  const attribute = attributes.find((candidate) => candidate.type === OID.signingCertificateV2);
  if (!attribute) return 'no signing-certificate-v2 attribute: not a CAdES signature';
  const expected = createHash('sha256').update(certificateDer).digest('hex');
  // SEQUENCE { SEQUENCE OF ESSCertIDv2 }, each SEQUENCE { [hashAlgorithm], certHash, [issuerSerial] }.
  const certs = (attribute.values[0] as asn1js.Sequence | undefined)?.valueBlock.value[0] as asn1js.Sequence | undefined;
  const first = certs?.valueBlock.value[0] as asn1js.Sequence | undefined;
  const hash = first?.valueBlock.value.find((part) => part instanceof asn1js.OctetString);
  if (!(hash instanceof asn1js.OctetString)) return 'the signing-certificate-v2 attribute cannot be read';
  const actual = Buffer.from(hash.valueBlock.valueHexView).toString('hex');
  return actual === expected ? undefined : 'the signing-certificate-v2 attribute names another certificate';
}

async function importSigningKey(privateKey: KeyObject): Promise<webcrypto.CryptoKey> {
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  if (privateKey.asymmetricKeyType === 'ec') {
    const curve = privateKey.asymmetricKeyDetails?.namedCurve;
    const namedCurve = curve === 'prime256v1' ? 'P-256' : curve === 'secp384r1' ? 'P-384' : curve === 'secp521r1' ? 'P-521' : undefined;
    if (!namedCurve) throw new Error(`Unsupported elliptic curve ${curve ?? '?'} for CMS signing.`);
    return webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve }, false, ['sign']);
  }
  if (privateKey.asymmetricKeyType === 'rsa') {
    return webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  }
  throw new Error(`CMS signing supports RSA and ECDSA certificates, not ${privateKey.asymmetricKeyType ?? 'this key type'}.`);
}

function pemOf(certificate: pkijs.Certificate): string {
  return new X509Certificate(Buffer.from(certificate.toSchema().toBER(false))).toString();
}

function bytes(data: Uint8Array): ArrayBuffer {
  return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
}

export function privateKeyFromPem(pem: string): KeyObject {
  return createPrivateKey(pem);
}

export function publicKeyPemOfCertificate(certificatePem: string): string {
  return createPublicKey(new X509Certificate(certificatePem).publicKey).export({ type: 'spki', format: 'pem' }).toString();
}
