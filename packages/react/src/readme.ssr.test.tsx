/** README.md's example, as written, rendered on a server. */
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { expect, it } from 'vitest';
import { readmeExample } from './readme-example.js';

it('README: <Pay/> renders on a server as the element with its attributes', async () => {
  const Pay = await readmeExample();
  expect(renderToString(createElement(Pay, { order: 'ord_1', secret: 'cs_1' }))).toBe(
    '<pay-qr endpoint="https://pay.example.com" order="ord_1" secret="cs_1" lang="zh-CN"></pay-qr>',
  );
});
