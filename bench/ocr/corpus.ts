/**
 * Word lists for the generated benchmark pages: common words of each language, so that the
 * pages read like text to Tesseract's language model, with the letters that matter (ë, ç; the
 * Serbian Cyrillic alphabet including ђ, ћ, љ, њ, џ, ј).
 */
export type BenchLanguage = 'eng' | 'sqi' | 'srp';

const WORDS: Record<BenchLanguage, string> = {
  eng: `the police report was filed on the same day by the officer who found the vehicle near the
    river and the witness said that she had seen two men leave the house before midnight while the
    forensic examination of the body showed injuries to the head and chest consistent with a fall
    from a height the case remains open and the file was sent to the prosecutor for review after
    the family asked for a second opinion from the institute records show that the victim worked
    at the municipal office until last year and lived alone in a small apartment on the third floor
    evidence collected at the scene includes clothing documents a mobile phone and several
    photographs taken by the investigator on duty`,
  sqi: `policia raportoi se ngjarja ndodhi në orët e mbrëmjes pranë urës së qytetit dhe dëshmitari
    tha që kishte parë dy burra duke dalë nga shtëpia para mesnatës ekzaminimi mjeko ligjor i trupit
    tregoi lëndime në kokë dhe në gjoks të përputhshme me një rënie nga lartësia rasti mbetet i hapur
    dhe dosja iu dërgua prokurorit për shqyrtim pasi familja kërkoi një mendim të dytë nga instituti
    sipas të dhënave viktima punonte në zyrën komunale deri vitin e kaluar dhe jetonte vetëm në një
    banesë të vogël në katin e tretë provat e mbledhura në vendngjarje përfshijnë rroba dokumente një
    telefon celular dhe disa fotografi të bëra nga hetuesi në detyrë çështja u regjistrua më çdo
    kujdes dhe çelësat e makinës u gjetën në xhepin e xhaketës`,
  srp: `полиција је поднела извештај истог дана када је службеник пронашао возило поред реке а
    сведок је рекао да је видео два мушкарца како излазе из куће пре поноћи судско медицинско
    вештачење тела показало је повреде главе и грудног коша које одговарају паду са висине случај
    остаје отворен и спис је послат тужиоцу на разматрање након што је породица затражила друго
    мишљење од института према подацима жртва је радила у општинској канцеларији до прошле године и
    живела сама у малом стану на трећем спрату докази прикупљени на месту догађаја укључују одећу
    документе мобилни телефон и неколико фотографија које је снимио дежурни истражитељ љубазно
    њихов ђак ћерка џеп јутро`,
};

export const LANGUAGES: readonly BenchLanguage[] = ['eng', 'sqi', 'srp'];

export function wordsOf(language: BenchLanguage): string[] {
  return WORDS[language].split(/\s+/u).filter(Boolean);
}

