// Node polyfills Symbol.dispose as Symbol.for('nodejs.dispose'); jest's sandbox realm lacks it,
// and undici (jsforce's HTTP client) reads it from events.addAbortListener().
const symbols = Symbol as unknown as Record<string, symbol | undefined>;
symbols.dispose ??= Symbol.for('nodejs.dispose');
symbols.asyncDispose ??= Symbol.for('nodejs.asyncDispose');
