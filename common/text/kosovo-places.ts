/**
 * Gazetteer of Kosovo: the 38 municipalities and the settlements most often named in police and
 * forensic records, under their Albanian and Serbian names (Serbian in Latin; Cyrillic folds to
 * it) and the English spellings found in international documents. A query naming a place finds
 * it under every name. Data, not code: add a place by adding a line.
 *
 * - `sq`: Albanian names, indefinite form first (Prishtinë); the definite and genitive forms
 *   (Prishtina, Prishtinës) are derived by albanianForms().
 * - `sr`: Serbian names with the case forms records use (u Prištini, iz Prištine).
 * - `en`: other spellings (English, older transcriptions).
 * - `common`: names that are also ordinary words ("viti" is "the year" in Albanian, "istok" is
 *   "east" in Serbian). A query for them still expands to the place's other names, but other
 *   names never expand to them, or every page mentioning a year would match "Vitina".
 */
export interface Place {
  readonly kind: 'municipality' | 'settlement' | 'region';
  readonly sq: readonly string[];
  readonly sr: readonly string[];
  readonly en?: readonly string[];
  readonly common?: readonly string[];
}

export const KOSOVO_PLACES: readonly Place[] = [
  { kind: 'municipality', sq: ['Deçan'], sr: ['Dečani', 'Dečane', 'Dečanima'], en: ['Decan', 'Decani'] },
  { kind: 'municipality', sq: ['Dragash'], sr: ['Dragaš', 'Dragašu'] },
  { kind: 'municipality', sq: ['Ferizaj'], sr: ['Uroševac', 'Uroševca', 'Uroševcu'] },
  { kind: 'municipality', sq: ['Fushë Kosovë'], sr: ['Kosovo Polje', 'Kosovom Polju', 'Kosova Polja'] },
  { kind: 'municipality', sq: ['Gjakovë'], sr: ['Đakovica', 'Đakovice', 'Đakovici', 'Đakovicu'], en: ['Gjakova', 'Djakovica', 'Dakovica'] },
  { kind: 'municipality', sq: ['Gjilan'], sr: ['Gnjilane', 'Gnjilana', 'Gnjilanu'], en: ['Gjilani'] },
  { kind: 'municipality', sq: ['Gllogoc', 'Drenas'], sr: ['Glogovac', 'Glogovca', 'Glogovcu'] },
  { kind: 'municipality', sq: ['Graçanicë'], sr: ['Gračanica', 'Gračanice', 'Gračanici'] },
  { kind: 'municipality', sq: ['Hani i Elezit'], sr: ['Elez Han', 'Đeneral Janković'] },
  { kind: 'municipality', sq: ['Istog'], sr: ['Istok', 'Istoku'], common: ['Istok', 'Istoku'] },
  { kind: 'municipality', sq: ['Junik'], sr: ['Junik', 'Juniku'] },
  { kind: 'municipality', sq: ['Kamenicë'], sr: ['Kamenica', 'Kamenice', 'Kamenici'] },
  { kind: 'municipality', sq: ['Kaçanik'], sr: ['Kačanik', 'Kačanika', 'Kačaniku'] },
  { kind: 'municipality', sq: ['Klinë'], sr: ['Klina', 'Kline', 'Klini'] },
  { kind: 'municipality', sq: ['Kllokot'], sr: ['Klokot', 'Klokotu'] },
  { kind: 'municipality', sq: ['Leposaviq'], sr: ['Leposavić', 'Leposavića', 'Leposaviću'] },
  { kind: 'municipality', sq: ['Lipjan'], sr: ['Lipljan', 'Lipljana', 'Lipljanu'] },
  { kind: 'municipality', sq: ['Malishevë'], sr: ['Mališevo', 'Mališeva', 'Mališevu'] },
  { kind: 'municipality', sq: ['Mamushë'], sr: ['Mamuša', 'Mamuše', 'Mamuši'] },
  { kind: 'municipality', sq: ['Mitrovicë'], sr: ['Mitrovica', 'Mitrovice', 'Mitrovici', 'Kosovska Mitrovica', 'Južna Mitrovica'] },
  { kind: 'municipality', sq: ['Mitrovica e Veriut'], sr: ['Severna Mitrovica', 'Severnoj Mitrovici'], en: ['North Mitrovica'] },
  { kind: 'municipality', sq: ['Novobërdë'], sr: ['Novo Brdo', 'Novom Brdu', 'Novog Brda'] },
  { kind: 'municipality', sq: ['Obiliq'], sr: ['Obilić', 'Obilića', 'Obiliću'] },
  { kind: 'municipality', sq: ['Partesh'], sr: ['Parteš', 'Partešu'] },
  { kind: 'municipality', sq: ['Pejë'], sr: ['Peć', 'Peći'], en: ['Peja', 'Pec'] },
  { kind: 'municipality', sq: ['Podujevë'], sr: ['Podujevo', 'Podujeva', 'Podujevu'] },
  { kind: 'municipality', sq: ['Prishtinë'], sr: ['Priština', 'Prištine', 'Prištini', 'Prištinu'], en: ['Pristina', 'Prishtina'] },
  { kind: 'municipality', sq: ['Prizren'], sr: ['Prizren', 'Prizrena', 'Prizrenu'] },
  { kind: 'municipality', sq: ['Rahovec'], sr: ['Orahovac', 'Orahovca', 'Orahovcu'] },
  { kind: 'municipality', sq: ['Ranillug'], sr: ['Ranilug', 'Ranilugu'] },
  { kind: 'municipality', sq: ['Shtërpcë'], sr: ['Štrpce', 'Štrpcu'] },
  { kind: 'municipality', sq: ['Shtime'], sr: ['Štimlje', 'Štimlju'] },
  { kind: 'municipality', sq: ['Skënderaj'], sr: ['Srbica', 'Srbice', 'Srbici'] },
  { kind: 'municipality', sq: ['Suharekë'], sr: ['Suva Reka', 'Suvoj Reci', 'Suve Reke'] },
  { kind: 'municipality', sq: ['Viti'], sr: ['Vitina', 'Vitine', 'Vitini'], common: ['Viti', 'Vitia', 'Vitit'] },
  { kind: 'municipality', sq: ['Vushtrri'], sr: ['Vučitrn', 'Vučitrna', 'Vučitrnu'] },
  { kind: 'municipality', sq: ['Zubin Potok'], sr: ['Zubin Potok', 'Zubinom Potoku'] },
  { kind: 'municipality', sq: ['Zveçan'], sr: ['Zvečan', 'Zvečana', 'Zvečanu'] },

  { kind: 'region', sq: ['Kosovë'], sr: ['Kosovo', 'Kosova', 'Kosovu'] },
  { kind: 'region', sq: ['Drenicë'], sr: ['Drenica', 'Drenice', 'Drenici'] },
  { kind: 'region', sq: ['Rrafshi i Dukagjinit'], sr: ['Metohija', 'Metohije', 'Metohiji'] },

  { kind: 'settlement', sq: ['Prekaz'], sr: ['Prekaz', 'Donji Prekaz'] },
  { kind: 'settlement', sq: ['Reçak'], sr: ['Račak', 'Račku'], en: ['Racak'] },
  { kind: 'settlement', sq: ['Krushë e Madhe'], sr: ['Velika Kruša', 'Velikoj Kruši'] },
  { kind: 'settlement', sq: ['Bellacërkë'], sr: ['Bela Crkva', 'Beloj Crkvi'] },
  { kind: 'settlement', sq: ['Brezovicë'], sr: ['Brezovica', 'Brezovici'] },
  { kind: 'settlement', sq: ['Gorazhdec'], sr: ['Goraždevac', 'Goraždevcu'] },
  { kind: 'settlement', sq: ['Çagllavicë'], sr: ['Čaglavica', 'Čaglavici'] },
  { kind: 'settlement', sq: ['Llapllasellë'], sr: ['Laplje Selo', 'Lapljem Selu'] },
  { kind: 'settlement', sq: ['Banjskë'], sr: ['Banjska', 'Banjskoj'] },
  { kind: 'settlement', sq: ['Gadime'], sr: ['Gadimlje'] },
  { kind: 'settlement', sq: ['Vitomiricë'], sr: ['Vitomirica', 'Vitomirici'] },
  { kind: 'settlement', sq: ['Zhegër'], sr: ['Žegra', 'Žegri'] },
  { kind: 'settlement', sq: ['Kijevë'], sr: ['Kijevo', 'Kijevu'] },
  { kind: 'settlement', sq: ['Sllatinë'], sr: ['Slatina', 'Slatini'], en: ['Pristina airport'] },
  { kind: 'settlement', sq: ['Landovicë'], sr: ['Landovica'] },
  { kind: 'settlement', sq: ['Koshare'], sr: ['Košare'] },
  { kind: 'settlement', sq: ['Meja'], sr: ['Meja', 'Meji'] },
];
