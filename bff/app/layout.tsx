import type { ReactNode } from 'react';
import './globals.css';

export const metadata = {
  title: 'PayQR',
  description: 'Checkout kit for Chinese QR payments: WeChat Pay, Alipay, UnionPay, e-CNY',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="zh-CN">
      <body>{children}</body>
    </html>
  );
}
