/**
 * The Custom Elements Manifest (dist/custom-elements.json, `"customElements"` in package.json):
 * `<pay-qr>` and `<pay-scan>` as editors and framework tools read them — attributes,
 * properties, events, CSS parts and custom properties — taken from each class's JSDoc
 * (@attr, @fires, @csspart, @cssproperty) and Lit's `static properties`.
 */
export default {
  globs: ['src/pay-qr.ts', 'src/pay-scan.ts', 'src/events.ts', 'src/scan/events.ts'],
  outdir: 'dist',
  litelement: true,
  dependencies: false,
  packagejson: false,
  plugins: [
    {
      // `#private` members and the `static` Lit plumbing are no one's API: leave them out. The
      // events are the documented ones (@fires); the analyzer also guesses some from the
      // `dispatchEvent(new …)` calls, without their names.
      name: 'payqr:public-api-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules)
          for (const declaration of mod.declarations ?? []) {
            declaration.members &&= declaration.members.filter((m) => m.privacy !== 'private' && !m.name.startsWith('#') && !m.static);
            // a property says what its attribute's @attr line says
            for (const member of declaration.members ?? []) {
              const attribute = declaration.attributes?.find((a) => a.fieldName === member.name);
              if (attribute?.description && !member.description) member.description = attribute.description;
            }
            declaration.events &&= declaration.events.filter((e) => /^pay-(qr|scan)-/.test(e.name ?? ''));
          }
      },
    },
  ],
};
