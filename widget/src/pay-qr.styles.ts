import { css } from 'lit';

/**
 * System fonts only and no url(): the widget makes no request but its own BFF calls.
 * Internal `--_x` variables resolve each public `--pay-qr-*` property once, with its default.
 */
export const styles = css`
  :host {
    --_text: var(--pay-qr-color-text, #1d2129);
    --_muted: var(--pay-qr-color-muted, #646a73);
    --_bg: var(--pay-qr-color-background, #fff);
    --_line: var(--pay-qr-color-border, #e5e6eb);
    --_accent: var(--pay-qr-color-accent, #1677ff);
    --_r: var(--pay-qr-radius, 12px);
    --_qr: var(--pay-qr-qr-size, 200px);
    --_brand: var(--_accent);
    display: block;
    /* as wide as it may be in any layout (a flex row too), so no state makes it narrower */
    width: 100%;
    max-width: var(--pay-qr-max-width, 360px);
    color: var(--_text);
    font: 14px/1.5 var(--pay-qr-font-family, system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', sans-serif);
  }
  :host([hidden]) {
    display: none;
  }
  * {
    box-sizing: border-box;
  }

  .wechat {
    --_brand: var(--pay-qr-wechat-color, #07c160);
  }
  .alipay {
    --_brand: var(--pay-qr-alipay-color, #1677ff);
  }
  .unionpay {
    --_brand: var(--pay-qr-unionpay-color, #e21836);
  }
  .ecny {
    --_brand: var(--pay-qr-ecny-color, #c8102e);
  }

  .card {
    padding: 24px;
    border: 1px solid var(--_line);
    border-radius: var(--_r);
    background: var(--_bg);
    box-shadow: 0 8px 24px #0000000f;
    text-align: center;
  }
  /* without a header (no order yet) the card starts with the spinner or the outcome mark */
  .card > :first-child {
    margin-top: 0;
  }
  p {
    margin: 0;
  }
  .subject {
    min-height: 1.5em;
    color: var(--_muted);
    overflow-wrap: anywhere;
  }
  .amount {
    min-height: 1.5em;
    font-size: 32px;
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }

  .channels {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: 8px;
    margin-top: 20px;
  }
  .channel,
  .action {
    min-height: 44px;
    border-radius: calc(var(--_r) * 0.67);
    font: inherit;
    cursor: pointer;
  }
  .channel {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 8px 12px;
    border: 1px solid var(--_line);
    background: var(--_bg);
    color: inherit;
  }
  .channel:hover,
  .channel[aria-pressed='true'] {
    border-color: var(--_brand);
  }
  .channel[aria-pressed='true'] {
    box-shadow: inset 0 0 0 1px var(--_brand);
  }
  .mark {
    flex: none;
    width: 12px;
    height: 12px;
    border-radius: 50%;
    background: var(--_brand);
  }

  .stage {
    display: grid;
    place-items: center;
    width: var(--_qr);
    height: var(--_qr);
    margin: 24px auto 0;
    border-radius: 4px;
    outline: 2px solid var(--_brand);
    outline-offset: 4px;
    background: #fff;
  }
  .qr,
  .qr svg {
    display: block;
    width: 100%;
    height: 100%;
  }
  /* The quiet zone is part of the drawing: the background fills it. */
  .qr {
    background: var(--pay-qr-qr-background, #fff);
    fill: var(--pay-qr-qr-color, #000);
  }
  .spinner {
    display: block;
    margin: auto;
    width: 32px;
    height: 32px;
    border: 3px solid var(--_line);
    border-top-color: var(--_brand);
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 4s;
    }
  }

  .countdown,
  .status {
    margin-top: 16px;
    color: var(--_muted);
  }
  [role='timer'] {
    margin-inline-start: 4px;
    color: var(--_text);
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }

  .result {
    width: 64px;
    margin: 24px auto 0;
    border-radius: 50%;
    background: var(--_muted);
    color: #fff;
    font: 700 32px/64px system-ui, sans-serif;
  }
  .result::before {
    content: '!';
  }
  .paid .result::before {
    content: '✓';
  }
  .paid .result {
    background: var(--pay-qr-color-success, #07c160);
  }
  .failed .result,
  .error .result {
    background: var(--pay-qr-color-danger, #e5484d);
  }
  .final .status {
    color: var(--_text);
    font-size: 18px;
    font-weight: 600;
  }
  .notice {
    display: block;
    color: var(--pay-qr-color-warning, #b45309);
    font-size: 12px;
    font-weight: 400;
  }

  .action {
    margin-top: 16px;
    padding: 0 20px;
    border: 0;
    background: var(--_brand);
    color: #fff;
    font-weight: 600;
  }
  .stage .action {
    margin: 0;
  }
  /* the hand-over link to a wallet app looks like the other actions */
  a.action {
    display: inline-flex;
    align-items: center;
    text-decoration: none;
  }
  button:focus-visible,
  a:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }
`;
