/**
 * README.md "Vue 3": the vite.config.js and Checkout.vue blocks, as written. The config is
 * loaded with the real @vitejs/plugin-vue, its isCustomElement compiles the component with
 * Vue's own SFC compiler, and the component is mounted: `<pay-qr>` is the widget (not an
 * unresolved Vue component), `:order`/`:secret` reach its properties, `@pay-qr-paid` hears it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as vue from 'vue';
import { compileScript, parse } from 'vue/compiler-sfc';
import { PayQrElement, PayQrPaidEvent } from './index.js';

// paths, not URLs: under happy-dom the global URL is the page's, which node:fs does not take
const widget = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(widget, 'README.md'), 'utf8');
const block = (marker: string, lang: string) => {
  const m = new RegExp(`<!-- ${marker} -->\\s*\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!m?.[1]) throw new Error(`README.md: the ${marker} block is missing`);
  return m[1];
};

/** the README's vite.config.js, loaded as a module next to the widget's own dependencies */
async function readmeViteConfig(): Promise<{ plugins: Array<{ api?: { options: { template?: { compilerOptions?: { isCustomElement?: (tag: string) => boolean } } } } }> }> {
  const dir = join(widget, 'node_modules/.cache/readme');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'vite.config.mjs');
  writeFileSync(file, block('vue-vite-config', 'js'));
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)).default;
}

/**
 * Checkout.vue compiled by @vue/compiler-sfc with `compilerOptions`, then evaluated with `vue`
 * handed in: its `import … from 'vue'` become reads of that object, and the widget import is
 * this test's own (./index.js above).
 */
function compileCheckout(compilerOptions: object): { component: vue.Component; code: string } {
  // as @vitejs/plugin-vue does: the options go to the parse and to the template compile
  const { descriptor, errors } = parse(block('vue-component', 'vue'), { filename: 'Checkout.vue', templateParseOptions: compilerOptions });
  expect(errors).toEqual([]);
  const { content } = compileScript(descriptor, { id: 'checkout', inlineTemplate: true, templateOptions: { compilerOptions } });
  const code = content
    .replace(/^import ['"]@payqr\/widget['"];?$/m, '')
    .replace(/^import \{([^}]*)\} from ['"]vue['"];?$/gm, (_, names: string) => `const {${names.replace(/\bas\b/g, ':')}} = __vue;`)
    .replace(/^export default /m, 'return ');
  expect(code).not.toMatch(/^\s*import /m);
  return { component: new Function('__vue', code)(vue) as vue.Component, code };
}

afterEach(() => document.body.replaceChildren());

describe('README: <pay-qr> in Vue 3', () => {
  it('the vite.config.js block makes pay-* tags custom elements for the template compiler', async () => {
    const config = await readmeViteConfig();
    const isCustomElement = config.plugins[0]!.api!.options.template!.compilerOptions!.isCustomElement!;
    expect(isCustomElement('pay-qr')).toBe(true);
    expect(isCustomElement('pay-scan')).toBe(true);
    expect(isCustomElement('router-view')).toBe(false);
  });

  it('Checkout.vue renders the widget itself, binds its properties and hears pay-qr-paid', async () => {
    // the element asks the BFF for the order: keep it waiting, this test is about the binding
    vi.stubGlobal('fetch', vi.fn(() => new Promise<Response>(() => {})));
    const config = await readmeViteConfig();
    const { component, code } = compileCheckout(config.plugins[0]!.api!.options.template!.compilerOptions!);
    expect(code).not.toContain('resolveComponent'); // without isCustomElement Vue looks for a component "pay-qr"

    const paid: string[] = [];
    const host = document.createElement('div');
    document.body.append(host);
    const app = vue.createApp({ render: () => vue.h(component, { order: 'ord_1', secret: 'cs_1', onPaid: (id: string) => paid.push(id) }) });
    app.mount(host);
    const el = host.querySelector('pay-qr')!;
    expect(el).toBeInstanceOf(PayQrElement);
    // Vue sets a custom element's properties where it has them (here all of them)
    expect([el.endpoint, el.order, el.secret, el.lang]).toEqual(['https://pay.example.com', 'ord_1', 'cs_1', 'zh-CN']);
    el.dispatchEvent(new PayQrPaidEvent({ orderId: 'ord_1', status: 'paid' }));
    expect(paid).toEqual(['ord_1']);
    app.unmount();
  });
});
