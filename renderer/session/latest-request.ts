/**
 * Tells whether a request is still the newest of its kind, so a reply that arrives after a later
 * request's (the network reorders them) is dropped instead of overwriting the newer answer.
 */
export function createLatestRequest(): { begin(): () => boolean } {
  let newest = 0;
  return {
    begin() {
      const mine = ++newest;
      return () => mine === newest;
    },
  };
}
