// `<pay-scan>` (widget/src/pay-scan.ts) and `<till-log>` in JSX: attributes only, the page is server-rendered.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'pay-scan': DetailedHTMLProps<HTMLAttributes<HTMLElement>, HTMLElement> & {
        action?: string;
        order?: string;
        amount?: number;
        currency?: string;
        camera?: boolean;
      };
      /** the demo till's event log (defined by /cashier/till.js) */
      'till-log': DetailedHTMLProps<HTMLAttributes<HTMLElement>, HTMLElement>;
    }
  }
}
