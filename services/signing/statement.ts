import { z } from 'zod';
import { signerRoleSchema } from './keystore';

/**
 * What a signature in a batch says, as plain `Label: value` text so that a person (or openssl)
 * can read exactly what was signed: who, in which role, with which intent, over which tag
 * manifest. The detached Ed25519 signature covers these bytes; the tag manifest they name
 * covers every other file in the bag.
 */
export const INTENTS = { clerk: 'sealed by clerk', supervisor: 'verified by supervisor' } as const;
/** A supervisor's signed refusal of a seal: kept beside the bag, never inside it. */
export const REJECTION_INTENT = 'rejected by supervisor';

export const statementSchema = z.object({
  'Arkiva-Signature': z.literal('1'),
  Intent: z.enum([INTENTS.clerk, INTENTS.supervisor, REJECTION_INTENT]),
  Role: signerRoleSchema,
  Signer: z.string().min(1),
  'Signer-Id': z.string().min(1),
  'Key-Id': z.string().regex(/^[0-9a-f]{64}$/),
  'Signed-At': z.iso.datetime(),
  'Batch-Id': z.string().min(1),
  Tagmanifest: z.literal('tagmanifest-sha256.txt'),
  'Tagmanifest-SHA256': z.string().regex(/^[0-9a-f]{64}$/),
  /** A countersignature names the statement it countersigns. */
  'Countersigns-SHA256': z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** A rejection's reason, as a JSON string so that a reason of several lines stays one line. */
  Reason: z.string().optional(),
});
export type Statement = z.infer<typeof statementSchema>;

const ORDER = Object.keys(statementSchema.shape) as (keyof Statement)[];

export function formatStatement(statement: Statement): string {
  const valid = statementSchema.parse(statement);
  return ORDER.filter((label) => valid[label] !== undefined)
    .map((label) => {
      const value = String(valid[label]);
      if (/[\r\n]/.test(value)) throw new Error(`${label} must be one line`);
      return `${label}: ${value}\n`;
    })
    .join('');
}

export function parseStatement(text: string): Statement {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const match = /^([A-Za-z0-9-]+): (.*)$/.exec(line);
    if (!match?.[1] || match[2] === undefined) throw new Error(`not a statement line: "${line}"`);
    if (Object.hasOwn(fields, match[1])) throw new Error(`${match[1]} appears twice`);
    fields[match[1]] = match[2];
  }
  const parsed = statementSchema.strict().safeParse(fields);
  if (!parsed.success) throw new Error(z.prettifyError(parsed.error));
  return parsed.data;
}

/** The one-line form of a rejection's reason in a statement, and back. */
export function encodeReason(reason: string): string {
  return JSON.stringify(reason);
}

export function decodeReason(encoded: string): string {
  const value: unknown = JSON.parse(encoded);
  if (typeof value !== 'string') throw new Error('Reason is not a JSON string');
  return value;
}
