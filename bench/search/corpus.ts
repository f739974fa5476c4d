import { KOSOVO_PLACES } from '../../common/text/kosovo-places';
import { latinToCyrillic } from '../../common/text/transliterate';
import { seededRandom } from '../seeded-random';

/**
 * A synthetic archive shaped like the real one: police and forensic pages in Albanian, Serbian
 * (Latin and Cyrillic) and English, about 300 words each, naming people, places and case numbers,
 * with the errors OCR makes. Deterministic (seeded), so runs compare.
 */

export type CorpusLanguage = 'sq' | 'sr-Latn' | 'sr-Cyrl' | 'en';

export interface CorpusPage {
  readonly id: string;
  readonly language: CorpusLanguage;
  readonly text: string;
  readonly capturedAt: string;
  readonly deviceId: string;
  readonly fileName: string;
  readonly status: 'recognized';
}

export interface CorpusQuery {
  readonly kind: string;
  readonly query: string;
}

const BASE_WORDS: Record<'sq' | 'sr' | 'en', string[]> = {
  sq: `raport policor deklaratë dëshmitar dëshmia viktima i dyshuari vendi ngjarjes data ora
    hetim hetuesi prokurori gjykata aktgjykimi vrasje vjedhje plagosje zjarrvënie automjet
    armë municion gjurmë ekspertiza mjekoligjore autopsi trupi shkaku vdekjes plagë koka gjoksi
    familja babai nëna vëllai motra fshati qyteti rruga shtëpia dera dritarja nata mëngjesi
    mbrëmja policia stacioni zyrtari komandanti njësia patrulla deklaroi tha pa dëgjoi gjeti
    mori dorëzoi nënshkroi procesverbal dosja lënda numri faqe kopje origjinale arkivi
    institucioni drejtori seksioni zhdukur person identifikim kockat varri varrezat mbetjet
    mostra analiza laboratori rezultati konfirmuar negativ pozitiv rasti dhe në për me nga që
    një të e i u se do ka kishte ishte janë është por edhe kur ku si pas para gjatë`.split(/\s+/),
  sr: `izveštaj policijski izjava svedok svedočenje žrtva osumnjičeni mesto događaja datum vreme
    istraga istražitelj tužilac sud presuda ubistvo krađa ranjavanje paljevina vozilo oružje
    municija trag veštačenje sudskomedicinsko obdukcija telo uzrok smrti rana glava grudi
    porodica otac majka brat sestra selo grad ulica kuća vrata prozor noć jutro veče policija
    stanica službenik komandir jedinica patrola izjavio rekao video čuo pronašao uzeo predao
    potpisao zapisnik dosije predmet broj strana kopija original arhiva institut direktor
    odeljenje nestalo lice identifikacija kosti grob groblje ostaci uzorak analiza laboratorija
    rezultat potvrđen negativan pozitivan slučaj i u na za sa od da je su se što kao ali kada
    gde posle pre tokom čovek žena dete`.split(/\s+/),
  en: `report police statement witness testimony victim suspect scene incident date time
    investigation investigator prosecutor court judgement murder theft wounding arson vehicle
    weapon ammunition trace forensic examination autopsy body cause death wound head chest
    family father mother brother sister village town street house door window night morning
    evening station officer commander unit patrol stated said saw heard found took delivered
    signed record file case number page copy original archive institute director section
    missing person identification bones grave cemetery remains sample analysis laboratory
    result confirmed negative positive the of and to in for with from that was were is are
    but also when where after before during man woman child`.split(/\s+/),
};

const SYLLABLES: Record<'sq' | 'sr' | 'en', string[]> = {
  sq: ['sh', 'ka', 'ri', 'të', 'zh', 'gj', 'qe', 'ço', 'llo', 'rr', 'dhë', 'ni', 'ma', 've', 'ku', 'xhi', 'bo', 'ta', 'ër', 'si'],
  sr: ['ra', 'vo', 'ni', 'če', 'ša', 'ži', 'ko', 'ste', 'vić', 'lj', 'nj', 'đe', 'pre', 'do', 'ću', 'ba', 'mi', 'to', 'ov', 'ka'],
  en: ['con', 'ter', 'ing', 'ed', 'al', 'pro', 're', 'tion', 'ate', 'ment', 'ver', 'com', 'ly', 'der', 'ous', 'ble', 'ex', 'in', 'ar', 'st'],
};

export const FIRST_NAMES = {
  sq: ['Agim', 'Arben', 'Besnik', 'Blerim', 'Driton', 'Fatmir', 'Hysen', 'Ilir', 'Jeton', 'Naim', 'Qerim', 'Shpend', 'Valon', 'Xhevdet', 'Zenel', 'Arta', 'Besa', 'Drita', 'Fatime', 'Shqipe', 'Vjosa', 'Zhaneta', 'Gjyle', 'Lumnije'],
  sr: ['Aleksandar', 'Bojan', 'Dragan', 'Đorđe', 'Goran', 'Milan', 'Miloš', 'Nenad', 'Stefan', 'Živko', 'Dušan', 'Ljubomir', 'Njegoš', 'Jovana', 'Milica', 'Snežana', 'Dragana', 'Ljiljana', 'Zorica', 'Ćamil'],
  en: ['John', 'Peter', 'Michael', 'Sarah', 'Anna', 'David'],
};

export const SURNAMES = {
  sq: ['Gashi', 'Berisha', 'Krasniqi', 'Morina', 'Shala', 'Hoxha', 'Bytyqi', 'Kastrati', 'Rexhepi', 'Hajdari', 'Zeqiri', 'Thaçi', 'Xhaferi', 'Gjoka', 'Haradinaj', 'Kelmendi', 'Lushtaku', 'Sejdiu', 'Mustafa', 'Çeku', 'Qorri', 'Shabani', 'Zhubi', 'Ibrahimi'],
  sr: ['Jovanović', 'Petrović', 'Nikolić', 'Marković', 'Đorđević', 'Stojanović', 'Ilić', 'Stanković', 'Pavlović', 'Milošević', 'Živković', 'Šćepanović', 'Lazić', 'Đurić', 'Todorović', 'Kostić', 'Savić', 'Ćirić', 'Janković', 'Simić'],
  en: ['Smith', 'Brown', 'Wilson'],
};

const INSTITUTIONS = ['Policia e Kosovës', 'Instituti i Mjekësisë Ligjore', 'Prokuroria Themelore', 'Policija Kosova', 'Institut za sudsku medicinu', 'Kosovo Police', 'Institute of Forensic Medicine'];
const DEVICES = ['sane:fujitsu:fi-7160', 'escl:ricoh-im-c3000', 'sane:canon:dr-c225', ''];

/** The kinds of error OCR makes on old typewritten records. */
function ocrDamage(word: string, random: () => number): string {
  const roll = random();
  if (roll < 0.25) return word.replace(/i/, 'l');
  if (roll < 0.4) return word.replace(/m/, 'rn');
  if (roll < 0.55) return word.normalize('NFD').replace(/\p{Mn}/gu, '').normalize('NFC');
  if (roll < 0.65) return word.replace(/o/, '0');
  if (roll < 0.8 && word.length > 4) {
    const at = 1 + Math.floor(random() * (word.length - 2));
    return word.slice(0, at) + word.slice(at + 1);
  }
  if (roll < 0.9) return word.replace(/e/, 'c');
  return word.replace(/n/, 'ri');
}

/** Zipf-like choice: a few words very often, a long tail rarely. */
function zipfPick<T>(items: readonly T[], random: () => number): T {
  const index = Math.floor(items.length * Math.pow(random(), 2.2));
  return items[Math.min(index, items.length - 1)] as T;
}

function synthesiseVocabulary(language: 'sq' | 'sr' | 'en', size: number, random: () => number): string[] {
  const words = new Set<string>(BASE_WORDS[language]);
  const syllables = SYLLABLES[language];
  while (words.size < size) {
    const count = 2 + Math.floor(random() * 3);
    let word = '';
    for (let i = 0; i < count; i++) word += syllables[Math.floor(random() * syllables.length)];
    words.add(word);
  }
  return [...words];
}

export function caseNumber(n: number): string {
  const year = 1990 + (n % 30);
  return `${String(n % 100_000).padStart(5, '0')}/${year}`;
}

function placeNames(language: CorpusLanguage): string[] {
  return KOSOVO_PLACES.flatMap((place) => (language === 'sq' ? place.sq : language === 'en' ? [...(place.en ?? []), ...place.sq] : place.sr));
}

export function generateCorpus(pageCount: number, seed = 20_260_601): CorpusPage[] {
  const random = seededRandom(seed);
  const vocabulary = {
    sq: synthesiseVocabulary('sq', 15_000, random),
    sr: synthesiseVocabulary('sr', 15_000, random),
    en: synthesiseVocabulary('en', 10_000, random),
  };
  const pages: CorpusPage[] = [];
  const start = Date.UTC(1998, 0, 1);
  for (let n = 0; n < pageCount; n++) {
    const roll = random();
    const language: CorpusLanguage = roll < 0.45 ? 'sq' : roll < 0.65 ? 'sr-Latn' : roll < 0.8 ? 'sr-Cyrl' : 'en';
    const base = language === 'sq' ? 'sq' : language === 'en' ? 'en' : 'sr';
    const names = placeNames(language);
    const words: string[] = [];
    words.push(zipfPick(INSTITUTIONS, random), 'Nr.', caseNumber(Math.floor(random() * 40_000)));
    while (words.length < 300) {
      const kind = random();
      if (kind < 0.03) words.push(`${zipfPick(FIRST_NAMES[base], random)} ${zipfPick(SURNAMES[base], random)}`);
      else if (kind < 0.045) words.push(zipfPick(names, random));
      else if (kind < 0.05) words.push(String(1 + Math.floor(random() * 31)).padStart(2, '0') + '.' + String(1 + Math.floor(random() * 12)).padStart(2, '0') + '.' + (1990 + Math.floor(random() * 30)));
      else words.push(zipfPick(vocabulary[base], random));
    }
    let text = words.map((word) => (random() < 0.03 ? ocrDamage(word, random) : word)).join(' ');
    if (language === 'sr-Cyrl') text = latinToCyrillic(text);
    pages.push({
      id: (n + 1).toString(16).padStart(64, '0'),
      language,
      text,
      capturedAt: new Date(start + Math.floor(random() * 9_000) * 86_400_000).toISOString(),
      deviceId: zipfPick(DEVICES, random),
      fileName: '',
      status: 'recognized',
    });
  }
  return pages;
}

/** What investigators type: names (often misspelled), places in the other language or script, case numbers, phrases. */
export function generateQueries(count: number, seed = 7): CorpusQuery[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const misspell = (word: string) => {
    const at = 1 + Math.floor(random() * (word.length - 2));
    return word.slice(0, at) + word.slice(at + 1);
  };
  const queries: CorpusQuery[] = [];
  const makers: Array<() => CorpusQuery> = [
    () => ({ kind: 'surname', query: pick([...SURNAMES.sq, ...SURNAMES.sr]) }),
    () => ({ kind: 'misspelled surname', query: misspell(pick([...SURNAMES.sq, ...SURNAMES.sr])) }),
    () => ({ kind: 'full name', query: `${pick(FIRST_NAMES.sq)} ${pick(SURNAMES.sq)}` }),
    () => ({ kind: 'cyrillic name', query: latinToCyrillic(`${pick(FIRST_NAMES.sr)} ${pick(SURNAMES.sr)}`) }),
    () => ({ kind: 'place other language', query: pick(KOSOVO_PLACES).sr[0] ?? 'Priština' }),
    () => ({ kind: 'place cyrillic', query: latinToCyrillic(pick(KOSOVO_PLACES).sr[0] ?? 'Priština') }),
    () => ({ kind: 'case number', query: caseNumber(Math.floor(random() * 40_000)) }),
    () => ({ kind: 'topic and place', query: `${pick(['vrasje', 'ubistvo', 'autopsy', 'vjedhje', 'krađa'])} ${pick(KOSOVO_PLACES).sq[0] ?? ''}` }),
    () => ({ kind: 'phrase', query: `"${pick(['raport policor', 'mesto događaja', 'cause of death', 'vendi ngjarjes', 'sudskomedicinsko veštačenje'])}"` }),
    () => ({ kind: 'prefix', query: pick(['Kras', 'Jovan', 'Prisht', 'Mitrov', 'Đakov', 'obduk', 'autop']) }),
    () => ({ kind: 'surname and place', query: `${pick(SURNAMES.sq)} ${pick(KOSOVO_PLACES).sr[0] ?? ''}` }),
  ];
  for (let i = 0; i < count; i++) queries.push(makers[i % makers.length]!());
  return queries;
}
