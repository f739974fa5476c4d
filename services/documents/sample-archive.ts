import sharp from 'sharp';
import type { OcrResult, PageRecord } from '../../common/api/contract';
import { EventBus } from '../api/event-bus';
import { ArchiveStore } from '../archive/archive-store';
import { PageIntake } from '../pages/page-intake';
import { PageRecognition } from '../pages/page-recognition';
import { DocumentStore } from './document-store';

/**
 * Test and benchmark support: a generated page with known words at known places, and an
 * archive opened with the real intake and an OCR stand-in that returns those words.
 */
export const SAMPLE_WORDS = ['Rasti', 'Приштина', 'çështja', 'report'];

export async function samplePage(seed: number, options: { width?: number; height?: number; gray?: boolean } = {}): Promise<Buffer> {
  const width = options.width ?? 850;
  const height = options.height ?? 1100;
  const shade = 200 + (seed % 50);
  const bars = SAMPLE_WORDS.map((_, index) => ({
    input: { create: { width: 150, height: 40, channels: 3 as const, background: { r: 20 + (seed % 30), g: 30, b: 40 } } },
    left: 80 + index * 180,
    top: 100,
  }));
  const image = sharp({ create: { width, height, channels: 3, background: { r: shade, g: shade - 10, b: shade - 30 } } }).composite(bars);
  return (options.gray ? image.toColourspace('b-w') : image).png().toBuffer();
}

/** The OCR a sample page yields: its words, on its bars. */
export function sampleOcr(): OcrResult {
  const top = 100;
  return {
    text: SAMPLE_WORDS.join(' '),
    confidence: 91,
    languages: 'sqi+srp+eng',
    words: SAMPLE_WORDS.map((text, index) => ({ text, confidence: 91, bbox: { x0: 80 + index * 180, y0: top, x1: 230 + index * 180, y1: top + 40 } })),
  };
}

export interface SampleArchive {
  archive: ArchiveStore;
  intake: PageIntake;
  recognition: PageRecognition;
  documents: DocumentStore;
  bus: EventBus;
}

/** Opens an archive with crash recovery done, as the app starts one, and OCR answered by `ocr`. */
export async function openSampleArchive(root: string, ocr: (image: Buffer) => OcrResult = sampleOcr): Promise<SampleArchive> {
  const archive = await ArchiveStore.open(root);
  await archive.removeInterruptedWrites();
  const bus = new EventBus();
  const recognition = new PageRecognition(archive, bus, async () => ({ recognize: async (image: Buffer) => ocr(image) }));
  const intake = new PageIntake(archive, bus, recognition);
  const documents = await DocumentStore.open(archive);
  await intake.resumeInterrupted(() => {});
  await recognition.resumePending();
  return { archive, intake, recognition, documents, bus };
}

export async function importSample(sample: SampleArchive, seed: number, options: { gray?: boolean } = {}): Promise<PageRecord> {
  return sample.intake.ingest(await samplePage(seed, options), { mimeType: 'image/png' }, { kind: 'import', fileName: `page-${seed}.png` });
}
