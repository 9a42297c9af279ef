/** The demo shop's top bar, shared by the product page and the order page. */
import Link from 'next/link';
import s from './shop.module.css';

export function ShopHeader() {
  return (
    <header className={s.top}>
      <Link href="/" className={s.brand}>
        <span className={s.logo} aria-hidden="true">
          茶
        </span>
        <span>
          <span className={s.brandName}>一叶茶铺</span>
          <span className={s.brandSub}>PayQR demo shop</span>
        </span>
      </Link>
      <span className={s.badge}>沙箱 Sandbox · 不会真实扣款</span>
    </header>
  );
}
