setInterval(() => globalThis.gc(), 3000).unref();
