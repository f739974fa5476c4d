/** Capture time as a clerk reads it, in the UI language and the workstation's time zone. */
export function formatCapturedAt(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** Tesseract's 0–100 confidence, as a whole percentage. */
export function formatConfidence(confidence: number): number {
  return Math.round(Math.min(100, Math.max(0, confidence)));
}
