import { describe, expect, it } from 'vitest';
import { renderStatic } from '../test-support/render';
import { availableChoices, RecognizeAgainView } from './RecognizeAgain';

describe('recognising a page again', () => {
  it('offers only the languages whose models are installed, and always the automatic choice', () => {
    expect(availableChoices(['eng', 'sqi']).map((choice) => choice.languages)).toEqual(['', 'sqi+eng', 'eng']);
    expect(availableChoices(['eng', 'sqi', 'srp', 'srp_latn']).map((choice) => choice.languages)).toEqual(['', 'sqi+eng', 'srp', 'srp_latn+sqi', 'eng']);
    expect(availableChoices([]).map((choice) => choice.languages)).toEqual(['']);
  });

  it('lets the clerk pick the languages and send the page, and holds the button while the page waits for OCR', () => {
    const ready = renderStatic(<RecognizeAgainView choices={availableChoices(['eng', 'srp'])} busy={false} onSubmit={() => undefined} />);
    expect(ready.byTag('option').map((option) => option.text)).toEqual(['Automatic (by script)', 'Serbian, Cyrillic', 'English']);
    expect(ready.byTestId('recognize-again-button')[0]).toMatchObject({ text: 'Recognise again', attributes: expect.not.objectContaining({ disabled: expect.anything() }) });

    const waiting = renderStatic(<RecognizeAgainView choices={availableChoices(['eng'])} busy onSubmit={() => undefined} />);
    expect(waiting.byTestId('recognize-again-button')[0]).toMatchObject({ text: 'Waiting for OCR…', attributes: expect.objectContaining({ disabled: '' }) });
  });
});
