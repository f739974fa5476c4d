/** CLDR plural categories; Serbian needs `few`, Albanian and English only `one` and `other`. */
export interface PluralForms {
  readonly zero?: string;
  readonly one?: string;
  readonly two?: string;
  readonly few?: string;
  readonly many?: string;
  readonly other: string;
}
