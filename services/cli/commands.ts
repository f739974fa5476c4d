import { auditCommand } from './audit-command';
import { bagCommand } from './bag-command';
import { batchCommand } from './batch-command';
import type { Command } from './command';
import { devicesCommand } from './devices-command';
import { exportCommand } from './export-command';
import { fixityCommand } from './fixity-command';
import { ocrCommand } from './ocr-command';
import { pdfCommand } from './pdf-command';
import { scanCommand } from './scan-command';
import { trustCommand } from './trust-command';

/** Every `arkiva` subcommand; a new one (devices, scan, pdf, fixity, bag validate...) is one more entry. */
export const commands: readonly Command[] = [ocrCommand, devicesCommand, scanCommand, bagCommand, batchCommand, auditCommand, trustCommand, pdfCommand, fixityCommand, exportCommand];
