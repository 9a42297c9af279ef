// `<pay-qr>` in the demo shop's JSX (React 19 renders custom elements with their attributes).
import type { DetailedHTMLProps, HTMLAttributes } from 'react';

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'pay-qr': DetailedHTMLProps<HTMLAttributes<HTMLElement>, HTMLElement> & {
        endpoint?: string;
        order?: string;
        secret?: string;
        channels?: string;
        scene?: string;
      };
    }
  }
}
