// `console` exists in every environment common/ code runs in (browser, Node, worker threads),
// but without the DOM or Node typings nothing declares it. Declare just what common/ may use.
declare const console: {
  error(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  log(...data: unknown[]): void;
};
