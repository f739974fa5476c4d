import { events, type EventName, type EventPayload } from '../../common/api/contract';

export type EventListener = (event: EventName, payload: unknown) => void;

/**
 * Services publish progress here; each host forwards what it hears to its renderer(s).
 * Payloads are validated on the way out so a malformed event is a bug found in the services.
 */
export class EventBus {
  readonly #listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const checked = events[event].parse(payload);
    for (const listener of this.#listeners) {
      try {
        listener(event, checked);
      } catch (error) {
        console.error(`listener for ${event} failed`, error);
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
