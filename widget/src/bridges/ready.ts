/**
 * The wallet apps inject their JS bridge some time after the page starts and announce it
 * with an event on `document` (`WeixinJSBridgeReady`, `AlipayJSBridgeReady`); a page that
 * calls too early finds nothing. This waits for either, and gives up after `timeoutMs` (a
 * page that only looks like it runs in the app, e.g. a spoofed user agent, has no bridge).
 */
export function bridgeReady<T>(win: Window, name: string, timeoutMs = 8000): Promise<T> {
  const now = (win as unknown as Record<string, T | undefined>)[name];
  if (now) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const done = () => {
      const bridge = (win as unknown as Record<string, T | undefined>)[name];
      if (!bridge) return;
      win.document.removeEventListener(`${name}Ready`, done);
      clearTimeout(timer);
      resolve(bridge);
    };
    const timer = setTimeout(() => {
      win.document.removeEventListener(`${name}Ready`, done);
      reject(Object.assign(new Error(`${name} did not become ready: is this page open in the wallet app?`), { code: 'bridge_unavailable' }));
    }, timeoutMs);
    win.document.addEventListener(`${name}Ready`, done);
  });
}
