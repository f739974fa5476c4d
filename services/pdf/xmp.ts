/** What the PDF says about itself, in the Info dictionary and (identically) in XMP. */
export interface PdfDescription {
  title: string;
  /** dc:description / Subject: a one-line summary of the record (case, type, date...). */
  subject?: string | undefined;
  keywords: string[];
  /** dc:identifier: the archive's id of the document. */
  identifier: string;
  /** A UUID, stable across versions of the same document (xmpMM:DocumentID). */
  documentUuid: string;
  /** A UUID for this rendition (xmpMM:InstanceID). */
  instanceUuid: string;
  creatorTool: string;
  producer: string;
  createdAt: Date;
  modifiedAt: Date;
}

/**
 * The XMP packet PDF/A requires: pdfaid part 2, conformance B, and the same title, dates and
 * producer as the Info dictionary (PDF/A checks that they agree). Only properties of predefined
 * schemas are used, so no PDF/A extension schema is needed.
 */
export function xmpPacket(description: PdfDescription): string {
  const alt = (text: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(text)}</rdf:li></rdf:Alt>`;
  const lines = [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about=""',
    '  xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"',
    '  xmlns:dc="http://purl.org/dc/elements/1.1/"',
    '  xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    '  xmlns:pdf="http://ns.adobe.com/pdf/1.3/"',
    '  xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">',
    '<pdfaid:part>2</pdfaid:part>',
    '<pdfaid:conformance>B</pdfaid:conformance>',
    '<dc:format>application/pdf</dc:format>',
    `<dc:title>${alt(description.title)}</dc:title>`,
    ...(description.subject ? [`<dc:description>${alt(description.subject)}</dc:description>`] : []),
    `<dc:identifier>${escapeXml(description.identifier)}</dc:identifier>`,
    ...(description.keywords.length > 0
      ? [`<dc:subject><rdf:Bag>${description.keywords.map((k) => `<rdf:li>${escapeXml(k)}</rdf:li>`).join('')}</rdf:Bag></dc:subject>`,
        `<pdf:Keywords>${escapeXml(keywordsLine(description.keywords))}</pdf:Keywords>`]
      : []),
    `<pdf:Producer>${escapeXml(description.producer)}</pdf:Producer>`,
    `<xmp:CreatorTool>${escapeXml(description.creatorTool)}</xmp:CreatorTool>`,
    `<xmp:CreateDate>${xmpDate(description.createdAt)}</xmp:CreateDate>`,
    `<xmp:ModifyDate>${xmpDate(description.modifiedAt)}</xmp:ModifyDate>`,
    `<xmp:MetadataDate>${xmpDate(description.modifiedAt)}</xmp:MetadataDate>`,
    `<xmpMM:DocumentID>uuid:${description.documentUuid}</xmpMM:DocumentID>`,
    `<xmpMM:InstanceID>uuid:${description.instanceUuid}</xmpMM:InstanceID>`,
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    // Padding lets an editor update the packet in place, as the XMP specification recommends.
    ...Array.from({ length: 20 }, () => ' '.repeat(100)),
    '<?xpacket end="w"?>',
  ];
  return lines.join('\n');
}

export function keywordsLine(keywords: string[]): string {
  return keywords.join(', ');
}

/** Seconds precision in UTC: the Info dictionary's dates carry no more, and both must agree. */
function xmpDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function escapeXml(text: string): string {
  // XML 1.0 cannot carry control characters other than tab and line breaks at all.
  const printable = [...text].filter((c) => c >= ' ' || c === '\t' || c === '\n' || c === '\r').join('');
  return printable.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}
