import type { Command } from './command';
import { ocrCommand } from './ocr-command';

/** Every `arkiva` subcommand; a new one (devices, scan, pdf, fixity, bag validate...) is one more entry. */
export const commands: readonly Command[] = [ocrCommand];
